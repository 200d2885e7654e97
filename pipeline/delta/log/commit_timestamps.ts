/**
 * Commit timestamps (PROTOCOL.md "In-Commit Timestamps", Spark `DeltaHistoryManager`): a commit's time is its
 * `commitInfo.inCommitTimestamp` when In-Commit Timestamps are on for that version, else the commit file's
 * modification time, made strictly increasing over the versions.
 *
 * @module
 */
import type { Action, CommitInfo, Metadata } from "./actions.ts";

/**
 * The first version whose commit time is its in-commit timestamp, or null when the table does not enable
 * In-Commit Timestamps. A table created with ICT on has no enablement version property and uses ICT from 0.
 */
export function ictEnablementVersion(metadata: Metadata): number | null {
  const config = metadata.configuration ?? {};
  if (config["delta.enableInCommitTimestamps"] !== "true") return null;
  const v = config["delta.inCommitTimestampEnablementVersion"];
  return v === undefined ? 0 : Number(v);
}

/** The `commitInfo` of a commit's actions, if any. */
export function findCommitInfo(actions: readonly Action[]): CommitInfo | null {
  for (const a of actions) if ("commitInfo" in a) return a.commitInfo;
  return null;
}

/**
 * Spark's monotonisation: a commit whose time is not after the previous commit's time gets the previous time
 * plus 1 ms. `times` are in version order; a new array is returned.
 */
export function monotonize(times: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < times.length; i++) {
    out.push(i > 0 && times[i] <= out[i - 1] ? out[i - 1] + 1 : times[i]);
  }
  return out;
}

/**
 * The time of one commit: its in-commit timestamp when `version ≥ ictFrom`, else `fileTime`. A commit that
 * should carry an in-commit timestamp and does not is a broken log (Error naming the version).
 */
export function commitTime(
  version: number,
  actions: readonly Action[] | null,
  fileTime: number,
  ictFrom: number | null,
  tableUrl: string,
): number {
  if (ictFrom === null || version < ictFrom) return fileTime;
  const ict = actions ? findCommitInfo(actions)?.inCommitTimestamp : undefined;
  if (typeof ict !== "number") {
    throw new Error(
      `Cannot read "${tableUrl}" at version ${version}: In-Commit Timestamps are enabled but the commit has no inCommitTimestamp`,
    );
  }
  return ict;
}
