/**
 * The Delta Lake engine: log replay and snapshots (read side), with storage behind {@linkcode ObjectStore}.
 *
 * Read side:
 * - {@linkcode loadSnapshot}`(store, {version?, timestamp?})` → {@linkcode Snapshot}: version, timestamp, protocol,
 *   metadata, schema, partition columns, live files, tombstones, txn versions.
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
export { TableNotFoundError } from "./log/table_not_found_error.ts";
export { checkReadable, SUPPORTED_READER_FEATURES } from "./log/protocol_check.ts";
export { applyActions, dvUniqueId, fileKey, parseActions, replay, type TableState } from "./log/replay.ts";
export { commitKey, formatVersion, type LogPath, parseLogPath } from "./log/log_path.ts";
export { parseSchema, schemaToJson, typeToString } from "./schema/parse_schema.ts";
export { type ColumnMappingMode, columnMappingMode, fieldId, physicalName } from "./schema/column_mapping.ts";
export type * from "./log/actions.ts";
export type * from "./schema/types.ts";
