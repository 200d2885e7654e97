/**
 * The Delta Lake engine. Storage sits behind {@linkcode ObjectStore} (`storage/`); the write side is in
 * `write/mod.ts`.
 *
 * Read side:
 * - {@linkcode loadSnapshot}`(store, {version?, timestamp?})` → {@linkcode Snapshot}: version, commit time,
 *   protocol, metadata, schema, partition columns, live files, tombstones, txn versions, domain metadata.
 * - {@linkcode updateSnapshot}`(store, snapshot)` → the newer snapshot plus the new commits' actions, reading
 *   only what was committed since (dashboards, stream processors).
 * - {@linkcode scan}`(store, snapshot, {columns, filter, limit})` → `AsyncIterable<Row[]>` with partition pruning
 *   and stats-based file skipping; {@linkcode planScan} says which files a scan reads; {@linkcode readDataFile}
 *   reads one file.
 * - {@linkcode readChanges}`(store, {fromVersion | fromTimestamp, toVersion?})` → Change Data Feed rows with
 *   `_change_type`, `_commit_version`, `_commit_timestamp`.
 * - {@linkcode history}`(store)` → commits newest first.
 *
 * Rows use the shared value model (`pipeline/value`): long → bigint, decimal → Decimal, timestamp → Timestamp.
 *
 * @example
 * ```ts
 * import { loadSnapshot, scanAll } from "./mod.ts";
 * import { openStore } from "./storage/open_store.ts";
 *
 * const store = openStore("s3://lake/orders");
 * const snapshot = await loadSnapshot(store);
 * const rows = await scanAll(store, snapshot, { filter: { column: "status", op: "=", value: "paid" }, limit: 10 });
 * ```
 *
 * @module
 */
export {
  extendSnapshot,
  loadSnapshot,
  type LoadSnapshotOptions,
  readCommit,
  Snapshot,
} from "./log/snapshot.ts";
export { type SnapshotUpdate, updateSnapshot } from "./log/update_snapshot.ts";
export { type Commit, readCommits } from "./log/commit_log.ts";
export { history, type HistoryEntry, type HistoryOptions } from "./log/history.ts";
export { TableNotFoundError } from "./log/table_not_found_error.ts";
export { checkReadable, SUPPORTED_READER_FEATURES } from "./log/protocol_check.ts";
export { applyActions, dvUniqueId, fileKey, parseActions, replay, type TableState } from "./log/replay.ts";
export { checkpointKey, commitKey, formatVersion, type LogPath, parseLogPath } from "./log/log_path.ts";
export { planScan, scan, scanAll, type ScanOptions, type ScanSource } from "./read/scan.ts";
export {
  dataFileKey,
  type DataFileRef,
  decodeDataFile,
  fetchDataFile,
  type FetchedDataFile,
  readDataFile,
  type ReadFileOptions,
  type TableShape,
} from "./read/read_file.ts";
export { type ChangesOptions, type ChangeType, readChanges } from "./read/changes.ts";
export {
  coercePredicate,
  type CompareOp,
  matchesAll,
  parseFilter,
  parseLiteral,
  parsePredicate,
  type Predicate,
  predicateToString,
} from "./read/predicate.ts";
export { fileMayMatch } from "./read/file_skipping.ts";
export { parsePartitionValue, type PartitionValueOptions } from "./read/partition_value.ts";
export { readDeletionVector } from "./read/deletion_vector.ts";
export { parseSchema, schemaToJson, typeToString } from "./schema/parse_schema.ts";
export { type ColumnMappingMode, columnMappingMode, fieldId, physicalName } from "./schema/column_mapping.ts";
export type * from "./log/actions.ts";
export type * from "./schema/types.ts";

// Write side and storage (their own surfaces, re-exported here for one import).
export * from "./write/mod.ts";
export * from "./storage/mod.ts";
