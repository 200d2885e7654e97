/**
 * Lake health in the background: Delta checkpoints, compaction of small files, expired log cleanup and
 * VACUUM, in a loop of its own (own AbortSignal) next to ingestion, never in a batch's commit path.
 *
 * - Checkpoints: the engine commits with `checkpointInterval: 0`; this loop writes a checkpoint of the
 *   snapshot the engine already holds once a table has advanced `checkpointEvery` versions past its last
 *   checkpoint (no log read), then removes log files past `delta.logRetentionDuration` when the table
 *   allows it (`delta.enableExpiredLogCleanup`).
 * - Compaction: OPTIMIZE (dataChange=false, invisible to streaming and CDF readers) of a table with at least
 *   `compactMinFiles` files below `compactTargetBytes`; at most one table per pass, so ingestion (which shares
 *   the process) is never held up for long. A commit that conflicts with it retries on a fresh snapshot; the
 *   table's sink is told, so its next commit reads the compaction first.
 * - VACUUM: every `vacuumEveryMs` per table, with a retention of at least 168 hours (7 days) unless
 *   explicitly allowed lower, which keeps time travel and concurrent readers safe.
 *
 * A failed task is logged and counted (`lakestream_maintenance_total{outcome="error"}`) and retried on a later
 * pass; it never stops ingestion.
 *
 * @module
 */
import { writeCheckpoint } from "../delta/write/checkpoint_write.ts";
import { CommitConflictError } from "../delta/write/commit_conflict_error.ts";
import { cleanupExpiredLogs } from "../delta/write/log_cleanup.ts";
import { optimizeTable, planBins } from "../delta/write/optimize_table.ts";
import { expiredLogCleanupEnabled } from "../delta/write/table_properties.ts";
import { vacuumTable } from "../delta/write/vacuum_table.ts";
import { type Logger, silentLogger } from "./logger.ts";
import type { StreamMetrics } from "./stream_metrics.ts";
import type { TableSink } from "./table_sink.ts";
import { delay } from "./delay.ts";

/** Policies of {@linkcode LakeHealth}. */
export interface LakeHealthOptions {
  /** Checkpoint a table after this many new versions. @default 20 */
  checkpointEvery?: number;
  /** Compact a table once it has this many small files. @default 16 */
  compactMinFiles?: number;
  /**
   * Files below this size (and below their sink's rows per file) are small; compaction writes files of about
   * this size, of at most that many rows. @default 32 MiB
   */
  compactTargetBytes?: number;
  /** VACUUM each table this often, in ms; 0 never. @default 24 hours */
  vacuumEveryMs?: number;
  /** VACUUM retention in hours. @default 168 */
  vacuumRetentionHours?: number;
  /** Allow a VACUUM retention below 168 hours (unsafe for readers of old versions). @default false */
  allowShortRetention?: boolean;
  /** Time between passes, in ms. @default 5000 */
  intervalMs?: number;
  /** Wall clock in ms since the epoch. @default Date.now */
  now?: () => number;
  logger?: Logger;
  metrics?: StreamMetrics;
}

interface TableHealth {
  checkpointVersion: number | null;
  vacuumedAt: number;
}

/** The background maintenance of the tables a running engine writes. */
export class LakeHealth {
  readonly #tables: () => Iterable<TableSink>;
  readonly #o: LakeHealthOptions;
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #state = new Map<string, TableHealth>();
  readonly #started: number;

  /** `tables` gives the sinks of the engine currently running (they change when it reopens). */
  constructor(tables: () => Iterable<TableSink>, options: LakeHealthOptions = {}) {
    const retention = options.vacuumRetentionHours ?? 168;
    if (retention < 168 && !options.allowShortRetention) {
      throw new RangeError(
        `Cannot vacuum with a retention of ${retention} hours: below the 168-hour safety limit (allow it explicitly)`,
      );
    }
    this.#tables = tables;
    this.#o = options;
    this.#logger = options.logger ?? silentLogger;
    this.#now = options.now ?? Date.now;
    this.#started = this.#now();
  }

  /** Runs passes every `intervalMs` until `signal` is aborted; resolves then (after the task in progress). */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await this.runOnce(signal);
      await delay(this.#o.intervalMs ?? 5000, signal);
    }
  }

  /** One pass over every table: checkpoints, then at most one compaction, then due vacuums. */
  async runOnce(signal?: AbortSignal): Promise<void> {
    const sinks = [...this.#tables()];
    for (const sink of sinks) {
      if (signal?.aborted) return;
      await this.#task(sink, "checkpoint", () => this.#checkpoint(sink));
    }
    for (const sink of sinks) {
      if (signal?.aborted) return;
      if (await this.#task(sink, "compact", () => this.#compact(sink))) break;
    }
    const every = this.#o.vacuumEveryMs ?? 86_400_000;
    if (every <= 0) return;
    for (const sink of sinks) {
      if (signal?.aborted) return;
      const h = this.#health(sink);
      if (this.#now() - h.vacuumedAt < every || !sink.snapshot) continue;
      h.vacuumedAt = this.#now();
      await this.#task(sink, "vacuum", () => this.#vacuum(sink));
    }
  }

  #health(sink: TableSink): TableHealth {
    let h = this.#state.get(sink.table.name);
    if (!h) {
      h = { checkpointVersion: sink.snapshot?.checkpointVersion ?? null, vacuumedAt: this.#started };
      this.#state.set(sink.table.name, h);
    }
    return h;
  }

  /** Runs one task, logging and counting its outcome; true when it did something. */
  async #task(sink: TableSink, task: string, fn: () => Promise<string | null>): Promise<boolean> {
    const table = sink.table.name;
    const t0 = performance.now();
    let outcome = "done";
    let detail: string | null = null;
    try {
      detail = await fn();
      if (detail === null) return false;
    } catch (e) {
      outcome = e instanceof CommitConflictError ? "conflict" : "error";
      detail = (e as Error).message;
    }
    this.#o.metrics?.maintenance.inc({ table, task, outcome });
    this.#o.metrics?.maintenanceDuration.observe((performance.now() - t0) / 1000, { task });
    const fields = { table, task, detail, ms: Math.round(performance.now() - t0) };
    if (outcome === "error") this.#logger.warn("lake health task failed, retrying later", fields);
    else {this.#logger.info(
        outcome === "done" ? "lake health task done" : "lake health task lost a race",
        fields,
      );}
    return outcome === "done";
  }

  async #checkpoint(sink: TableSink): Promise<string | null> {
    const snapshot = sink.snapshot;
    if (!snapshot) return null;
    const h = this.#health(sink);
    if (snapshot.version - (h.checkpointVersion ?? -1) < (this.#o.checkpointEvery ?? 20)) return null;
    const info = await writeCheckpoint(sink.store, snapshot, { now: this.#now });
    h.checkpointVersion = snapshot.version;
    let detail = `version ${info.version}, ${info.numOfAddFiles} files`;
    if (expiredLogCleanupEnabled(snapshot.properties)) {
      const deleted = await cleanupExpiredLogs(sink.store, { now: this.#now });
      if (deleted.length) detail += `, ${deleted.length} expired log files removed`;
    }
    return detail;
  }

  async #compact(sink: TableSink): Promise<string | null> {
    const snapshot = sink.snapshot;
    if (!snapshot) return null;
    const target = this.#o.compactTargetBytes ?? 32 * 2 ** 20;
    // Small: below the target size and the sink's rows per file, and with another small file to join.
    let small = 0;
    for (const bin of planBins(snapshot.files, target, sink.maxRowsPerFile)) small += bin.length;
    if (small < (this.#o.compactMinFiles ?? 16)) return null;
    const r = await optimizeTable(sink.store, {
      targetSizeBytes: target,
      maxRowsPerFile: sink.maxRowsPerFile,
      checkpointInterval: 0,
      now: this.#now,
    });
    if (r.version === null) return null;
    sink.invalidate();
    return `version ${r.version}: ${r.numFilesRemoved} files → ${r.numFilesAdded}`;
  }

  async #vacuum(sink: TableSink): Promise<string | null> {
    const r = await vacuumTable(sink.store, {
      retentionHours: this.#o.vacuumRetentionHours ?? 168,
      allowShortRetention: this.#o.allowShortRetention,
      now: this.#now,
    });
    return `${r.deleted.length} files deleted`;
  }
}
