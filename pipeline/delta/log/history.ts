/**
 * Table history (DESCRIBE HISTORY): one entry per commit, newest first, from the commits' `commitInfo`.
 *
 * @module
 */
import type { ObjectStore } from "../storage/object_store.ts";
import type { CommitInfo } from "./actions.ts";
import { readCommits } from "./commit_log.ts";
import { findCommitInfo } from "./commit_timestamps.ts";
import { listLog } from "./listing.ts";
import { loadSnapshot } from "./snapshot.ts";

/** One commit as history shows it. */
export interface HistoryEntry {
  version: number;
  /** Commit time in ms: in-commit timestamp where enabled, else file time made strictly increasing. */
  timestamp: number;
  operation: string | null;
  operationParameters: Record<string, unknown>;
  operationMetrics: Record<string, unknown>;
  readVersion: number | null;
  isBlindAppend: boolean | null;
  engineInfo: string | null;
  /** The whole `commitInfo`, or null for a commit without one. */
  commitInfo: CommitInfo | null;
}

/** Options for {@linkcode history}. */
export interface HistoryOptions {
  /** Only the newest this many commits. @default all commits still in the log */
  limit?: number;
}

/**
 * The history of the table in `store`, newest first, as far back as commit files exist (log cleanup removes
 * old ones).
 */
export async function history(store: ObjectStore, options: HistoryOptions = {}): Promise<HistoryEntry[]> {
  const limit = options.limit;
  if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 0)) {
    throw new RangeError(`Cannot read history of "${store.url}": limit ${limit} is not a count`);
  }
  const latest = await loadSnapshot(store);
  // With a limit only the newest commits are listed and read.
  const listing = await listLog(store, limit === undefined ? 0 : Math.max(0, latest.version - limit + 1));
  let versions = [...listing.commits.keys()].filter((v) => v <= latest.version).sort((a, b) => a - b);
  // Only the contiguous run that ends at the latest version is history; older strays are unreachable.
  for (let i = versions.length - 1; i > 0; i--) {
    if (versions[i - 1] !== versions[i] - 1) {
      versions = versions.slice(i);
      break;
    }
  }
  if (limit !== undefined) versions = versions.slice(Math.max(0, versions.length - limit));
  if (versions.length === 0) return [];
  // The latest metadata names the ICT enablement version, which tells every older commit how it is dated.
  const commits = await readCommits(
    store,
    versions.map((version) => ({ version, meta: listing.commits.get(version)! })),
    latest.metadata,
  );
  return commits.reverse().map((c) => {
    const info = findCommitInfo(c.actions);
    return {
      version: c.version,
      timestamp: c.timestamp,
      operation: typeof info?.operation === "string" ? info.operation : null,
      operationParameters: (info?.operationParameters as Record<string, unknown> | undefined) ?? {},
      operationMetrics: (info?.operationMetrics as Record<string, unknown> | undefined) ?? {},
      readVersion: typeof info?.readVersion === "number" ? info.readVersion : null,
      isBlindAppend: typeof info?.isBlindAppend === "boolean" ? info.isBlindAppend : null,
      engineInfo: typeof info?.engineInfo === "string" ? info.engineInfo : null,
      commitInfo: info,
    };
  });
}
