/**
 * Upsert (MERGE by key): rows whose key exists replace the old row, the others are inserted, as one commit.
 * Only files that may hold a touched key (by the first key column's stats or partition value) are read, and
 * only files that hold one are rewritten.
 *
 * @module
 */
import type { Row } from "../../value/mod.ts";
import type { Action } from "../log/actions.ts";
import type { ObjectStore } from "../storage/object_store.ts";
import { startChangeDataFiles, startDataFiles } from "./data_files.ts";
import { addPathToKey } from "./file_rows.ts";
import { KeyIndex } from "./key_index.ts";
import { keyedRewriteMode, rewriteFiles } from "./rewrite_files.ts";
import { loadSnapshotOrNull, runCommit, type WriterOptions } from "./run_commit.ts";
import { checkColumns, footprint } from "./write_table.ts";
import { cdfEnabled, checkWritable } from "./writer_protocol.ts";

/** What an upsert did. */
export interface UpsertResult {
  version: number | null;
  numUpdatedRows: number;
  numInsertedRows: number;
  numRemovedFiles: number;
  numAddedFiles: number;
  /** Files read to find the keys (the others were skipped by stats). */
  numFilesRead: number;
}

/**
 * Upserts `rows` by `keyColumns`. When several input rows share a key, the last one wins. Conflicts with
 * concurrent data changes raise CommitConflictError.
 */
export async function upsertRows(
  store: ObjectStore,
  rows: readonly Row[],
  keyColumns: readonly string[],
  options: WriterOptions = {},
): Promise<UpsertResult> {
  const snapshot = await loadSnapshotOrNull(store);
  if (!snapshot) throw new Error(`Cannot upsert into "${store.url}": the table does not exist`);
  checkWritable(snapshot.protocol, snapshot.metadata, store.url, { removesData: true });
  checkColumns(snapshot.schema, rows, store.url);
  const clock = options.now ?? Date.now;
  const now = clock();
  const index = new KeyIndex(snapshot.schema, snapshot.partitionColumns, keyColumns);
  const incoming = new Map<string, Row>();
  for (const r of rows) incoming.set(index.keyOf(r), r);
  const unique = [...incoming.values()];
  index.index(unique);
  const matched = new Set<string>();
  const candidates = snapshot.files.filter((f) => index.mayContain(f));
  const fileOptions = {
    now: clock,
    compression: options.compression,
    maxRowsPerFile: options.maxRowsPerFile,
  };
  const rw = await rewriteFiles(
    store,
    snapshot,
    candidates,
    (row) => {
      const k = index.keyOf(row);
      const next = incoming.get(k);
      if (!next) return undefined;
      matched.add(k);
      // Columns the input row lacks keep their current value.
      return { ...row, ...next };
    },
    fileOptions,
    now,
    keyedRewriteMode(snapshot.protocol, snapshot.metadata, index),
  );
  const inserts = [...incoming].filter(([k]) => !matched.has(k)).map(([, r]) => r);
  const inserted = startDataFiles(store, snapshot.metadata, snapshot.schema, inserts, fileOptions);
  const changes = [...rw.changes, ...inserts.map((row) => ({ row, type: "insert" as const }))];
  const cdcFiles = cdfEnabled(snapshot.metadata) && changes.length
    ? startChangeDataFiles(store, snapshot.metadata, snapshot.schema, changes, fileOptions)
    : null;
  await Promise.all([rw.uploaded, inserted.uploaded, cdcFiles?.uploaded]);
  const cdc = cdcFiles?.actions ?? [];
  const adds = [...rw.adds, ...inserted.actions];
  if (adds.length === 0 && rw.removes.length === 0) {
    return {
      version: null,
      numUpdatedRows: 0,
      numInsertedRows: 0,
      numRemovedFiles: 0,
      numAddedFiles: 0,
      numFilesRead: candidates.length,
    };
  }
  const actions: Action[] = [
    ...rw.removes.map((remove) => ({ remove })),
    ...adds.map((add) => ({ add })),
    ...cdc.map((c) => ({ cdc: c })),
  ];
  const on = keyColumns.map((c) => `t.${c} = s.${c}`).join(" AND ");
  const { version } = await runCommit(
    store,
    {
      readVersion: snapshot.version,
      actions,
      operation: "MERGE",
      operationParameters: {
        predicate: JSON.stringify([on]),
        matchedPredicates: JSON.stringify([{ actionType: "update" }]),
        notMatchedPredicates: JSON.stringify([{ actionType: "insert" }]),
        notMatchedBySourcePredicates: "[]",
      },
      operationMetrics: {
        numTargetRowsUpdated: String(rw.numUpdatedRows),
        numTargetRowsInserted: String(inserts.length),
        numTargetRowsCopied: String(rw.numCopiedRows),
        numTargetFilesRemoved: String(rw.removes.length),
        numTargetFilesAdded: String(adds.length),
        numTargetDeletionVectorsAdded: String(rw.numDeletionVectors),
        numSourceRows: String(rows.length),
      },
      footprint: footprint({
        readsData: true,
        readPaths: rw.readPaths,
        removedPaths: new Set(rw.removes.map((r) => r.path)),
      }),
      isBlindAppend: false,
    },
    [...rw.writtenKeys, ...[...inserted.actions, ...cdc].map((a) => addPathToKey(a.path))],
    options,
    snapshot.properties,
  );
  return {
    version,
    numUpdatedRows: rw.numUpdatedRows,
    numInsertedRows: inserts.length,
    numRemovedFiles: rw.removes.length,
    numAddedFiles: adds.length,
    numFilesRead: candidates.length,
  };
}
