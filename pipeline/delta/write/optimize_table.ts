/**
 * OPTIMIZE (bin-packing compaction, delta-lake.md §17): small files of each partition are combined into files
 * of about the target size, in one commit whose removes and adds have `dataChange: false`, so streaming and CDF
 * readers see no change. It conflicts only with transactions that remove the same files. Files with deletion
 * vectors count by their live rows (never as full), and a file whose vector deletes at least
 * {@linkcode MAX_DELETED_ROWS_RATIO} of its rows is rewritten without them (purged) even when it is alone.
 *
 * @module
 */
import type { Row } from "../../value/mod.ts";
import type { Action, AddFile } from "../log/actions.ts";
import type { ObjectStore } from "../storage/object_store.ts";
import { writeDataFiles } from "./data_files.ts";
import { addPathToKey, readFileRows } from "./file_rows.ts";
import { loadSnapshotOrNull, runCommit, type WriterOptions } from "./run_commit.ts";
import { footprint, removeFor } from "./write_table.ts";
import { checkWritable } from "./writer_protocol.ts";

/**
 * Options of {@linkcode optimizeTable}; `maxRowsPerFile` also bounds the rows of a compacted file (files that
 * already hold that many are left alone).
 */
export interface OptimizeOptions extends WriterOptions {
  /** Files smaller than this are compacted into files of about this size. @default 128 MiB */
  targetSizeBytes?: number;
  /**
   * Files whose deletion vector deletes at least this fraction of their rows are purged (rewritten without the
   * deleted rows). @default MAX_DELETED_ROWS_RATIO (0.2)
   */
  maxDeletedRowsRatio?: number;
}

/**
 * The default fraction of deleted rows at which OPTIMIZE purges a file with a deletion vector. Below it the
 * file stays as it is: under random updates (an SCD2 dimension) most files carry a few deleted rows, and
 * purging them all would bring back the whole-table rewrites deletion vectors avoid; at 20 % a reader decodes
 * at most a quarter more rows than it returns. (Delta-Spark's OPTIMIZE uses 5 %,
 * `spark.databricks.delta.optimize.maxDeletedRowsRatio`, for tables that OPTIMIZE seldom.)
 */
export const MAX_DELETED_ROWS_RATIO = 0.2;

/** What OPTIMIZE did. */
export interface OptimizeResult {
  version: number | null;
  numFilesRemoved: number;
  numFilesAdded: number;
}

/** Rows of a data file from its stats, or null when they do not say. */
function fileRows(f: AddFile): number | null {
  if (!f.stats) return null;
  try {
    const n = (JSON.parse(f.stats) as { numRecords?: unknown }).numRecords;
    return typeof n === "number" ? n : null;
  } catch {
    return null;
  }
}

/**
 * Groups of small files (per partition) whose sizes add up to at most `target` bytes and, with `maxRows`, whose
 * rows (by stats) add up to at most `maxRows`; files already that large and single-file groups are left alone,
 * except files to purge. A file with a deletion vector counts by its live rows and their share of its size;
 * one whose vector deletes at least `maxDeletedRatio` of its rows is always in a group, alone if need be.
 */
export function planBins(
  files: readonly AddFile[],
  target: number,
  maxRows = Infinity,
  maxDeletedRatio = MAX_DELETED_ROWS_RATIO,
): AddFile[][] {
  const byPartition = new Map<string, { file: AddFile; rows: number; size: number; purge: boolean }[]>();
  for (const f of files) {
    const physical = fileRows(f) ?? 0;
    const deleted = f.deletionVector?.cardinality ?? 0;
    const rows = Math.max(0, physical - deleted);
    const size = physical > 0 ? f.size * rows / physical : f.size;
    const purge = deleted > 0 && (physical === 0 || deleted / physical >= maxDeletedRatio);
    if (!purge && (size >= target || rows >= maxRows)) continue;
    const k = JSON.stringify(Object.entries(f.partitionValues).sort());
    const list = byPartition.get(k) ?? [];
    list.push({ file: f, rows, size, purge });
    byPartition.set(k, list);
  }
  const bins: AddFile[][] = [];
  for (const list of byPartition.values()) {
    list.sort((a, b) => a.size - b.size);
    let bin: AddFile[] = [];
    let size = 0;
    let rows = 0;
    let purge = false;
    const close = () => {
      if (bin.length > 1 || purge) bins.push(bin);
      bin = [];
      size = 0;
      rows = 0;
      purge = false;
    };
    for (const f of list) {
      if (bin.length > 0 && (size + f.size > target || rows + f.rows > maxRows)) close();
      bin.push(f.file);
      size += f.size;
      rows += f.rows;
      purge ||= f.purge;
    }
    close();
  }
  return bins;
}

/** Compacts small files; commits nothing (version null) when there is nothing to compact. */
export async function optimizeTable(
  store: ObjectStore,
  options: OptimizeOptions = {},
): Promise<OptimizeResult> {
  const snapshot = await loadSnapshotOrNull(store);
  if (!snapshot) throw new Error(`Cannot optimize "${store.url}": the table does not exist`);
  checkWritable(snapshot.protocol, snapshot.metadata, store.url);
  const clock = options.now ?? Date.now;
  const now = clock();
  const bins = planBins(
    snapshot.files,
    options.targetSizeBytes ?? 128 * 2 ** 20,
    options.maxRowsPerFile,
    options.maxDeletedRowsRatio,
  );
  if (bins.length === 0) return { version: null, numFilesRemoved: 0, numFilesAdded: 0 };
  const actions: Action[] = [];
  const removed = new Set<string>();
  const written: string[] = [];
  let added = 0;
  for (const bin of bins) {
    const rows: Row[] = [];
    for (const f of bin) {
      rows.push(...await readFileRows(store, snapshot.schema, snapshot.partitionColumns, f));
    }
    const adds = await writeDataFiles(store, snapshot.metadata, snapshot.schema, rows, {
      now: clock,
      compression: options.compression,
      maxRowsPerFile: options.maxRowsPerFile,
      dataChange: false,
    });
    for (const f of bin) {
      actions.push({ remove: removeFor(f, now, false) });
      removed.add(f.path);
    }
    for (const a of adds) {
      actions.push({ add: a });
      written.push(addPathToKey(a.path));
    }
    added += adds.length;
  }
  const { version } = await runCommit(
    store,
    {
      readVersion: snapshot.version,
      actions,
      operation: "OPTIMIZE",
      operationParameters: { predicate: "[]", zOrderBy: "[]" },
      operationMetrics: { numRemovedFiles: String(removed.size), numAddedFiles: String(added) },
      footprint: footprint({ readPaths: removed, removedPaths: removed }),
      isBlindAppend: false,
    },
    written,
    options,
    snapshot.properties,
  );
  return { version, numFilesRemoved: removed.size, numFilesAdded: added };
}
