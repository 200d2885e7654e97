/**
 * The stream processor's engine: exactly-once micro-batches from a change source into Delta tables.
 *
 * Exactly once = deterministic batches + idempotent per-table commits + restorable state:
 * 1. Batches: records are pulled until `maxBatchEvents` (after a start: `firstBatchEvents`, doubling per batch)
 *    or `maxBatchMs` after the batch's first record; batch ids are 1, 2, … per job.
 * 2. Write-ahead: before any table commits batch b, `_checkpoints/<job>/offsets/<b>.json` is written with
 *    put-if-absent, holding b's start and end source checkpoints, record count and digest. This fixes b's
 *    range forever and fences: of two instances only one claims b; the other is stale and stops
 *    ({@linkcode FencedError}) without committing anything for b. The claim's round trip runs while the
 *    operators apply b and the tables write their data files: each table's commit waits for it.
 * 3. The operators turn b's events into per-table upserts and deletes; each changed table gets ONE atomic
 *    Delta commit with both and `txn {appId: job, version: b}` (a table already at b or later skips it), all
 *    tables of a batch concurrently; `_quarantine` gets the messages that could not be applied, and
 *    `_pipeline_metrics` one row for the batch, committed once every other table holds b (so its time is the
 *    batch's commit time) in the background while the next batch is pulled and applied (one such tail at a
 *    time, in batch order). Each table's snapshot stays in memory and advances with its own commits: no log
 *    reload per batch. A conflict (background compaction, another instance) reloads that table and redoes
 *    its commit.
 * 4. Every N batches or T ms (and on a graceful stop), once the metrics row is in, the operator state with
 *    the source checkpoint after b goes to `state/<b>.bin` (one object, then the `state/_latest` pointer),
 *    then the source may acknowledge that checkpoint upstream, and WAL and state objects before the previous
 *    snapshot are removed (one older snapshot is kept as a margin).
 * 5. Recovery: the latest state snapshot s (or empty operators and the source's initial position), then each
 *    WAL entry after s is re-read from the source restarted at s's checkpoint ({@linkcode RangeReader}:
 *    exactly its records, checked by count and digest), applied, and committed with its batch id (tables
 *    holding it skip, from the snapshot in memory). A range the source cannot reproduce fails with an error
 *    naming the job, batch and range.
 *
 * The operators are deterministic (same events, any batch split → same tables) and batches are fixed by the
 * WAL, so a batch replayed after a crash writes exactly what the first attempt would have.
 *
 * @module
 */
import type { ChangeEvent } from "../cdc/change_event.ts";
import { quarantineRow } from "../cdc/quarantine.ts";
import type { ChangeSource, SourceCheckpoint } from "../cdc/source/change_source.ts";
import type { Snapshot } from "../delta/log/snapshot.ts";
import { scan } from "../delta/read/scan.ts";
import { CachedStore, FileCache } from "../delta/storage/cached_store.ts";
import { RowCache } from "../delta/write/row_cache.ts";
import type { ObjectStore } from "../delta/storage/object_store.ts";
import { type Row, Timestamp } from "../value/mod.ts";
import { CheckpointLog } from "./checkpoint_log.ts";
import type { Lake } from "./lake.ts";
import { type Logger, silentLogger } from "./logger.ts";
import {
  type EventProblem,
  MirrorOperator,
  type OperatorOptions,
  OperatorSet,
  type OutputTable,
  Scd2Operator,
  type TableChanges,
} from "./operators/mod.ts";
import { createOperators } from "./operators/operator_set.ts";
import { PendingBatch } from "./pending_batch.ts";
import { PIPELINE_METRICS, problemRow, QUARANTINE } from "./pipeline_tables.ts";
import { pullBatch } from "./pull_batch.ts";
import { RangeReader } from "./range_reader.ts";
import { StreamMetrics } from "./stream_metrics.ts";
import { type SinkResult, TableSink } from "./table_sink.ts";
import { sameCheckpoint, type WalEntry } from "./wal_entry.ts";
import { decodeBatchRecords, encodeBatchRecords } from "./wal_records.ts";
import type { ParquetCompression } from "../delta/write/parquet_file.ts";

/**
 * Opens the change source at a checkpoint (null: the source's initial position, e.g. a snapshot first), and
 * may say which ranges it can read again.
 */
export interface SourceFactory {
  (from: SourceCheckpoint | null): ChangeSource | Promise<ChangeSource>;
  /**
   * Whether a batch starting at `start` ({} = the initial position) reads the same records when read again.
   * Not so for a snapshot of live tables: the engine then keeps the batch's records in the WAL.
   * @default every range can be read again
   */
  reproducible?: (start: SourceCheckpoint) => boolean;
  /**
   * Whether the source interleaves several streams in an order that may differ between reads (Kafka
   * partitions); recovery then re-reads ranges record by record. @default false
   */
  multiStream?: boolean;
}

/** Options of {@linkcode StreamEngine.open}. */
export interface EngineOptions {
  /** Job name: the checkpoint folder and the Delta `txn` application id. */
  job: string;
  lake: Lake;
  openSource: SourceFactory;
  /** Options of the default operators. */
  operators?: OperatorOptions;
  /** Builds the operators (must build the same ones every time). @default the product's operators */
  createOperators?: () => OperatorSet;
  /** This instance's id, recorded in the WAL. @default a random UUID */
  instance?: string;
  /** Records per batch at most. @default 10000 */
  maxBatchEvents?: number;
  /**
   * Records in the first batch after the engine opens at most; each next batch may hold twice as many, up to
   * `maxBatchEvents`. A backlog's first commit (and the first rows a dashboard shows) then comes after a small
   * batch instead of a full one. @default 250
   */
  firstBatchEvents?: number;
  /**
   * Memory for the bytes of the data files the tables wrote or read last (shared by all tables): a batch's
   * copy-on-write rewrites mostly read files a recent batch wrote, and then need no round trip. 0 turns it
   * off. @default 16 MiB (files the row cache holds need no bytes)
   */
  fileCacheBytes?: number;
  /**
   * Rows of recently written and read data files kept in memory, in cells (rows × columns): a rewrite of a
   * cached file neither fetches nor decodes it. 0 turns it off. @default 500,000 (some 25 MB)
   */
  rowCacheCells?: number;
  /**
   * Rows per data file at most, also for compaction: a copy-on-write rewrite decodes one file at a time, so this
   * bounds its memory, and smaller files let a batch that touches few keys rewrite less. @default 100,000
   */
  maxRowsPerFile?: number;
  /** Latency budget of a batch from its first record. @default 200 */
  maxBatchMs?: number;
  /** How long one pull waits for a first record before the engine reports idle. @default 500 */
  idleWaitMs?: number;
  /** State snapshot every this many batches. @default 100 */
  stateEveryBatches?: number;
  /** State snapshot at least this often while batches commit, in ms. @default 30000 */
  stateEveryMs?: number;
  /**
   * What state snapshots hold: `rebuild` leaves out the operators that can rebuild their state from their own
   * tables (mirrors, customers_scd2; only mirror tombstones are kept), which keeps snapshots small and quick
   * at the cost of reading those tables on recovery; `full` holds everything. @default "rebuild"
   */
  stateMode?: "rebuild" | "full";
  /** Recovery gives up on a WAL range when the source returns nothing new for this long. @default 60000 */
  replayTimeoutMs?: number;
  /** Commit attempts per table per batch on conflicts. @default 10 */
  maxCommitAttempts?: number;
  /** Wall clock in ms since the epoch (commit times, metrics). @default Date.now */
  now?: () => number;
  /** Monotonic clock in ms (batch deadlines, durations). @default performance.now */
  monotonic?: () => number;
  /**
   * Deletion vectors on the operators' tables (Delta reader version 3, `deletionVectors` feature): an update or
   * delete marks the rows it replaces in a small vector file instead of rewriting their data files, so a batch
   * that touches keys spread over a large table (customers_scd2, inventory) writes about what it changed. New
   * tables are created with them and existing ones are upgraded on their first commit; readers must support
   * the feature (Spark 3.4+ with Delta 2.4+, delta-rs through its SQL/QueryBuilder path). `_quarantine` and
   * `_pipeline_metrics` (append only) stay at reader version 1. @default false (copy-on-write)
   */
  deletionVectors?: boolean;
  /** Data file compression. @default "snappy" */
  compression?: ParquetCompression;
  metrics?: StreamMetrics;
  logger?: Logger;
  /** Called after every batch every table holds, new or replayed during recovery. */
  onBatch?: (info: BatchInfo) => void;
}

/** What one batch did. */
export interface BatchInfo {
  batch: number;
  /** True for a WAL entry re-applied during recovery. */
  replayed: boolean;
  /** Change events in the batch. */
  events: number;
  /** Records plus quarantined messages. */
  records: number;
  quarantined: number;
  /** Rows upserted or deleted, all tables. */
  rowsOut: number;
  /** Per table: the version committed (null: skipped or unchanged). */
  versions: Record<string, number | null>;
  durationMs: number;
  /** Oldest source commit in the batch → every table committed, ms (null without events). */
  latencyMs: number | null;
  /** Newest source commit in the batch → every table committed, ms (null without events). */
  lagMs: number | null;
}

/** The result of {@linkcode StreamEngine.step}. */
export type StepResult = { kind: "idle" } | { kind: "batch"; info: BatchInfo };

async function* rowsOf(store: ObjectStore, snapshot: Snapshot): AsyncIterable<Row> {
  for await (const rows of scan(store, snapshot)) yield* rows;
}

function isEmpty(cp: SourceCheckpoint): boolean {
  for (const _ in cp) return false;
  return true;
}

/** Runs operators over a change source into lake tables, exactly once. Open with {@linkcode StreamEngine.open}. */
export class StreamEngine {
  readonly job: string;
  readonly instance: string;
  readonly metrics: StreamMetrics;
  readonly log: CheckpointLog;
  /** Lake tables by name, with their latest snapshots. */
  readonly sinks: ReadonlyMap<string, TableSink>;
  readonly #o: EngineOptions;
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #mono: () => number;
  readonly #ops: OperatorSet;
  /** Opened once recovery needs it (records kept in the WAL are replayed without it). */
  #source: ChangeSource | null = null;
  #position: SourceCheckpoint;
  #carry = new PendingBatch();
  #lastBatch: number;
  #stateBatch: number;
  #previousStateBatch: number;
  #stateAt: number;
  #closed = false;
  /** Batches committed since the engine opened (the slow start of `firstBatchEvents`). */
  #batchesSinceOpen = 0;
  /** The last batch's metrics commit, running in the background (see #process). */
  #tail: Promise<void> = Promise.resolve();

  private constructor(
    o: EngineOptions,
    log: CheckpointLog,
    ops: OperatorSet,
    position: SourceCheckpoint,
    stateBatch: number,
  ) {
    this.#o = o;
    this.job = o.job;
    this.instance = o.instance ?? crypto.randomUUID();
    this.metrics = o.metrics ?? new StreamMetrics();
    this.#logger = o.logger ?? silentLogger;
    this.#now = o.now ?? Date.now;
    this.#mono = o.monotonic ?? (() => performance.now());
    this.log = log;
    this.#ops = ops;
    this.#position = position;
    this.#lastBatch = stateBatch;
    this.#stateBatch = stateBatch;
    this.#previousStateBatch = stateBatch;
    this.#stateAt = this.#mono();
    const cdf = new Set(
      ops.operators.filter((op) => op instanceof MirrorOperator || op instanceof Scd2Operator)
        .flatMap((op) => op.outputs.map((t) => t.name)),
    );
    const sinks = new Map<string, TableSink>();
    const cacheBytes = o.fileCacheBytes ?? 16 * 2 ** 20;
    const cache = cacheBytes > 0 ? new FileCache(cacheBytes) : null;
    const rowCells = o.rowCacheCells ?? 500_000;
    const rowCache = rowCells > 0 ? new RowCache(rowCells) : undefined;
    const tables: OutputTable[] = [...ops.outputs, QUARANTINE, PIPELINE_METRICS];
    for (const table of tables) {
      sinks.set(
        table.name,
        new TableSink(
          cache ? new CachedStore(o.lake.open(table.name), cache) : o.lake.open(table.name),
          table,
          {
            appId: o.job,
            changeDataFeed: cdf.has(table.name),
            maxAttempts: o.maxCommitAttempts,
            now: this.#now,
            compression: o.compression,
            rowCache,
            maxRowsPerFile: o.maxRowsPerFile ?? 100_000,
            deletionVectors: (o.deletionVectors ?? false) && table !== QUARANTINE &&
              table !== PIPELINE_METRICS,
            onConflict: (e, attempt) => {
              this.metrics.conflicts.inc({ table: table.name });
              this.#logger.warn("commit conflict, retrying on a fresh snapshot", {
                table: table.name,
                attempt,
                error: e.message,
              });
            },
          },
        ),
      );
    }
    this.sinks = sinks;
  }

  /**
   * Opens the job: restores the latest state snapshot, re-applies the WAL entries after it (recovery), and
   * returns the engine ready for new batches. On failure everything it opened is closed.
   */
  static async open(options: EngineOptions): Promise<StreamEngine> {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(options.job)) {
      throw new TypeError(`Cannot run job "${options.job}": use letters, digits, ".", "_" and "-"`);
    }
    const log = new CheckpointLog(options.lake.open(`_checkpoints/${options.job}`), options.job);
    const saved = await log.latestState();
    const ops = options.createOperators?.() ?? new OperatorSet(createOperators(options.operators));
    if (saved) ops.restore(saved.state, { rebuild: saved.rebuild });
    const position = saved?.checkpoint ?? {};
    const entries = await log.entriesAfter(saved?.batch ?? 0);
    if (entries.length > 0 && !sameCheckpoint(entries[0].start, position)) {
      throw new Error(
        `Cannot recover job "${options.job}": WAL entry ${entries[0].batch} starts at ${
          JSON.stringify(entries[0].start)
        }, but the state snapshot of batch ${saved?.batch ?? 0} ends at ${JSON.stringify(position)}`,
      );
    }
    const engine = new StreamEngine(options, log, ops, position, saved?.batch ?? 0);
    try {
      await engine.#rebuild(saved?.rebuild ?? []);
      await engine.#recover(entries);
    } catch (e) {
      await engine.close({ saveState: false });
      throw e;
    }
    // The tables load while the source connects and the first batch is gathered.
    for (const sink of engine.sinks.values()) sink.preload();
    return engine;
  }

  /**
   * Rebuilds the operators the state snapshot left out from their own tables (which may hold batches after
   * the snapshot: the operators ignore those batches' changes when they are replayed, and the tables skip
   * them). Loads those tables' snapshots for the first commits on the way.
   */
  async #rebuild(names: readonly string[]): Promise<void> {
    const t0 = this.#mono();
    await Promise.all(names.map(async (name) => {
      const op = this.#ops.operators.find((o) => o.name === name);
      if (!op) throw new Error(`Cannot recover job "${this.job}": the state names no operator "${name}"`);
      const sink = this.#sink(op.outputs[0].name);
      const snapshot = await sink.reload();
      await this.#ops.rebuild(name, snapshot === null ? [] : rowsOf(sink.store, snapshot));
    }));
    if (names.length) {
      this.#logger.info("operators rebuilt from their tables", {
        job: this.job,
        operators: names.length,
        ms: Math.round(this.#mono() - t0),
      });
    }
  }

  /** The source, opened at the current position on first use. */
  async #openSource(): Promise<ChangeSource> {
    return this.#source ??= await this.#o.openSource(isEmpty(this.#position) ? null : this.#position);
  }

  async #recover(entries: readonly WalEntry[]): Promise<void> {
    if (entries.length > 0) {
      this.#logger.info("recovering", {
        job: this.job,
        from: this.#stateBatch,
        to: entries[entries.length - 1].batch,
        instance: this.instance,
      });
    }
    for (let i = 0; i < entries.length;) {
      const entry = entries[i];
      if (entry.stored !== undefined) {
        // Kept in the WAL: the source could not read it again. It is read at the end of the run of such entries.
        const where = `${this.log.store.url}/${entry.stored}`;
        const { records, quarantined } = decodeBatchRecords(await this.log.readRecords(entry.stored), where);
        const batch = new PendingBatch();
        batch.add({ records, quarantined, checkpoint: entry.end }, this.#mono());
        if (batch.size !== entry.records || batch.digest.value !== entry.digest) {
          throw new Error(
            `Cannot recover job "${this.job}": the records of batch ${entry.batch} in "${where}" do not match its WAL entry`,
          );
        }
        await this.#replay(entry, batch);
        i++;
        continue;
      }
      let j = i;
      while (j < entries.length && entries[j].stored === undefined) j++;
      const run = entries.slice(i, j);
      const reader = new RangeReader(await this.#openSource(), this.job, run, {
        timeoutMs: this.#o.replayTimeoutMs,
        now: this.#mono,
        multiStream: this.#o.openSource.multiStream || undefined,
      });
      for (const e of run) await this.#replay(e, await reader.read());
      const overflow = reader.takeOverflow();
      if (j < entries.length && overflow.size > 0) {
        throw new Error(
          `Cannot recover job "${this.job}": batch ${
            entries[j].batch
          } kept its records in the WAL after a multi-stream range`,
        );
      }
      this.#carry = overflow;
      i = j;
    }
    this.#logger.info(entries.length ? "recovered" : "job opened", {
      job: this.job,
      batch: this.#lastBatch,
      replayed: entries.length,
      instance: this.instance,
    });
  }

  async #replay(entry: WalEntry, batch: PendingBatch): Promise<void> {
    if (this.#source !== null && entry.stored !== undefined) {
      // The source read past a range it cannot read again: reopen it after the kept records.
      await this.#source.close();
      this.#source = null;
    }
    await this.#process(entry.batch, batch, true, Promise.resolve());
    this.#position = entry.end;
    this.#lastBatch = entry.batch;
  }

  /** The last batch every table holds. */
  get lastBatch(): number {
    return this.#lastBatch;
  }

  /** The source checkpoint after the last batch. */
  get position(): SourceCheckpoint {
    return { ...this.#position };
  }

  /**
   * Pulls and commits the next batch. Returns idle when nothing arrived within `idleWaitMs`. Aborting `stop`
   * closes the batch being gathered early and commits what it holds (graceful stop). Throws
   * {@linkcode FencedError} when another instance claimed the batch first; the engine must then be closed and
   * the job reopened (recovery) before it commits anything again.
   */
  async step(stop?: AbortSignal): Promise<StepResult> {
    if (this.#closed) throw new Error(`Cannot run job "${this.job}": the engine is closed`);
    const max = this.#o.maxBatchEvents ?? 10_000;
    const first = this.#o.firstBatchEvents ?? 250;
    const pending = await pullBatch(await this.#openSource(), {
      maxEvents: Math.min(max, first * 2 ** Math.min(this.#batchesSinceOpen, 30)),
      maxBatchMs: this.#o.maxBatchMs ?? 200,
      idleWaitMs: this.#o.idleWaitMs ?? 500,
      now: this.#mono,
      signal: stop,
    }, this.#carry);
    if (pending.size === 0) {
      // A checkpoint without records (e.g. the end of a snapshot) joins the next batch.
      this.#carry = pending;
      // Idle means written: the last batch's metrics row lands before reporting it.
      await this.#tail;
      return { kind: "idle" };
    }
    this.#carry = new PendingBatch();
    const batch = this.#lastBatch + 1;
    const end = { ...this.#position, ...pending.checkpoint };
    const start = this.#position;
    const reproducible = this.#o.openSource.reproducible?.(start) ?? true;
    // The claim runs while the operators apply the batch and the tables write their data files; no table
    // publishes a commit before it succeeded.
    const claimed = (async () => {
      const stored = reproducible ? undefined : await this.log.storeRecords(
        batch,
        this.instance,
        encodeBatchRecords(pending.records, pending.quarantined),
      );
      await this.log.claim({
        job: this.job,
        batch,
        start,
        end,
        records: pending.size,
        digest: pending.digest.value,
        instance: this.instance,
        createdAt: this.#now(),
        ...(stored === undefined ? {} : { stored }),
      });
    })();
    claimed.catch(() => {}); // awaited in #process; this only keeps an early failure there from leaking it
    const info = await this.#process(batch, pending, false, claimed);
    this.#position = end;
    this.#lastBatch = batch;
    this.#batchesSinceOpen++;
    const every = this.#o.stateEveryBatches ?? 100;
    const everyMs = this.#o.stateEveryMs ?? 30_000;
    if (batch - this.#stateBatch >= every || this.#mono() - this.#stateAt >= everyMs) await this.saveState();
    return { kind: "batch", info };
  }

  /** Applies the operators; events they reject are left out and returned as problems. */
  #apply(events: ChangeEvent[]): { changes: TableChanges; problems: EventProblem[] } {
    try {
      return { changes: this.#ops.apply(events), problems: [] };
    } catch (e) {
      // A bad event leaves every operator unchanged: quarantine the ones named and apply the rest.
      if (!(e instanceof TypeError)) throw e;
      const problems = this.#ops.problems(events);
      if (problems.length === 0) throw e;
      const bad = new Set(problems.map((p) => p.event));
      return { changes: this.#ops.apply(events.filter((x) => !bad.has(x))), problems };
    }
  }

  /**
   * Applies a batch and commits every changed table (after `claimed`, the batch's WAL entry, succeeded); its
   * metrics row is committed afterwards in the background (the tail, awaited before the next batch's tail, a
   * state snapshot and close), so the next batch is pulled and applied meanwhile.
   */
  async #process(
    batch: number,
    pending: PendingBatch,
    replayed: boolean,
    claimed: Promise<void>,
  ): Promise<BatchInfo> {
    const t0 = this.#mono();
    const events: ChangeEvent[] = [];
    for (const r of pending.records) {
      if (r.kind === "change") events.push(r.event);
      else {
        this.metrics.ignored.inc({ kind: r.kind });
        if (r.kind === "truncate") {
          this.#logger.warn("truncate ignored: the operators apply row changes only", {
            table: r.table,
            position: r.position,
          });
        }
      }
    }
    const { changes, problems } = this.#apply(events);
    const quarantined = [...pending.quarantined.map(quarantineRow), ...problems.map(problemRow)];
    for (const p of problems) {
      this.#logger.warn("event quarantined", {
        table: p.event.table,
        position: p.event.position,
        problem: p.problem,
      });
    }
    if (quarantined.length > 0) changes.set(QUARANTINE.name, { upserts: quarantined, deletes: [] });
    let rowsOut = 0;
    for (const d of changes.values()) rowsOut += d.upserts.length + d.deletes.length;
    // One pass over the events for what the metrics need: commit times (ms) and counts per source table.
    const commitMs = new Float64Array(events.length);
    const eventsIn = new Map<string, number>();
    let minTs = Infinity;
    let maxTs = -Infinity;
    for (let i = 0; i < events.length; i++) {
      const ms = commitMs[i] = events[i].commitTs.epochMillis;
      if (ms < minTs) minTs = ms;
      if (ms > maxTs) maxTs = ms;
      eventsIn.set(events[i].table, (eventsIn.get(events[i].table) ?? 0) + 1);
    }
    const versions: Record<string, number | null> = {};
    const gate = () => claimed;
    // Settled, not raced: on a failure (a lost claim) no table is left half-way when this returns.
    const settled = await Promise.allSettled([
      claimed,
      ...[...changes].map(([name, delta]) => this.#sink(name).commit(batch, delta, gate)),
    ]);
    const failed = settled.find((r) => r.status === "rejected");
    if (failed) throw (failed as PromiseRejectedResult).reason;
    for (const r of settled.slice(1)) {
      const { table, version } = (r as PromiseFulfilledResult<SinkResult>).value;
      versions[table] = version;
    }
    const committedAt = this.#now();
    const info: BatchInfo = {
      batch,
      replayed,
      events: events.length,
      records: pending.size,
      quarantined: quarantined.length,
      rowsOut,
      versions,
      durationMs: this.#mono() - t0,
      latencyMs: events.length ? committedAt - minTs : null,
      lagMs: events.length ? committedAt - maxTs : null,
    };
    let row: Row | null = null;
    if (events.length > 0 || quarantined.length > 0) {
      const tables: Record<string, { in?: number; upserts?: number; deletes?: number }> = {};
      for (const [name, n] of eventsIn) tables[name] = { in: n };
      for (const [name, d] of changes) {
        tables[name] = { ...tables[name], upserts: d.upserts.length, deletes: d.deletes.length };
      }
      row = {
        batch_id: BigInt(batch),
        job: this.job,
        instance: this.instance,
        committed_at: Timestamp.fromMillis(committedAt),
        events: BigInt(events.length),
        rows_out: BigInt(rowsOut),
        quarantined: BigInt(quarantined.length),
        duration_ms: BigInt(Math.round(info.durationMs)),
        latency_ms: events.length ? BigInt(committedAt - minTs) : null,
        lag_ms: events.length ? BigInt(committedAt - maxTs) : null,
        min_source_ts: events.length ? Timestamp.fromMillis(minTs) : null,
        max_source_ts: events.length ? Timestamp.fromMillis(maxTs) : null,
        tables: JSON.stringify(tables),
        replayed,
      };
    }
    // One tail at a time, in batch order: the metrics table's commits stay in batch order.
    await this.#tail;
    const tail = (async () => {
      if (row !== null) {
        const r = await this.#sink(PIPELINE_METRICS.name).commit(batch, { upserts: [row], deletes: [] });
        versions[r.table] = r.version;
      }
      this.#record(info, eventsIn, commitMs, changes, pending, committedAt);
      this.#o.onBatch?.(info);
    })();
    tail.catch(() => {}); // awaited by the next batch, a state snapshot or close
    this.#tail = tail;
    return info;
  }

  #sink(name: string): TableSink {
    const sink = this.sinks.get(name);
    if (!sink) {
      throw new Error(`Cannot commit to table "${name}" of job "${this.job}": no operator declares it`);
    }
    return sink;
  }

  #record(
    info: BatchInfo,
    eventsIn: ReadonlyMap<string, number>,
    commitMs: Float64Array,
    changes: TableChanges,
    pending: PendingBatch,
    committedAt: number,
  ): void {
    const m = this.metrics;
    for (const ms of commitMs) m.latency.observe(Math.max(0, committedAt - ms) / 1000);
    for (const [table, n] of eventsIn) m.eventsIn.inc({ table }, n);
    for (const [table, d] of changes) {
      if (d.upserts.length) m.rowsOut.inc({ table, kind: "upsert" }, d.upserts.length);
      if (d.deletes.length) m.rowsOut.inc({ table, kind: "delete" }, d.deletes.length);
    }
    if (info.quarantined) m.quarantined.inc({}, info.quarantined);
    // Each stream from its own newest event; a stream the batch read no event from keeps its last value.
    for (const [stream, ms] of pending.newestCommitMs) {
      m.sourceLag.set(Math.max(0, committedAt - ms) / 1000, { stream });
    }
    for (const [table, v] of Object.entries(info.versions)) if (v !== null) m.tableVersion.set(v, { table });
    m.batches.inc({ mode: info.replayed ? "replayed" : "new" });
    m.batchDuration.observe(info.durationMs / 1000);
    m.lastBatch.set(info.batch);
  }

  /**
   * Writes the operator state with the checkpoint after the last batch, lets the source acknowledge that
   * checkpoint, and removes WAL and state objects older than the previous snapshot. Does nothing when the
   * last snapshot is current.
   */
  async saveState(): Promise<void> {
    await this.#tail;
    this.#stateAt = this.#mono();
    if (this.#lastBatch === this.#stateBatch) return;
    const t0 = this.#mono();
    const rebuild = (this.#o.stateMode ?? "rebuild") === "rebuild" ? this.#ops.rebuildable : [];
    const state = this.#ops.snapshotState({ omit: rebuild });
    await this.log.saveState({
      batch: this.#lastBatch,
      checkpoint: this.#position,
      state,
      rebuild,
      instance: this.instance,
      createdAt: this.#now(),
    });
    this.metrics.stateBytes.set(state.length);
    await this.#source?.commit(this.#position);
    this.#previousStateBatch = this.#stateBatch;
    this.#stateBatch = this.#lastBatch;
    const pruned = await this.log.prune(this.#previousStateBatch);
    this.#logger.debug("state saved", {
      batch: this.#lastBatch,
      bytes: state.length,
      ms: Math.round(this.#mono() - t0),
      pruned,
    });
  }

  /**
   * Closes the engine: by default writes a final state snapshot (graceful stop), then closes the source.
   * Idempotent.
   */
  async close(options: { saveState?: boolean } = {}): Promise<void> {
    if (this.#closed) return;
    try {
      if (options.saveState ?? true) await this.saveState();
    } finally {
      // Without a state snapshot a failed tail does not matter: recovery replays its batch.
      await this.#tail.catch(() => {});
      this.#closed = true;
      await this.#source?.close();
    }
  }
}
