import {
  type Dialect,
  openSourceDb,
  resolveSource,
  type SourceDb,
  type SourceOptions,
  type SourceTarget,
  syncKeySequences,
} from "../setup/mod.ts";
import { createExecutor } from "./executor.ts";
import { OperationGenerator } from "./generate.ts";
import { KEYED_TABLES, loadModel } from "./model.ts";
import type { Operation, OperationKind, OperationWeights } from "./operation.ts";
import { formatProgress } from "./progress.ts";
import { type RowChange, rowChanges } from "./row_changes.ts";

/** Above this rate (and at rate 0) the PostgreSQL faker commits asynchronously unless told otherwise. */
const ASYNC_COMMIT_ABOVE = 100;

/**
 * The source to write to. On PostgreSQL, fast runs commit asynchronously (synchronous_commit=off for the
 * faker's own session): one connection waiting for a WAL flush per commit manages only a few hundred
 * transactions per second. A PostgreSQL crash can then lose the faker's last commits (about
 * wal_writer_delay's worth), never part of a transaction, and change capture sees a commit once the WAL writer
 * has flushed it (up to wal_writer_delay later). Slow runs keep synchronous commits: the flush costs them
 * nothing and capture sees each commit at once.
 */
function fakerTarget(options: FakerOptions, rate: number): SourceTarget {
  const target = resolveSource({ ...options, dialect: options.dialect ?? "sqlite" });
  const durable = options.durableCommits ?? (rate > 0 && rate <= ASYNC_COMMIT_ABOVE);
  if (target.dialect !== "postgres" || durable) return target;
  return {
    ...target,
    config: { ...target.config, settings: { ...target.config.settings, synchronous_commit: "off" } },
  };
}

/** Options of {@linkcode runFaker}. */
export interface FakerOptions extends Omit<SourceOptions, "dialect"> {
  /** The source dialect (with `db`/`url`). @default "sqlite" */
  dialect?: Dialect;
  /** An open connection to use instead of `dialect`/`db`/`url` (left open). */
  source?: SourceDb;
  /**
   * PostgreSQL: wait for each commit to be flushed (synchronous_commit on).
   * @default true up to 100 tx/s, false above and at rate 0
   */
  durableCommits?: boolean;
  /**
   * Transactions per second; 0 runs as fast as the database allows.
   * @default DEFAULT_RATE (the original faker's pacing)
   */
  rate?: number;
  /** Stop after this many seconds. @default no limit */
  duration?: number;
  /** Stop after this many operations. @default no limit */
  ops?: number;
  /** PRNG seed: the same seed and starting database give the same operations. @default 1 */
  seed?: number;
  /** Relative frequency of each operation kind. @default DEFAULT_WEIGHTS */
  weights?: Partial<OperationWeights>;
  /** Stops the faker between two transactions. */
  signal?: AbortSignal;
  /** Called about 4 times a second with a one-line progress display. */
  onProgress?: (line: string) => void;
  /** Receives retries and errors (one line each). @default console.error */
  log?: (line: string) => void;
  /** Monotonic clock in ms, for pacing. @default performance.now */
  now?: () => number;
  /** Called with every operation the database accepted, in order. */
  onOperation?: (op: Operation) => void;
}

/** The original faker's pacing: one action every 1–4 s, 0.4 per second on average. */
export const DEFAULT_RATE = 0.4;

/** Row changes per source table by kind: c inserts, u updates, d deletes. */
export type ChangeCounts = Record<string, { c: number; u: number; d: number }>;

/** What a faker run did. */
export interface FakerReport {
  dialect: Dialect;
  /** Operations committed (one transaction each). */
  operations: number;
  byKind: Partial<Record<OperationKind, number>>;
  /** Rows the committed operations changed, per table: what change capture must show. */
  changes: ChangeCounts;
  /** Transient failures retried (busy, deadlock, lost connection). */
  retries: number;
  /** Operations that failed for good (the model was reloaded, the run went on). */
  errors: number;
  elapsedMs: number;
  stoppedBy: "ops" | "duration" | "signal";
}

const MAX_BACKOFF_MS = 5_000;
const MAX_CONSECUTIVE_ERRORS = 50;
/** How early a batching executor may send paced operations (at most this many ms before their time). */
const BATCH_LEAD_MS = 10;
/** Behind schedule by more than this, the pacer stops catching up (no burst after a stall). */
const MAX_LAG_MS = 1_000;

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

function count(changes: ChangeCounts, c: RowChange): void {
  const t = (changes[c.table] ??= { c: 0, u: 0, d: 0 });
  t[c.kind === "insert" ? "c" : c.kind === "update" ? "u" : "d"]++;
}

/**
 * Writes live e-commerce activity into a source database until `ops`, `duration` or `signal` stops it. Each
 * operation is one transaction; a stop never interrupts one. Transient database errors are retried with
 * exponential backoff (50 ms … 5 s) and reported; an operation that fails for good is reported, the model is
 * reloaded from the database and the run goes on.
 */
export async function runFaker(options: FakerOptions): Promise<FakerReport> {
  const rate = options.rate ?? DEFAULT_RATE;
  if (!(rate >= 0) || !Number.isFinite(rate)) {
    throw new RangeError(`Cannot run the faker at rate ${rate}: use a number ≥ 0`);
  }
  const log = options.log ?? ((line: string) => console.error(line));
  const now = options.now ?? (() => performance.now());
  const db = options.source ?? openSourceDb(fakerTarget(options, rate));
  const report: FakerReport = {
    dialect: db.dialect,
    operations: 0,
    byKind: {},
    changes: {},
    retries: 0,
    errors: 0,
    elapsedMs: 0,
    stoppedBy: "signal",
  };
  const signal = options.signal;
  const withRetry = async <T>(what: string, fn: () => Promise<T>): Promise<T | undefined> => {
    let delay = 50;
    for (let attempt = 1;; attempt++) {
      try {
        return await fn();
      } catch (e) {
        if (!db.isTransient(e)) throw e;
        report.retries++;
        log(`faker: ${what} failed (${(e as Error).message}), attempt ${attempt}; retrying in ${delay} ms`);
        await sleep(delay, signal);
        if (signal?.aborted) return undefined;
        delay = Math.min(delay * 2, MAX_BACKOFF_MS);
      }
    }
  };
  const t0 = now();
  let progressTimer: ReturnType<typeof setInterval> | undefined;
  try {
    const model = await withRetry("loading the model", () => loadModel(db)).catch((e) => {
      throw new Error(
        `Cannot read the source's catalog (has \`deno task setup --dialect ${db.dialect}\` run?): ${
          (e as Error).message
        }`,
        { cause: e },
      );
    });
    if (!model) return report;
    const generator = new OperationGenerator(model, { seed: options.seed ?? 1, weights: options.weights });
    const executor = createExecutor(db);
    if (options.onProgress) {
      const onProgress = options.onProgress;
      progressTimer = setInterval(() => onProgress(formatProgress(report, now() - t0)), 250);
    }
    let base = now();
    let paced = 0;
    let consecutiveErrors = 0;
    let sinceYield = 0;
    const plan = () => {
      const op = generator.next();
      return { op, changes: rowChanges(op) };
    };
    /** Operations drawn but not yet sent. */
    let ahead: { op: Operation; changes: RowChange[] }[] = [];
    for (;;) {
      if (options.ops !== undefined && report.operations >= options.ops) {
        report.stoppedBy = "ops";
        break;
      }
      if (options.duration !== undefined && now() - t0 >= options.duration * 1000) {
        report.stoppedBy = "duration";
        break;
      }
      if (signal?.aborted) break;
      // How many operations are due: with a rate, those whose time has come, or comes within `lead` ms when
      // the executor sends batches (a round trip per few operations instead of one each).
      let due = executor.maxBatch;
      if (rate > 0) {
        const lead = executor.maxBatch > 1 ? BATCH_LEAD_MS : 0;
        const late = now() - (base + (paced * 1000) / rate);
        if (late > MAX_LAG_MS) {
          base = now();
          paced = 0;
        } else if (late + lead < -1) {
          await sleep(-late - lead, signal);
          continue;
        }
        due = Math.min(due, Math.max(1, Math.floor((Math.max(late + lead, 0) * rate) / 1000) + 1));
      } else if ((sinceYield += due) >= 256) {
        // Let timers and signals run: the SQLite path never yields to the event loop on its own.
        sinceYield = 0;
        await sleep(0);
      }
      if (options.ops !== undefined) due = Math.min(due, options.ops - report.operations);
      let pending = ahead.splice(0, due);
      while (pending.length < due) pending.push(plan());
      let running = executor.applyAll(pending.map((p) => p.changes));
      // While the database works (PostgreSQL answers over the network), draw the next operations; they run
      // after these, so the order stays the generator's.
      if (executor.maxBatch > 1) { while (ahead.length < due) ahead.push(plan()); }
      let delay = 50;
      let attempt = 0;
      while (pending.length > 0) {
        const { committed, error } = await running;
        for (const { op, changes } of pending.slice(0, committed)) {
          report.operations++;
          report.byKind[op.kind] = (report.byKind[op.kind] ?? 0) + 1;
          for (const c of changes) count(report.changes, c);
          options.onOperation?.(op);
        }
        if (committed > 0) consecutiveErrors = 0;
        paced += committed;
        pending = pending.slice(committed);
        if (error === null) break;
        const failed = pending[0].op.kind;
        const message = error instanceof Error ? error.message : String(error);
        if (db.isTransient(error)) {
          report.retries++;
          log(`faker: ${failed} failed (${message}), attempt ${++attempt}; retrying in ${delay} ms`);
          await sleep(delay, signal);
          if (signal?.aborted) break;
          delay = Math.min(delay * 2, MAX_BACKOFF_MS);
          running = executor.applyAll(pending.map((p) => p.changes));
          continue;
        }
        report.errors++;
        if (++consecutiveErrors >= MAX_CONSECUTIVE_ERRORS) {
          throw new Error(
            `The faker stopped: ${consecutiveErrors} operations in a row failed, the last with: ${message}`,
            { cause: error },
          );
        }
        // The operations drawn after the failed one assumed it happened: drop them with the model.
        ahead = [];
        log(`faker: ${failed} failed (${message}); reloading the model from the database`);
        const reloaded = await withRetry("reloading the model", () => loadModel(db));
        if (!reloaded) break;
        generator.useModel(reloaded);
        paced++;
        pending = [];
      }
    }
    if (db.dialect !== "sqlite" && report.operations > 0) {
      await withRetry("moving key sequences", () => syncKeySequences(db, KEYED_TABLES));
    }
    return report;
  } finally {
    clearInterval(progressTimer);
    report.elapsedMs = now() - t0;
    options.onProgress?.(formatProgress(report, report.elapsedMs));
    if (!options.source) await db.close();
  }
}
