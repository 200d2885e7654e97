/**
 * DELETE: removes the rows matching a predicate as one commit, rewriting only the files that hold such rows
 * (files whose stats or partition values rule the predicate out are not read).
 *
 * @module
 */
import type { Row } from "../../value/mod.ts";
import type { Action, AddFile } from "../log/actions.ts";
import type { ObjectStore } from "../storage/object_store.ts";
import { startChangeDataFiles } from "./data_files.ts";
import { addPathToKey } from "./file_rows.ts";
import { KeyIndex } from "./key_index.ts";
import { rewriteFiles, type RowPrefilter } from "./rewrite_files.ts";
import { loadSnapshotOrNull, runCommit, type WriterOptions } from "./run_commit.ts";
import { footprint } from "./write_table.ts";
import { cdfEnabled, checkWritable, deletionVectorsEnabled } from "./writer_protocol.ts";

/** A row predicate with an optional file-level pre-filter. */
export interface RowPredicate {
  /** Text for commitInfo.operationParameters.predicate, e.g. `id = 7`. */
  description: string;
  test(row: Row): boolean;
  /** False when the file certainly has no matching row (stats, partition values). @default always true */
  mayMatch?(file: AddFile): boolean;
  /** A cheap superset test of matching rows on one column (see {@linkcode RowPrefilter}). */
  prefilter?: RowPrefilter;
}

/** What a delete did. */
export interface DeleteResult {
  version: number | null;
  numDeletedRows: number;
  numRemovedFiles: number;
  numAddedFiles: number;
}

/** A predicate matching rows whose key equals the key of one of `keyRows`. */
export function keyPredicate(
  index: KeyIndex,
  keyRows: readonly Row[],
): RowPredicate {
  const keys = new Set(keyRows.map((r) => index.keyOf(r)));
  index.index(keyRows);
  return {
    description: `(${index.columns.join(", ")}) IN (${keys.size} keys)`,
    test: (row) => keys.has(index.keyOf(row)),
    mayMatch: (file) => index.mayContain(file),
    prefilter: index.prefilter(),
  };
}

/**
 * Deletes the rows matching `predicate`. Commits nothing (version null) when no row matches. Conflicts with
 * concurrent data changes raise CommitConflictError.
 */
export async function deleteRows(
  store: ObjectStore,
  predicate: RowPredicate,
  options: WriterOptions = {},
): Promise<DeleteResult> {
  const snapshot = await loadSnapshotOrNull(store);
  if (!snapshot) throw new Error(`Cannot delete from "${store.url}": the table does not exist`);
  checkWritable(snapshot.protocol, snapshot.metadata, store.url, { removesData: true });
  const clock = options.now ?? Date.now;
  const now = clock();
  const candidates = snapshot.files.filter((f) => predicate.mayMatch?.(f) ?? true);
  const fileOptions = {
    now: clock,
    compression: options.compression,
    maxRowsPerFile: options.maxRowsPerFile,
  };
  const rw = await rewriteFiles(
    store,
    snapshot,
    candidates,
    (row) => predicate.test(row) ? null : undefined,
    fileOptions,
    now,
    {
      deletionVectors: deletionVectorsEnabled(snapshot.protocol, snapshot.metadata),
      prefilter: predicate.prefilter,
    },
  );
  if (rw.removes.length === 0) {
    return { version: null, numDeletedRows: 0, numRemovedFiles: 0, numAddedFiles: 0 };
  }
  const cdcFiles = cdfEnabled(snapshot.metadata)
    ? startChangeDataFiles(store, snapshot.metadata, snapshot.schema, rw.changes, fileOptions)
    : null;
  await Promise.all([rw.uploaded, cdcFiles?.uploaded]);
  const cdc = cdcFiles?.actions ?? [];
  const actions: Action[] = [
    ...rw.removes.map((remove) => ({ remove })),
    ...rw.adds.map((add) => ({ add })),
    ...cdc.map((c) => ({ cdc: c })),
  ];
  const { version } = await runCommit(
    store,
    {
      readVersion: snapshot.version,
      actions,
      operation: "DELETE",
      operationParameters: { predicate: JSON.stringify([predicate.description]) },
      operationMetrics: {
        numDeletedRows: String(rw.numDeletedRows),
        numRemovedFiles: String(rw.removes.length),
        numAddedFiles: String(rw.adds.length),
        numCopiedRows: String(rw.numCopiedRows),
        numDeletionVectorsAdded: String(rw.numDeletionVectors),
      },
      footprint: footprint({
        readsData: true,
        readPaths: rw.readPaths,
        removedPaths: new Set(rw.removes.map((r) => r.path)),
      }),
      isBlindAppend: false,
    },
    [...rw.writtenKeys, ...cdc.map((a) => addPathToKey(a.path))],
    options,
    snapshot.properties,
  );
  return {
    version,
    numDeletedRows: rw.numDeletedRows,
    numRemovedFiles: rw.removes.length,
    numAddedFiles: rw.adds.length,
  };
}

/** Deletes the rows whose key (`keyColumns`) equals the key of one of `keyRows`. */
export async function deleteByKey(
  store: ObjectStore,
  keyRows: readonly Row[],
  keyColumns: readonly string[],
  options: WriterOptions = {},
): Promise<DeleteResult> {
  const snapshot = await loadSnapshotOrNull(store);
  if (!snapshot) throw new Error(`Cannot delete from "${store.url}": the table does not exist`);
  const index = new KeyIndex(snapshot.schema, snapshot.partitionColumns, keyColumns);
  return await deleteRows(store, keyPredicate(index, keyRows), options);
}
