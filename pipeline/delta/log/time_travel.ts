/**
 * Time travel by timestamp (PROTOCOL.md / Spark `DeltaHistoryManager`): the latest version whose commit time is
 * at or before a given time.
 *
 * @module
 */
import type { ObjectStore } from "../storage/object_store.ts";
import { commitTime, ictEnablementVersion, monotonize } from "./commit_timestamps.ts";
import { listLog } from "./listing.ts";
import { commitKey } from "./log_path.ts";
import { readLogFile } from "./read_log_file.ts";
import type { Snapshot } from "./snapshot.ts";

/**
 * The version of `latest`'s table that was current at `timestampMs`. Versions before the In-Commit Timestamp
 * enablement use file modification times made strictly increasing; later ones use their in-commit timestamps,
 * found by binary search (a few commit reads, not all). A time before the earliest commit is a RangeError, or
 * the earliest version with `clamp`.
 */
export async function versionAtTimestamp(
  store: ObjectStore,
  latest: Snapshot,
  timestampMs: number,
  clamp = false,
): Promise<number> {
  const url = store.url;
  const listing = await listLog(store, 0);
  const versions = [...listing.commits.keys()].filter((v) => v <= latest.version).sort((a, b) => a - b);
  if (versions.length === 0) {
    throw new RangeError(
      `Cannot find the version of "${url}" at ${iso(timestampMs)}: the log has no commits`,
    );
  }
  const ictFrom = ictEnablementVersion(latest.metadata);
  const ictTime = async (version: number) => {
    const actions = await readLogFile(store, commitKey(version));
    return commitTime(version, actions, 0, ictFrom, url);
  };
  if (
    ictFrom !== null && ictFrom <= latest.version &&
    (await ictTime(Math.max(ictFrom, versions[0]))) <= timestampMs
  ) {
    // Binary search for the last ICT version with time ≤ T (ICT times increase by the protocol).
    let lo = Math.max(ictFrom, versions[0]);
    let hi = latest.version;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if ((await ictTime(mid)) <= timestampMs) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
  const fileVersions = ictFrom === null ? versions : versions.filter((v) => v < ictFrom);
  const times = monotonize(fileVersions.map((v) => listing.commits.get(v)!.lastModified));
  let found = -1;
  for (let i = 0; i < times.length && times[i] <= timestampMs; i++) found = i;
  if (found < 0 && clamp) return versions[0];
  if (found < 0) {
    const first = times.length > 0 ? times[0] : await ictTime(Math.max(ictFrom ?? 0, versions[0]));
    throw new RangeError(
      `Cannot find the version of "${url}" at ${iso(timestampMs)}: the earliest commit (version ${
        versions[0]
      }) is at ${iso(first)}`,
    );
  }
  return fileVersions[found];
}

function iso(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ms) : d.toISOString();
}
