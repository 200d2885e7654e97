/**
 * Copy-on-write rewriting shared by deletes and upserts: read only the candidate files, decide per row whether
 * it stays, goes or changes, and rewrite only the files where something changed (untouched files keep their
 * `add`). Collects the Change Data Feed rows of what changed (never of copied rows, delta-lake.md §14).
 *
 * @module
 */
import type { Row } from "../../value/mod.ts";
import type { AddFile, RemoveFile } from "../log/actions.ts";
import type { Snapshot } from "../log/snapshot.ts";
import type { ObjectStore } from "../storage/object_store.ts";
import { type ChangeType, type DataFileOptions, writeDataFiles } from "./data_files.ts";
import { readFileRows } from "./file_rows.ts";
import { removeFor } from "./write_table.ts";

/** What to do with one existing row: keep it (undefined), delete it (null) or replace it (a new row). */
export type RowDecision = Row | null | undefined;

/** The actions and change rows of a rewrite. */
export interface Rewrite {
  removes: RemoveFile[];
  adds: AddFile[];
  changes: { row: Row; type: ChangeType }[];
  /** Paths of the files read. */
  readPaths: Set<string>;
  numDeletedRows: number;
  numUpdatedRows: number;
  numCopiedRows: number;
}

/** Rewrites `candidates` of `snapshot` by `decide`; the new files are written but not yet committed. */
export async function rewriteFiles(
  store: ObjectStore,
  snapshot: Snapshot,
  candidates: readonly AddFile[],
  decide: (row: Row) => RowDecision,
  options: DataFileOptions,
  deletionTime: number,
): Promise<Rewrite> {
  const out: Rewrite = {
    removes: [],
    adds: [],
    changes: [],
    readPaths: new Set(),
    numDeletedRows: 0,
    numUpdatedRows: 0,
    numCopiedRows: 0,
  };
  for (const file of candidates) {
    out.readPaths.add(file.path);
    const rows = await readFileRows(store, snapshot.schema, snapshot.partitionColumns, file);
    const kept: Row[] = [];
    let changed = false;
    for (const row of rows) {
      const d = decide(row);
      if (d === undefined) kept.push(row);
      else if (d === null) {
        changed = true;
        out.numDeletedRows++;
        out.changes.push({ row, type: "delete" });
      } else {
        changed = true;
        out.numUpdatedRows++;
        kept.push(d);
        out.changes.push({ row, type: "update_preimage" }, { row: d, type: "update_postimage" });
      }
    }
    if (!changed) continue;
    out.removes.push(removeFor(file, deletionTime, true));
    out.numCopiedRows += kept.length;
    if (kept.length > 0) {
      out.adds.push(...await writeDataFiles(store, snapshot.metadata, snapshot.schema, kept, options));
    }
  }
  // Kept rows include the replaced ones; copied rows are the unchanged rest.
  out.numCopiedRows -= out.numUpdatedRows;
  return out;
}
