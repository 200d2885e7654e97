/**
 * Watching a SQLite change source for the end of its initial snapshot, so `up` starts writing live activity
 * only once the processor follows the change table.
 *
 * Why: a snapshot is read in one read transaction, so writes during it are harmless; but a snapshot interrupted
 * by a crash resumes in a new transaction, and rows changed in between would then be read at their newer state
 * and also replayed as changes. Starting the faker after the snapshot keeps every run exact: each change the
 * faker makes reaches the lake as a change, in order.
 *
 * @module
 */
import type { ChangeSource, SourceCheckpoint } from "../../pipeline/cdc/source/change_source.ts";
import { SNAPSHOT_PREFIX, SQLITE_STREAM } from "../../pipeline/cdc/source/sqlite_source.ts";
import type { SourceFactory } from "../../pipeline/stream/stream_engine.ts";

/** A source factory whose sources report when reading has moved past the initial snapshot. */
export interface WatchedSource {
  open: SourceFactory;
  /** Resolves once a source has been read while following the change table (not snapshotting). */
  followingChanges: Promise<void>;
}

function following(checkpoint: SourceCheckpoint | null | undefined): boolean {
  const position = checkpoint?.[SQLITE_STREAM];
  return position !== undefined && !position.startsWith(SNAPSHOT_PREFIX);
}

/**
 * Wraps `open` (a SQLite source factory). A source opened at a change-table position follows changes from its
 * first read; one opened without a checkpoint, or inside a snapshot, once a read returns a change-table position.
 */
export function watchSqliteSource(open: SourceFactory): WatchedSource {
  let resolve!: () => void;
  const followingChanges = new Promise<void>((r) => (resolve = r));
  return {
    followingChanges,
    async open(from) {
      const source: ChangeSource = await open(from);
      let follows = following(from);
      return {
        async next(options) {
          const batch = await source.next(options);
          follows ||= following(batch.checkpoint);
          if (follows) resolve();
          return batch;
        },
        commit: (checkpoint) => source.commit(checkpoint),
        close: () => source.close(),
      };
    },
  };
}
