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
import { type ChangeType, type DataFileOptions, startDataFiles } from "./data_files.ts";
import { addPathToKey, decodeFileRows } from "./file_rows.ts";
import type { RowCache } from "./row_cache.ts";
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
  /** Settles when the new files are uploaded (await it before committing `adds`). */
  uploaded: Promise<void>;
}

/** Candidate files fetched ahead of the one being rewritten (their bytes only: rows are decoded one file at a time). */
const PREFETCH = 8;

/** The id of a data file's rows in a {@linkcode RowCache}. */
export function rowCacheId(store: ObjectStore, path: string): string {
  return `${store.url}\n${path}`;
}

/**
 * Rewrites `candidates` of `snapshot` by `decide`. Returns once every file is decided and the new ones are
 * encoded; their uploads may still run (`uploaded`), and nothing is committed. With `rowCache`, files found
 * there are neither fetched nor decoded, and the rows of each file written are put there.
 */
export async function rewriteFiles(
  store: ObjectStore,
  snapshot: Snapshot,
  candidates: readonly AddFile[],
  decide: (row: Row) => RowDecision,
  options: DataFileOptions,
  deletionTime: number,
  rowCache?: RowCache,
): Promise<Rewrite> {
  const out: Omit<Rewrite, "uploaded"> = {
    removes: [],
    adds: [],
    changes: [],
    readPaths: new Set(),
    numDeletedRows: 0,
    numUpdatedRows: 0,
    numCopiedRows: 0,
  };
  // Reads run ahead of decoding and uploads behind it, so a rewrite of n files waits for about one round
  // trip each way instead of 2n.
  const fetches: Promise<Uint8Array>[] = [];
  // A file with a deletion vector keeps its path: only the decoding path knows (and refuses) it.
  const cached = candidates.map((f) =>
    f.deletionVector ? undefined : rowCache?.get(rowCacheId(store, f.path))
  );
  const fetch = (i: number) => {
    if (i < candidates.length && fetches[i] === undefined && cached[i] === undefined) {
      fetches[i] = store.get(addPathToKey(candidates[i].path));
      // Observed here so an early failure elsewhere leaves no unhandled rejection; awaited below.
      fetches[i].catch(() => {});
    }
  };
  const uploads: Promise<void>[] = [];
  try {
    for (let i = 0; i < candidates.length; i++) {
      for (let j = i; j < i + PREFETCH; j++) fetch(j);
      const file = candidates[i];
      out.readPaths.add(file.path);
      const key = addPathToKey(file.path);
      const rows = cached[i] ?? decodeFileRows(
        await fetches[i],
        `${store.url}/${key}`,
        snapshot.schema,
        snapshot.partitionColumns,
        file,
      );
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
      const id = rowCacheId(store, file.path);
      if (!changed) {
        if (cached[i] === undefined) rowCache?.set(id, rows);
        continue;
      }
      rowCache?.delete(id);
      out.removes.push(removeFor(file, deletionTime, true));
      out.numCopiedRows += kept.length;
      if (kept.length > 0) {
        const pending = startDataFiles(store, snapshot.metadata, snapshot.schema, kept, options);
        // One file holds the kept rows in order (more when they span partitions or the row limit).
        if (rowCache && pending.actions.length === 1) {
          rowCache.set(rowCacheId(store, pending.actions[0].path), kept);
        }
        out.adds.push(...pending.actions);
        uploads.push(pending.uploaded);
      }
    }
  } catch (e) {
    // The uploads started are unreferenced orphans (VACUUM removes them); their outcome is moot.
    for (const u of uploads) u.catch(() => {});
    throw e;
  }
  // Kept rows include the replaced ones; copied rows are the unchanged rest.
  out.numCopiedRows -= out.numUpdatedRows;
  const uploaded = Promise.all(uploads).then(() => {});
  uploaded.catch(() => {}); // handled by the caller's await; this only keeps an early exit from leaking it
  return { ...out, uploaded };
}
