/**
 * MERGE by key with upserts and deletes in one atomic commit, for stream processors: one commit per table per
 * micro-batch, idempotent with a `txn` action, on the snapshot the caller already holds (no log reload per
 * batch), creating the table in the same commit on first use.
 *
 * @module
 */
import type { Row } from "../../value/mod.ts";
import type { Action, Metadata } from "../log/actions.ts";
import { applyActions, emptyState } from "../log/replay.ts";
import { extendSnapshot, Snapshot } from "../log/snapshot.ts";
import { updateSnapshot } from "../log/update_snapshot.ts";
import type { StructType } from "../schema/types.ts";
import type { ObjectStore } from "../storage/object_store.ts";
import { CommitConflictError } from "./commit_conflict_error.ts";
import { startChangeDataFiles, startDataFiles } from "./data_files.ts";
import { addPathToKey } from "./file_rows.ts";
import { KeyIndex } from "./key_index.ts";
import { keyedRewriteMode, type Rewrite, rewriteFiles, rowCacheId } from "./rewrite_files.ts";
import type { RowCache } from "./row_cache.ts";
import { loadSnapshotOrNull, runCommit, type WriterOptions } from "./run_commit.ts";
import { checkColumns, footprint, newTableActions, type NewTableOptions } from "./write_table.ts";
import { cdfEnabled, checkWritable } from "./writer_protocol.ts";

/** Options of {@linkcode mergeRows}. */
export interface MergeRowsOptions extends WriterOptions {
  /** Rows to insert, or to replace the row with the same key (columns a row lacks keep their value). */
  upserts: readonly Row[];
  /** Rows holding at least the key columns, of rows to remove; an absent key is a no-op. */
  deletes: readonly Row[];
  /** Columns that identify a row. A key may be upserted or deleted, not both. */
  keyColumns: readonly string[];
  /** Idempotent streaming batch: skipped when `appId` already committed `version` or later. */
  txn?: { appId: string; version: number };
  /**
   * The table's latest snapshot as the caller knows it (null: the table does not exist yet), so the log is not
   * read again. A stale snapshot is safe: the commit is then checked against the newer commits and fails with
   * CommitConflictError when they conflict (including another commit of the same `txn.appId`).
   * @default loaded from the store
   */
  snapshot?: Snapshot | null;
  /** Creates the table with this definition, in the same commit, when it does not exist. */
  create?: NewTableOptions;
  /**
   * Awaited after the data files are written and before the commit is published; a rejection abandons the
   * commit (its files stay unreferenced). A stream processor passes its write-ahead claim of the batch here, so
   * the claim's round trip overlaps the merge instead of preceding it.
   */
  beforeCommit?: () => Promise<void>;
  /**
   * Rows of recently written and read files (a stream processor keeps one across batches): rewrites take the
   * rows of cached files instead of fetching and decoding them. Not used when a key column is a float (its
   * values change when written as 32 bits). With deletion vectors the cache holds a file's physical rows (its
   * vector is applied on top), so a file stays cached across batches; a file larger than a quarter of the cache
   * (or any file, without one) instead has only its first key column converted, and rows built for matched keys.
   */
  rowCache?: RowCache;
}

/** What {@linkcode mergeRows} did. */
export interface MergeResult {
  /** The committed version; null when skipped or when there was nothing to change. */
  version: number | null;
  /** True when `txn` was already committed. */
  skipped: boolean;
  /** The table after the merge (the input snapshot when nothing was committed). */
  snapshot: Snapshot;
  numInsertedRows: number;
  numUpdatedRows: number;
  numDeletedRows: number;
  numRemovedFiles: number;
  numAddedFiles: number;
  /** Files read to find the keys (the others were skipped by stats). */
  numFilesRead: number;
}

/**
 * Upserts `upserts` and deletes `deletes` by `keyColumns` as one commit (only files that may hold a touched key
 * are read; files that hold one are rewritten, or get a deletion vector when the table has them enabled,
 * `delta.enableDeletionVectors`), with the `txn` action in the same commit and
 * Change Data Feed files when the table has CDF on. When several upserts share a key, the last one wins.
 *
 * Errors: TypeError for rows with unknown columns, null keys, or a key both upserted and deleted;
 * CommitConflictError when a concurrent commit conflicts (the caller reloads the snapshot and merges again;
 * the files this attempt wrote are deleted).
 *
 * @example
 * ```ts
 * let snapshot = await loadSnapshot(store);
 * const result = await mergeRows(store, {
 *   upserts: [{ id: 1n, name: "a" }],
 *   deletes: [{ id: 2n }],
 *   keyColumns: ["id"],
 *   txn: { appId: "job", version: 7 },
 *   snapshot,
 *   checkpointInterval: 0,
 * });
 * snapshot = result.snapshot; // ready for the next batch
 * ```
 */
export async function mergeRows(store: ObjectStore, options: MergeRowsOptions): Promise<MergeResult> {
  const snapshot = options.snapshot !== undefined ? options.snapshot : await loadSnapshotOrNull(store);
  try {
    return await mergeOnce(store, options, snapshot);
  } catch (e) {
    // Lost the race to create the table: merge into the table the winner created.
    if (e instanceof CommitConflictError && e.kind === "table-exists" && snapshot === null) {
      return await mergeOnce(store, options, await loadSnapshotOrNull(store));
    }
    throw e;
  }
}

const NOTHING_REWRITTEN: Omit<Rewrite, "readPaths" | "writtenKeys" | "uploaded"> = {
  removes: [],
  adds: [],
  changes: [],
  numDeletedRows: 0,
  numUpdatedRows: 0,
  numCopiedRows: 0,
  numDeletionVectors: 0,
};

function noChange(snapshot: Snapshot, skipped: boolean, numFilesRead = 0): MergeResult {
  return {
    version: null,
    skipped,
    snapshot,
    numInsertedRows: 0,
    numUpdatedRows: 0,
    numDeletedRows: 0,
    numRemovedFiles: 0,
    numAddedFiles: 0,
    numFilesRead,
  };
}

async function mergeOnce(
  store: ObjectStore,
  options: MergeRowsOptions,
  snapshot: Snapshot | null,
): Promise<MergeResult> {
  const { txn } = options;
  if (snapshot && txn) {
    const done = snapshot.txnVersion(txn.appId);
    if (done !== undefined && done >= txn.version) return noChange(snapshot, true);
  }
  const clock = options.now ?? Date.now;
  const now = clock();
  let created: Action[] = [];
  let metadata: Metadata;
  let schema: StructType;
  if (snapshot) {
    checkWritable(snapshot.protocol, snapshot.metadata, store.url, { removesData: true });
    metadata = snapshot.metadata;
    schema = snapshot.schema;
  } else {
    if (!options.create) {
      throw new Error(
        `Cannot merge into "${store.url}": the table does not exist (give a definition to create it)`,
      );
    }
    const table = newTableActions(options.create, now);
    metadata = table.metadata;
    schema = options.create.schema;
    created = [{ protocol: table.protocol }, { metaData: table.metadata }];
  }
  checkColumns(schema, options.upserts, store.url);
  const index = new KeyIndex(schema, metadata.partitionColumns, options.keyColumns);
  const incoming = new Map<string, Row>();
  for (const r of options.upserts) incoming.set(index.keyOf(r), r);
  const deleted = new Set<string>();
  for (const r of options.deletes) {
    const k = index.keyOf(r);
    if (incoming.has(k)) {
      throw new TypeError(`Cannot merge into "${store.url}": key ${k} is both upserted and deleted`);
    }
    deleted.add(k);
  }
  if (incoming.size === 0 && deleted.size === 0 && snapshot) return noChange(snapshot, false);
  index.index([...incoming.values(), ...options.deletes]);
  const candidates = snapshot ? snapshot.files.filter((f) => index.mayContain(f)) : [];
  const fileOptions = {
    now: clock,
    compression: options.compression,
    maxRowsPerFile: options.maxRowsPerFile,
  };
  const matched = new Set<string>();
  const decide = (row: Row) => {
    const k = index.keyOf(row);
    if (deleted.has(k)) return null;
    const next = incoming.get(k);
    if (!next) return undefined;
    matched.add(k);
    return { ...row, ...next };
  };
  const rowCache = options.rowCache &&
      !options.keyColumns.some((c) => schema.fields.find((f) => f.name === c)?.type === "float")
    ? options.rowCache
    : undefined;
  const rw: Rewrite = snapshot
    ? await rewriteFiles(
      store,
      snapshot,
      candidates,
      decide,
      fileOptions,
      now,
      keyedRewriteMode(snapshot.protocol, metadata, index, rowCache),
    )
    : { ...NOTHING_REWRITTEN, readPaths: new Set(), writtenKeys: [], uploaded: Promise.resolve() };
  const inserts: Row[] = [];
  for (const [k, r] of incoming) if (!matched.has(k)) inserts.push(r);
  if (snapshot && rw.removes.length === 0 && inserts.length === 0) {
    return noChange(snapshot, false, candidates.length);
  }
  // Inserts and change files are encoded while the rewritten files upload; all uploads end before the commit.
  const inserted = startDataFiles(store, metadata, schema, inserts, fileOptions);
  if (rowCache && inserted.actions.length === 1) {
    // The caller's rows, copied with every column (what decoding the file gives) so later changes to them
    // cannot reach the cache.
    rowCache.set(rowCacheId(store, inserted.actions[0].path), inserts.map((r) => fullRow(schema, r)));
  }
  const changes = [...rw.changes, ...inserts.map((row) => ({ row, type: "insert" as const }))];
  const cdcFiles = cdfEnabled(metadata) && changes.length
    ? startChangeDataFiles(store, metadata, schema, changes, fileOptions)
    : null;
  await Promise.all([rw.uploaded, inserted.uploaded, cdcFiles?.uploaded, options.beforeCommit?.()]);
  const cdc = cdcFiles?.actions ?? [];
  const adds = [...rw.adds, ...inserted.actions];
  const actions: Action[] = [
    ...created,
    ...(txn ? [{ txn: { ...txn, lastUpdated: now } }] : []),
    ...rw.removes.map((remove) => ({ remove })),
    ...adds.map((add) => ({ add })),
    ...cdc.map((c) => ({ cdc: c })),
  ];
  const on = options.keyColumns.map((c) => `t.${c} = s.${c}`).join(" AND ");
  const readVersion = snapshot?.version ?? -1;
  const { version } = await runCommit(
    store,
    {
      readVersion,
      actions,
      operation: snapshot ? "MERGE" : "WRITE",
      operationParameters: snapshot
        ? {
          predicate: JSON.stringify([on]),
          matchedPredicates: JSON.stringify([{ actionType: "update" }, { actionType: "delete" }]),
          notMatchedPredicates: JSON.stringify([{ actionType: "insert" }]),
          notMatchedBySourcePredicates: "[]",
        }
        : { mode: "ErrorIfExists", partitionBy: JSON.stringify(metadata.partitionColumns) },
      operationMetrics: {
        numTargetRowsUpdated: String(rw.numUpdatedRows),
        numTargetRowsInserted: String(inserts.length),
        numTargetRowsDeleted: String(rw.numDeletedRows),
        numTargetRowsCopied: String(rw.numCopiedRows),
        numTargetFilesRemoved: String(rw.removes.length),
        numTargetFilesAdded: String(adds.length),
        numTargetDeletionVectorsAdded: String(rw.numDeletionVectors),
        numSourceRows: String(options.upserts.length + options.deletes.length),
      },
      footprint: footprint({
        readsData: true,
        // Files added meanwhile conflict only if they may hold a key of this merge (Spark's predicate rule).
        readFilter: (add) => index.mayContain(add),
        readPaths: rw.readPaths,
        removedPaths: new Set(rw.removes.map((r) => r.path)),
        appIds: new Set(txn ? [txn.appId] : []),
        changesMetadata: created.length > 0,
      }),
      isBlindAppend: false,
    },
    [...rw.writtenKeys, ...[...inserted.actions, ...cdc].map((a) => addPathToKey(a.path))],
    options,
    metadata.configuration,
  );
  return {
    version,
    skipped: false,
    snapshot: await advance(store, snapshot, version, actions, clock()),
    numInsertedRows: inserts.length,
    numUpdatedRows: rw.numUpdatedRows,
    numDeletedRows: rw.numDeletedRows,
    numRemovedFiles: rw.removes.length,
    numAddedFiles: adds.length,
    numFilesRead: candidates.length,
  };
}

/**
 * The snapshot after our commit: our own actions applied in memory when the commit landed right after the
 * snapshot we read (the usual case, no IO); otherwise the commits in between are read. The timestamp is the
 * writer's clock at commit, not the commit file's modification time.
 */
async function advance(
  store: ObjectStore,
  snapshot: Snapshot | null,
  version: number,
  actions: Action[],
  timestamp: number,
): Promise<Snapshot> {
  if (snapshot === null) {
    // Created by this commit (a lost creation race throws before getting here): version 0 is our actions.
    const state = emptyState();
    applyActions(state, actions);
    return new Snapshot({ tableUrl: store.url, version, timestamp, checkpointVersion: null, state });
  }
  if (version === snapshot.version + 1) return extendSnapshot(snapshot, [{ version, actions, timestamp }]);
  return (await updateSnapshot(store, snapshot)).snapshot;
}

function fullRow(schema: StructType, row: Row): Row {
  const full: Row = {};
  for (const f of schema.fields) full[f.name] = row[f.name] ?? null;
  return full;
}
