/**
 * OPTIMIZE (bin-packing compaction, delta-lake.md §17): small files of each partition are combined into files
 * of about the target size, in one commit whose removes and adds have `dataChange: false`, so streaming and CDF
 * readers see no change. It conflicts only with transactions that remove the same files.
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
}

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
 * rows (by stats) add up to at most `maxRows`; files already that large and single-file groups are left alone.
 */
export function planBins(files: readonly AddFile[], target: number, maxRows = Infinity): AddFile[][] {
  const byPartition = new Map<string, { file: AddFile; rows: number }[]>();
  for (const f of files) {
    const rows = fileRows(f) ?? 0;
    if (f.size >= target || rows >= maxRows || f.deletionVector) continue;
    const k = JSON.stringify(Object.entries(f.partitionValues).sort());
    const list = byPartition.get(k) ?? [];
    list.push({ file: f, rows });
    byPartition.set(k, list);
  }
  const bins: AddFile[][] = [];
  for (const list of byPartition.values()) {
    list.sort((a, b) => a.file.size - b.file.size);
    let bin: AddFile[] = [];
    let size = 0;
    let rows = 0;
    for (const { file, rows: n } of list) {
      if (bin.length > 0 && (size + file.size > target || rows + n > maxRows)) {
        bins.push(bin);
        bin = [];
        size = 0;
        rows = 0;
      }
      bin.push(file);
      size += file.size;
      rows += n;
    }
    bins.push(bin);
  }
  return bins.filter((b) => b.length > 1);
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
  const bins = planBins(snapshot.files, options.targetSizeBytes ?? 128 * 2 ** 20, options.maxRowsPerFile);
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
