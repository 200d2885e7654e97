/**
 * Expired log cleanup (PROTOCOL.md "Metadata Cleanup", delta-lake.md §17): commits and checkpoints older than
 * `delta.logRetentionDuration` are deleted, but only below a checkpoint that still rebuilds every kept version.
 *
 * @module
 */
import { listLog } from "../log/listing.ts";
import { LOG_DIR, parseLogPath } from "../log/log_path.ts";
import { loadSnapshot } from "../log/snapshot.ts";
import type { ObjectStore } from "../storage/object_store.ts";
import { logRetention } from "./table_properties.ts";

const DAY = 86_400_000;

/**
 * Deletes log files of versions below the newest checkpoint that is at or before the newest commit older than
 * the cutoff (midnight UTC of now − logRetentionDuration). That checkpoint and its commit are kept. Returns the
 * deleted keys.
 */
export async function cleanupExpiredLogs(
  store: ObjectStore,
  options: { now?: () => number } = {},
): Promise<string[]> {
  const now = (options.now ?? Date.now)();
  const snapshot = await loadSnapshot(store);
  const cutoff = Math.floor((now - logRetention(snapshot.properties)) / DAY) * DAY;
  const listing = await listLog(store, 0);
  let newestExpired = -1;
  for (const [version, meta] of listing.commits) {
    if (meta.lastModified <= cutoff && version > newestExpired) newestExpired = version;
  }
  const keep = listing.checkpoints.find((c) => c.version <= newestExpired && c.kind === "classic");
  if (!keep) return [];
  const deleted: string[] = [];
  for await (const meta of store.list(LOG_DIR)) {
    const p = parseLogPath(meta.key);
    if (!p) continue;
    const last = p.kind === "compaction" ? p.endVersion : p.version;
    if (last < keep.version) {
      await store.delete(meta.key);
      deleted.push(meta.key);
    }
  }
  return deleted;
}
