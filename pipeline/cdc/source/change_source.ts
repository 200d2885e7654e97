/**
 * The one interface every change source implements (Kafka + Debezium, SQL Server CDC, SQLite triggers, memory).
 *
 * Contract:
 * - `next()` returns the next batch in source order, at most `maxRecords` long; it waits up to `maxWaitMs` for
 *   data and then returns an empty batch, so callers stay responsive. A source reads no further ahead than the
 *   batch asked for (backpressure).
 * - Positions are owned by the caller: a batch carries the checkpoint reached after it; the caller stores it
 *   atomically with its output, then calls `commit()`. A source started with a checkpoint resumes right after
 *   it, so nothing committed is read twice and nothing is skipped (at least once for what was not committed).
 * - A lost connection is retried with backoff inside `next()`; reading resumes from the last position read.
 * - Every long wait honours `signal`; `close()` releases everything and is idempotent.
 *
 * @module
 */
import type { QuarantineRecord } from "../quarantine.ts";
import type { SourceRecord } from "../source_record.ts";

/**
 * Where reading resumes, per stream: Kafka `"<topic>/<partition>"` → next offset; SQLite `"sqlite"` → last seq read
 * (a SQLite position), or `"snapshot"` while the initial snapshot is incomplete; SQL Server `"sqlserver"` → last
 * position read. Plain strings so the caller can store them anywhere (a Delta `txn` action, a file).
 */
export type SourceCheckpoint = Record<string, string>;

/** One pull. */
export interface SourceBatch {
  /** Decoded records, in source order. */
  records: SourceRecord[];
  /** Messages that could not be decoded, with their raw bytes (for the `_quarantine` table). */
  quarantined: QuarantineRecord[];
  /**
   * Checkpoint after this batch, for the streams it touched (merge it into the caller's checkpoint). Empty when
   * nothing was read.
   */
  checkpoint: SourceCheckpoint;
  /**
   * The stream (checkpoint key) each record came from, parallel to `records`, from sources that read several
   * streams in one pull (Kafka partitions). Without it a record belongs to every stream the pull's checkpoint
   * names. Per-stream metrics only; not part of the records' identity.
   */
  streams?: string[];
}

/** Options of {@linkcode ChangeSource.next}. */
export interface NextOptions {
  /** @default 10000 */
  maxRecords?: number;
  /** How long to wait for the first record. @default 1000 */
  maxWaitMs?: number;
  signal?: AbortSignal;
}

/** A pull-based change source. */
export interface ChangeSource {
  next(options?: NextOptions): Promise<SourceBatch>;
  /** The caller durably committed everything up to `checkpoint`; the source may acknowledge it upstream. */
  commit(checkpoint: SourceCheckpoint): Promise<void>;
  close(): Promise<void>;
}

/** Merges checkpoints, later ones winning per stream. */
export function mergeCheckpoints(...checkpoints: SourceCheckpoint[]): SourceCheckpoint {
  return Object.assign({}, ...checkpoints);
}

/** The empty batch. */
export function emptyBatch(): SourceBatch {
  return { records: [], quarantined: [], checkpoint: {} };
}
