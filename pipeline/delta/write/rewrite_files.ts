/**
 * Rewriting shared by deletes, upserts and merges: read only the candidate files, decide per live row whether
 * it stays, goes or changes, and change only the files where something changed (untouched files keep their
 * `add`). Copy-on-write rewrites such a file whole; with deletion vectors the file stays and gets a vector of
 * its removed rows (physical positions, united with its old vector), and replaced rows go to new files.
 * Collects the Change Data Feed rows of what changed (never of copied rows, delta-lake.md §14).
 *
 * @module
 */
import type { Row, Value } from "../../value/mod.ts";
import type { AddFile, Metadata, Protocol, RemoveFile } from "../log/actions.ts";
import type { Snapshot } from "../log/snapshot.ts";
import type { ObjectStore } from "../storage/object_store.ts";
import { type ChangeType, type DataFileOptions, startDataFiles } from "./data_files.ts";
import { addPathToKey, decodeFileColumns } from "./file_rows.ts";
import { readDeletionVector } from "../read/deletion_vector.ts";
import { deletionVectorFile } from "../read/deletion_vector_serialize.ts";
import { withLooseBounds } from "./file_stats.ts";
import type { KeyIndex } from "./key_index.ts";
import type { RowCache } from "./row_cache.ts";
import { deletionVectorsEnabled } from "./writer_protocol.ts";
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
  /**
   * Storage keys of the files this rewrite wrote (new data files, the deletion vector file): unreferenced if
   * the commit fails. A file re-added with a deletion vector is not among them (it is live).
   */
  writtenKeys: string[];
  numDeletedRows: number;
  numUpdatedRows: number;
  numCopiedRows: number;
  /** Files that got a (new) deletion vector instead of a rewrite. */
  numDeletionVectors: number;
  /** Settles when the new files are uploaded (await it before committing `adds`). */
  uploaded: Promise<void>;
}

/** Candidate files fetched ahead of the one being rewritten (their bytes only: rows are decoded one file at a time). */
const PREFETCH = 8;

/** The id of a data file's rows in a {@linkcode RowCache}. */
export function rowCacheId(store: ObjectStore, path: string): string {
  return `${store.url}\n${path}`;
}

/** How {@linkcode rewriteFiles} works. */
export interface RewriteMode {
  /**
   * Rows of recent files: files found there are neither fetched nor decoded, and the physical rows of each
   * file written or read are put there (a file's rows never change; its vector is read from the log).
   */
  rowCache?: RowCache;
  /**
   * Changed files get a deletion vector instead of a rewrite, except a file left with no live row, which is
   * removed. @default false
   */
  deletionVectors?: boolean;
  /**
   * A cheap test on one column, false only when `decide` certainly keeps a row with that value (a merge's first
   * key column against the batch's keys). With deletion vectors, a file the row cache does not hold then has its
   * other columns converted, and row objects built, only for the rows it lets through; it is not cached unless
   * it takes at most a quarter of the cache (larger ones would only push each other out).
   */
  prefilter?: RowPrefilter;
}

/**
 * The mode of a rewrite by key: deletion vectors when the table has them on, and then the key prefilter (whose
 * key set is only built for them).
 */
export function keyedRewriteMode(
  protocol: Protocol,
  metadata: Metadata,
  index: KeyIndex,
  rowCache?: RowCache,
): RewriteMode {
  return deletionVectorsEnabled(protocol, metadata)
    ? { rowCache, deletionVectors: true, prefilter: index.prefilter() }
    : { rowCache };
}

/** A superset test of the rows `decide` changes, on the values of one column. */
export interface RowPrefilter {
  column: string;
  mayChange(value: Value): boolean;
}

/**
 * Rewrites `candidates` of `snapshot` by `decide`, which sees each live row (rows an existing deletion vector
 * deletes are skipped, but keep counting as positions).
 * Returns once every file is decided and the new ones are encoded; their uploads may still run (`uploaded`),
 * and nothing is committed.
 */
export async function rewriteFiles(
  store: ObjectStore,
  snapshot: Snapshot,
  candidates: readonly AddFile[],
  decide: (row: Row) => RowDecision,
  options: DataFileOptions,
  deletionTime: number,
  mode: RewriteMode = {},
): Promise<Rewrite> {
  const { rowCache, deletionVectors = false } = mode;
  // Only the rows that change are needed as objects: nothing is copied.
  const prefilter = deletionVectors ? mode.prefilter : undefined;
  const out: Omit<Rewrite, "uploaded"> = {
    removes: [],
    adds: [],
    changes: [],
    readPaths: new Set(),
    writtenKeys: [],
    numDeletedRows: 0,
    numUpdatedRows: 0,
    numCopiedRows: 0,
    numDeletionVectors: 0,
  };
  // Reads run ahead of decoding and uploads behind it, so a rewrite of n files waits for about one round
  // trip each way instead of 2n.
  const fetches: Promise<Uint8Array>[] = [];
  const vectorReads: (Promise<number[]> | undefined)[] = [];
  const cached = candidates.map((f) => rowCache?.get(rowCacheId(store, f.path)));
  const fetch = (i: number) => {
    if (i >= candidates.length) return;
    const dv = candidates[i].deletionVector;
    if (dv && vectorReads[i] === undefined) {
      const read = readDeletionVector(store, dv);
      read.catch(() => {});
      vectorReads[i] = read;
    }
    if (fetches[i] === undefined && cached[i] === undefined) {
      fetches[i] = store.get(addPathToKey(candidates[i].path));
      // Observed here so an early failure elsewhere leaves no unhandled rejection; awaited below.
      fetches[i].catch(() => {});
    }
  };
  const uploads: Promise<void>[] = [];
  const start = (rows: Row[]) => {
    const pending = startDataFiles(store, snapshot.metadata, snapshot.schema, rows, options);
    // One file holds the rows in order (more when they span partitions or the row limit).
    if (rowCache && pending.actions.length === 1) {
      rowCache.set(rowCacheId(store, pending.actions[0].path), rows);
    }
    out.adds.push(...pending.actions);
    out.writtenKeys.push(...pending.actions.map((a) => addPathToKey(a.path)));
    uploads.push(pending.uploaded);
  };
  // With deletion vectors: the files that get one, their vectors, and the new versions of replaced rows.
  const marked: AddFile[] = [];
  const vectors: number[][] = [];
  const moved: Row[] = [];
  try {
    for (let i = 0; i < candidates.length; i++) {
      for (let j = i; j < i + PREFETCH; j++) fetch(j);
      const file = candidates[i];
      out.readPaths.add(file.path);
      const key = addPathToKey(file.path);
      const columns = cached[i] ? null : decodeFileColumns(
        await fetches[i]!,
        `${store.url}/${key}`,
        snapshot.schema,
        snapshot.partitionColumns,
        file,
      );
      // A file small enough for the row cache is decoded whole and kept: the next batch then decodes nothing.
      const cacheable = rowCache !== undefined && columns !== null &&
        columns.numRows * snapshot.schema.fields.length <= rowCache.budget / 4;
      const filter = columns !== null && !cacheable ? prefilter : undefined;
      const rows = cached[i] ?? (filter ? null : columns!.rows());
      const numRows = rows?.length ?? columns!.numRows;
      const old = await vectorReads[i] ?? [];
      const gone = old.length > 0 ? new Set(old) : null;
      // The live positions to decide: all of them, or those the prefilter lets through.
      const positions: number[] = [];
      if (filter) {
        const values = columns!.values(filter.column);
        for (let p = 0; p < numRows; p++) {
          if (!gone?.has(p) && filter.mayChange(values[p])) positions.push(p);
        }
      } else {
        for (let p = 0; p < numRows; p++) if (!gone?.has(p)) positions.push(p);
      }
      const kept: Row[] = [];
      const removed: number[] = [];
      let updated = 0;
      for (const p of positions) {
        const row = rows ? rows[p] : columns!.row(p);
        const d = decide(row);
        if (d === undefined) {
          if (!deletionVectors) kept.push(row); // copied into the rewritten file
          continue;
        }
        removed.push(p);
        if (d === null) {
          out.numDeletedRows++;
          out.changes.push({ row, type: "delete" });
        } else {
          updated++;
          (deletionVectors ? moved : kept).push(d);
          out.changes.push({ row, type: "update_preimage" }, { row: d, type: "update_postimage" });
        }
      }
      out.numUpdatedRows += updated;
      const id = rowCacheId(store, file.path);
      if (removed.length === 0) {
        if (cached[i] === undefined && rows) rowCache?.set(id, rows);
        continue;
      }
      out.removes.push(removeFor(file, deletionTime, true));
      const live = numRows - old.length - removed.length;
      if (deletionVectors && live > 0) {
        // The file stays (with its physical rows cached); its vector grows by the rows removed now.
        if (cached[i] === undefined && rows) rowCache?.set(id, rows);
        marked.push(file);
        vectors.push(old.concat(removed));
        continue;
      }
      rowCache?.delete(id);
      if (deletionVectors) continue; // no live row left: a plain remove
      out.numCopiedRows += kept.length - updated;
      if (kept.length > 0) start(kept);
    }
    if (marked.length > 0) {
      const dvFile = deletionVectorFile(vectors);
      out.writtenKeys.push(dvFile.key);
      uploads.push(store.put(dvFile.key, dvFile.bytes));
      marked.forEach((file, i) =>
        out.adds.push({
          ...file,
          dataChange: true,
          stats: withLooseBounds(file.stats),
          deletionVector: dvFile.descriptors[i],
        })
      );
      out.numDeletionVectors = marked.length;
    }
    if (moved.length > 0) start(moved);
  } catch (e) {
    // The uploads started are unreferenced orphans (VACUUM removes them); their outcome is moot.
    for (const u of uploads) u.catch(() => {});
    throw e;
  }
  const uploaded = Promise.all(uploads).then(() => {});
  uploaded.catch(() => {}); // handled by the caller's await; this only keeps an early exit from leaking it
  return { ...out, uploaded };
}
