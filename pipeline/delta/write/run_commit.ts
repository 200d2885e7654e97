/**
 * What every write operation shares: options, loading the current snapshot, committing with orphan cleanup on
 * a conflict, and the checkpoint (plus expired-log cleanup) every `delta.checkpointInterval` commits.
 *
 * @module
 */
import { loadSnapshot, type Snapshot } from "../log/snapshot.ts";
import { TableNotFoundError } from "../log/table_not_found_error.ts";
import type { ObjectStore } from "../storage/object_store.ts";
import { CommitConflictError } from "./commit_conflict_error.ts";
import { type CommitRequest, type CommitResult, commitTransaction } from "./commit.ts";
import { writeCheckpoint } from "./checkpoint_write.ts";
import { cleanupExpiredLogs } from "./log_cleanup.ts";
import type { ParquetCompression } from "./parquet_file.ts";
import { checkpointInterval, expiredLogCleanupEnabled } from "./table_properties.ts";

/** Options every write operation takes. */
export interface WriterOptions {
  /** Clock in ms since the epoch (commit timestamps, file times, retention). @default Date.now */
  now?: () => number;
  /** Allow a store that ignores put-if-absent; only safe when no other writer exists. @default false */
  singleWriter?: boolean;
  /** @default "snappy" */
  compression?: ParquetCompression;
  /** Rows per data file at most. @default 1_000_000 */
  maxRowsPerFile?: number;
  /**
   * Write a checkpoint after commits whose version is a multiple of this; 0 never.
   * @default the table's delta.checkpointInterval (10)
   */
  checkpointInterval?: number;
  /**
   * Receives a failure of the maintenance that follows a successful commit (checkpoint, expired-log
   * cleanup). The write still succeeds: its commit is durable, and reporting it as failed would invite a
   * retry that duplicates its rows. The error's message names the table and version, its cause is the failure.
   * @default a warning on standard error
   */
  onWarning?: (warning: Error) => void;
}

function warnOnStderr(warning: Error): void {
  console.warn(`Warning: ${warning.message}`);
}

/** The latest snapshot, or null when the table does not exist yet. */
export async function loadSnapshotOrNull(store: ObjectStore): Promise<Snapshot | null> {
  try {
    return await loadSnapshot(store);
  } catch (e) {
    if (e instanceof TableNotFoundError) return null;
    throw e;
  }
}

/**
 * Commits `request`; on a conflict deletes the data files the transaction wrote (they are unreferenced) and
 * rethrows. After a successful commit, writes a checkpoint when the version is due; a failure there goes to
 * `options.onWarning` and does not fail the commit.
 */
export async function runCommit(
  store: ObjectStore,
  request: CommitRequest,
  writtenKeys: readonly string[],
  options: WriterOptions,
  configuration: Record<string, string>,
): Promise<CommitResult> {
  let result: CommitResult;
  try {
    result = await commitTransaction(store, {
      ...request,
      now: options.now,
      singleWriter: options.singleWriter,
    });
  } catch (e) {
    if (e instanceof CommitConflictError) {
      await Promise.allSettled(writtenKeys.map((k) => store.delete(k)));
      // A file that could not be deleted stays an unreferenced orphan; VACUUM removes it later.
    }
    throw e;
  }
  const interval = options.checkpointInterval ?? checkpointInterval(configuration);
  if (interval > 0 && result.version > 0 && result.version % interval === 0) {
    await maintain(store, result.version, options, configuration);
  }
  return result;
}

/** Checkpoint at `version`, then expired-log cleanup (only after a checkpoint, which it relies on). */
async function maintain(
  store: ObjectStore,
  version: number,
  options: WriterOptions,
  configuration: Record<string, string>,
): Promise<void> {
  const warn = options.onWarning ?? warnOnStderr;
  const failed = (what: string, e: unknown) =>
    warn(
      new Error(
        `Committed version ${version} to "${store.url}" but ${what} failed: ${
          e instanceof Error ? e.message : String(e)
        }`,
        { cause: e },
      ),
    );
  try {
    const snapshot = await loadSnapshot(store, { version });
    await writeCheckpoint(store, snapshot, { now: options.now });
  } catch (e) {
    return failed(`its checkpoint`, e);
  }
  if (!expiredLogCleanupEnabled(configuration)) return;
  try {
    await cleanupExpiredLogs(store, { now: options.now });
  } catch (e) {
    failed("expired log cleanup", e);
  }
}
