/**
 * One lake table the processor writes: its store, definition and the latest snapshot, kept in memory and
 * advanced by each commit instead of re-reading the log every batch.
 *
 * @module
 */
import type { Snapshot } from "../delta/log/snapshot.ts";
import { updateSnapshot } from "../delta/log/update_snapshot.ts";
import type { ObjectStore } from "../delta/storage/object_store.ts";
import { CommitConflictError } from "../delta/write/commit_conflict_error.ts";
import { enableDeletionVectors } from "../delta/write/enable_deletion_vectors.ts";
import { mergeRows } from "../delta/write/merge_rows.ts";
import { deletionVectorsEnabled } from "../delta/write/writer_protocol.ts";
import type { RowCache } from "../delta/write/row_cache.ts";
import type { ParquetCompression } from "../delta/write/parquet_file.ts";
import { loadSnapshotOrNull } from "../delta/write/run_commit.ts";
import type { OutputTable, TableDelta } from "./operators/mod.ts";

/** Options of {@linkcode TableSink}. */
export interface TableSinkOptions {
  /** The txn application id (the job). */
  appId: string;
  /** Write Change Data Feed files (protocol 1,4). */
  changeDataFeed: boolean;
  /** Commit attempts on conflicts before giving up. @default 10 */
  maxAttempts?: number;
  /** Clock in ms since the epoch. @default Date.now */
  now?: () => number;
  compression?: ParquetCompression;
  maxRowsPerFile?: number;
  /**
   * Deletion vectors: create the table with them, and turn them on for an existing table at its first commit.
   * @default false
   */
  deletionVectors?: boolean;
  /** Rows of recent data files, shared by the sinks of one process (see mergeRows). */
  rowCache?: RowCache;
  /** Called before retrying after a conflict. */
  onConflict?: (error: CommitConflictError, attempt: number) => void;
}

/** What one batch did to one table. */
export interface SinkResult {
  table: string;
  /** The version committed, or null when nothing was committed (skipped or no change). */
  version: number | null;
  /** The table already held the batch. */
  skipped: boolean;
  /** Conflicts retried. */
  conflicts: number;
}

/** Writes one output table, one atomic commit per batch, idempotently. */
export class TableSink {
  readonly store: ObjectStore;
  readonly table: OutputTable;
  readonly #options: TableSinkOptions;
  /** Undefined until loaded; null while the table does not exist. */
  #snapshot: Snapshot | null | undefined;
  #loading: Promise<Snapshot | null> | null = null;
  #stale = false;

  constructor(store: ObjectStore, table: OutputTable, options: TableSinkOptions) {
    this.store = store;
    this.table = table;
    this.#options = options;
  }

  /** Rows per data file at most (undefined: the writer's default). */
  get maxRowsPerFile(): number | undefined {
    return this.#options.maxRowsPerFile;
  }

  /** The latest snapshot this sink knows (undefined before the first use, null when the table is missing). */
  get snapshot(): Snapshot | null | undefined {
    return this.#snapshot;
  }

  /**
   * Starts loading the table's snapshot in the background, so the first commit does not wait for it (a failed
   * load fails that commit, which then loads again).
   */
  preload(): void {
    if (this.#snapshot !== undefined || this.#loading !== null) return;
    const loading = this.reload();
    loading.catch(() => {}); // awaited by the first commit
    this.#loading = loading;
  }

  /** Loads the table's latest snapshot (on first use, and after a conflict). */
  async reload(): Promise<Snapshot | null> {
    this.#stale = false;
    return this.#snapshot = await loadSnapshotOrNull(this.store);
  }

  /**
   * Says another writer committed to the table (e.g. background compaction): the next commit first reads the
   * commits it missed, instead of finding out through a conflict. Only the commit path changes the snapshot,
   * so this is safe while a commit runs.
   */
  invalidate(): void {
    this.#stale = true;
  }

  /**
   * Commits `delta` as batch `batch`: upserts and deletes in one commit with `txn {appId, version: batch}`,
   * creating the table on first use. Skips when the table already holds the batch. On a conflict (background
   * compaction, another instance) reloads the snapshot and redoes the commit, up to `maxAttempts` times.
   * `beforeCommit` (the batch's write-ahead claim) is awaited after the data files are written and before the
   * commit is published.
   */
  async commit(
    batch: number,
    delta: TableDelta,
    beforeCommit?: () => Promise<void>,
  ): Promise<SinkResult> {
    const max = this.#options.maxAttempts ?? 10;
    let conflicts = 0;
    if (this.#snapshot === undefined) {
      const loading = this.#loading;
      this.#loading = null;
      await (loading ?? this.reload());
    } else if (this.#stale) {
      this.#stale = false;
      if (this.#snapshot !== null) {
        this.#snapshot = (await updateSnapshot(this.store, this.#snapshot)).snapshot;
      }
    }
    for (;;) {
      try {
        if (this.#options.deletionVectors && this.#snapshot) {
          const { protocol, metadata } = this.#snapshot;
          if (
            !deletionVectorsEnabled(protocol, metadata) && await enableDeletionVectors(this.store) !== null
          ) {
            await this.reload();
          }
        }
        const result = await mergeRows(this.store, {
          upserts: delta.upserts,
          deletes: delta.deletes,
          keyColumns: this.table.key,
          txn: { appId: this.#options.appId, version: batch },
          snapshot: this.#snapshot,
          create: {
            schema: this.table.schema,
            enableChangeDataFeed: this.#options.changeDataFeed,
            enableDeletionVectors: this.#options.deletionVectors,
            name: this.table.name,
          },
          // Checkpoints are written by the background lake health loop, off the hot path.
          checkpointInterval: 0,
          now: this.#options.now,
          compression: this.#options.compression,
          maxRowsPerFile: this.#options.maxRowsPerFile,
          rowCache: this.#options.rowCache,
          beforeCommit,
        });
        this.#snapshot = result.snapshot;
        return { table: this.table.name, version: result.version, skipped: result.skipped, conflicts };
      } catch (e) {
        if (!(e instanceof CommitConflictError) || ++conflicts >= max) throw e;
        this.#options.onConflict?.(e, conflicts);
        await this.reload();
      }
    }
  }
}
