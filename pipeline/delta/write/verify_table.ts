/**
 * `lake verify`: checks a table's log invariants (contiguous versions from a checkpoint or 0, protocol and
 * metaData at version 0, at most one add/remove per path per commit, partition values for every partition
 * column, parseable stats) and that every live data file exists with the size the log records, and its
 * deletion vector, if any, exists with the size, CRC-32 and cardinality the log records.
 *
 * @module
 */
import { listLog } from "../log/listing.ts";
import { readLastCheckpoint } from "../log/last_checkpoint.ts";
import { loadSnapshot, readCommit } from "../log/snapshot.ts";
import { readDeletionVector } from "../read/deletion_vector.ts";
import type { ObjectStore } from "../storage/object_store.ts";
import { addPathToKey } from "./file_rows.ts";

/** The outcome of {@linkcode verifyTable}. */
export interface VerifyReport {
  version: number;
  numFiles: number;
  /** One line per problem found; empty when the table is sound. */
  problems: string[];
}

/** Verifies the table in `store` at its latest version. */
export async function verifyTable(store: ObjectStore): Promise<VerifyReport> {
  const problems: string[] = [];
  const snapshot = await loadSnapshot(store);
  const listing = await listLog(store, 0);
  const versions = [...listing.commits.keys()].sort((a, b) => a - b);
  const first = versions[0] ?? 0;
  for (let v = first; v <= snapshot.version; v++) {
    if (!listing.commits.has(v)) problems.push(`version ${v} is missing from the log`);
  }
  if (
    first > 0 && !listing.checkpoints.some((c) => c.version >= first - 1 && c.version <= snapshot.version)
  ) {
    problems.push(`the log starts at version ${first} without a checkpoint to start from`);
  }
  const hint = await readLastCheckpoint(store);
  if (hint && !listing.checkpoints.some((c) => c.version === hint.version)) {
    problems.push(`_last_checkpoint points to version ${hint.version}, which has no complete checkpoint`);
  }
  for (const v of versions) {
    let actions;
    try {
      actions = await readCommit(store, v);
    } catch (e) {
      problems.push(`version ${v}: ${(e as Error).message}`);
      continue;
    }
    if (v === 0) {
      if (!actions.some((a) => "protocol" in a)) problems.push("version 0 has no protocol");
      if (!actions.some((a) => "metaData" in a)) problems.push("version 0 has no metaData");
    }
    const seen = new Set<string>();
    for (const a of actions) {
      const kind = "add" in a ? "add" : "remove" in a ? "remove" : null;
      if (!kind) continue;
      const path = "add" in a ? a.add.path : (a as { remove: { path: string } }).remove.path;
      if (seen.has(`${kind}:${path}`)) problems.push(`version ${v} has two ${kind} actions for "${path}"`);
      seen.add(`${kind}:${path}`);
    }
  }
  const pcols = snapshot.partitionColumns;
  await Promise.all(snapshot.files.map(async (f) => {
    for (const c of pcols) {
      if (!(c in f.partitionValues)) problems.push(`file "${f.path}" has no partition value for "${c}"`);
    }
    if (f.stats) {
      try {
        const stats = JSON.parse(f.stats);
        if (typeof stats.numRecords !== "number") {
          problems.push(`file "${f.path}" has stats without numRecords`);
        }
      } catch {
        problems.push(`file "${f.path}" has stats that are not JSON`);
      }
    }
    if (f.deletionVector) {
      try {
        await readDeletionVector(store, f.deletionVector);
      } catch (e) {
        problems.push(`file "${f.path}": ${(e as Error).message}`);
      }
    }
    const meta = await store.head(addPathToKey(f.path));
    if (!meta) problems.push(`file "${f.path}" is referenced by the log but does not exist`);
    else if (meta.size !== f.size) {
      problems.push(`file "${f.path}" is ${meta.size} bytes, the log says ${f.size}`);
    }
  }));
  return { version: snapshot.version, numFiles: snapshot.files.length, problems: problems.sort() };
}
