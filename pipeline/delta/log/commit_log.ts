/**
 * Reading runs of commits with their commit times: the shared core of incremental tailing, history and the
 * Change Data Feed.
 *
 * @module
 */
import type { ObjectMeta, ObjectStore } from "../storage/object_store.ts";
import type { Action, Metadata } from "./actions.ts";
import { commitTime, ictEnablementVersion, monotonize } from "./commit_timestamps.ts";
import { mapConcurrent } from "./map_concurrent.ts";
import { readLogFile } from "./read_log_file.ts";

/** One commit: its version, its actions and its commit time. */
export interface Commit {
  version: number;
  /**
   * Commit time in ms since the epoch: the in-commit timestamp when In-Commit Timestamps are on for the
   * version, else the commit file's modification time (made strictly increasing over the versions read).
   */
  timestamp: number;
  actions: Action[];
}

/**
 * Reads the commit files `metas` (contiguous versions, ascending) and dates them. `metadata` is the table's
 * metadata before the first of them (null when reading from version 0); a `metaData` action inside the run
 * takes effect from its own version, so ICT enablement is followed as it happens. `previousTime` is the commit
 * time before the run, for monotonisation.
 */
export async function readCommits(
  store: ObjectStore,
  metas: readonly { version: number; meta: ObjectMeta }[],
  metadata: Metadata | null,
  previousTime: number | null = null,
  concurrency = 16,
): Promise<Commit[]> {
  const batches = await mapConcurrent(metas, concurrency, ({ meta }) => readLogFile(store, meta.key));
  const fileTimes = monotonize([
    ...(previousTime === null ? [] : [previousTime]),
    ...metas.map((m) => m.meta.lastModified),
  ])
    .slice(previousTime === null ? 0 : 1);
  const commits: Commit[] = [];
  let current = metadata;
  metas.forEach(({ version }, i) => {
    const actions = batches[i];
    for (const a of actions) if ("metaData" in a) current = a.metaData;
    const ictFrom = current ? ictEnablementVersion(current) : null;
    commits.push({
      version,
      timestamp: commitTime(version, actions, fileTimes[i], ictFrom, store.url),
      actions,
    });
  });
  return commits;
}
