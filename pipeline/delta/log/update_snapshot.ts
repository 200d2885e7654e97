/**
 * Incremental tailing for the dashboard and the stream processor: the commits after a snapshot, applied to it,
 * with one listing that starts after the snapshot's version and no re-reading of older files.
 *
 * @module
 */
import type { ObjectStore } from "../storage/object_store.ts";
import { type Commit, readCommits } from "./commit_log.ts";
import { listLog } from "./listing.ts";
import { extendSnapshot, loadSnapshot, type Snapshot } from "./snapshot.ts";

/** What {@linkcode updateSnapshot} found. */
export interface SnapshotUpdate {
  /** The newest snapshot (the same object as the input when nothing changed). */
  snapshot: Snapshot;
  /** The new commits in version order, with their actions; empty when nothing changed. */
  commits: Commit[];
  /**
   * True when the commits right after the old snapshot are gone (log cleanup) so the snapshot was loaded from
   * scratch; `commits` then holds only the commits that are still there after the newest checkpoint.
   */
  reloaded: boolean;
}

/**
 * Brings `snapshot` up to the table's latest version.
 *
 * @example
 * ```ts
 * let snapshot = await loadSnapshot(store);
 * for (;;) {
 *   const update = await updateSnapshot(store, snapshot);
 *   for (const commit of update.commits) console.log(commit.version, commit.actions.length);
 *   snapshot = update.snapshot;
 *   await new Promise((r) => setTimeout(r, 1000));
 * }
 * ```
 */
export async function updateSnapshot(store: ObjectStore, snapshot: Snapshot): Promise<SnapshotUpdate> {
  const listing = await listLog(store, snapshot.version + 1);
  const versions = [...listing.commits.keys()].sort((a, b) => a - b);
  if (versions.length === 0) return { snapshot, commits: [], reloaded: false };
  const contiguous = versions[0] === snapshot.version + 1 &&
    versions.every((v, i) => v === snapshot.version + 1 + i);
  if (!contiguous) {
    const fresh = await loadSnapshot(store);
    return { snapshot: fresh, commits: [], reloaded: true };
  }
  const commits = await readCommits(
    store,
    versions.map((version) => ({ version, meta: listing.commits.get(version)! })),
    snapshot.metadata,
    null,
  );
  return { snapshot: extendSnapshot(snapshot, commits), commits, reloaded: false };
}
