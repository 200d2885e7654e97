/**
 * Classic single-file checkpoints with the column layout Delta-Spark 3.x writes (delta-lake.md §8): every
 * field optional, protocol versions and DV offsets as INT32, everything else INT64, `add.stats` as a JSON
 * string plus `add.partitionValues_parsed` for partitioned tables; then `_last_checkpoint`.
 *
 * @module
 */
import type { Row, Value } from "../../value/mod.ts";
import type { AddFile, DeletionVectorDescriptor, RemoveFile } from "../log/actions.ts";
import { checkpointKey, LAST_CHECKPOINT_KEY } from "../log/log_path.ts";
import type { Snapshot } from "../log/snapshot.ts";
import type { DataType, StructField, StructType } from "../schema/types.ts";
import type { ObjectStore } from "../storage/object_store.ts";
import { encodeParquet } from "./parquet_file.ts";
import { parsePartitionValue } from "./partition_values.ts";
import { deletedFileRetention } from "./table_properties.ts";

const field = (name: string, type: DataType): StructField => ({ name, type, nullable: true, metadata: {} });
const struct = (...fields: StructField[]): StructType => ({ type: "struct", fields });
const stringMap: DataType = { type: "map", keyType: "string", valueType: "string", valueContainsNull: true };
const stringList: DataType = { type: "array", elementType: "string", containsNull: true };
const dvType = struct(
  field("storageType", "string"),
  field("pathOrInlineDv", "string"),
  field("offset", "integer"),
  field("sizeInBytes", "integer"),
  field("cardinality", "long"),
  field("maxRowIndex", "long"),
);

/** The checkpoint schema for a table (partitionValues_parsed holds the typed partition columns). */
export function checkpointSchema(tableSchema: StructType, partitionColumns: readonly string[]): StructType {
  const parsed = partitionColumns.map((c) => {
    const f = tableSchema.fields.find((x) => x.name === c);
    if (!f) throw new TypeError(`Cannot write checkpoint: partition column "${c}" is not in the schema`);
    return field(c, f.type);
  });
  return struct(
    field("txn", struct(field("appId", "string"), field("version", "long"), field("lastUpdated", "long"))),
    field(
      "add",
      struct(
        field("path", "string"),
        field("partitionValues", stringMap),
        field("size", "long"),
        field("modificationTime", "long"),
        field("dataChange", "boolean"),
        field("tags", stringMap),
        field("deletionVector", dvType),
        field("baseRowId", "long"),
        field("defaultRowCommitVersion", "long"),
        field("stats", "string"),
        ...(parsed.length ? [field("partitionValues_parsed", struct(...parsed))] : []),
      ),
    ),
    field(
      "remove",
      struct(
        field("path", "string"),
        field("deletionTimestamp", "long"),
        field("dataChange", "boolean"),
        field("extendedFileMetadata", "boolean"),
        field("partitionValues", stringMap),
        field("size", "long"),
        field("deletionVector", dvType),
        field("baseRowId", "long"),
        field("defaultRowCommitVersion", "long"),
      ),
    ),
    field(
      "metaData",
      struct(
        field("id", "string"),
        field("name", "string"),
        field("description", "string"),
        field("format", struct(field("provider", "string"), field("options", stringMap))),
        field("schemaString", "string"),
        field("partitionColumns", stringList),
        field("configuration", stringMap),
        field("createdTime", "long"),
      ),
    ),
    field(
      "protocol",
      struct(
        field("minReaderVersion", "integer"),
        field("minWriterVersion", "integer"),
        field("readerFeatures", stringList),
        field("writerFeatures", stringList),
      ),
    ),
    field(
      "domainMetadata",
      struct(field("domain", "string"), field("configuration", "string"), field("removed", "boolean")),
    ),
  );
}

const toMap = (r: Record<string, string | null> | null | undefined): Value =>
  r ? new Map<Value, Value>(Object.entries(r)) : null;

function dvRow(dv: DeletionVectorDescriptor | null | undefined): Value {
  if (!dv) return null;
  return {
    storageType: dv.storageType,
    pathOrInlineDv: dv.pathOrInlineDv,
    offset: dv.offset ?? null,
    sizeInBytes: dv.sizeInBytes,
    cardinality: dv.cardinality,
    maxRowIndex: dv.maxRowIndex ?? null,
  };
}

/**
 * The checkpoint rows of a snapshot: protocol, metaData, every txn, live domains, live adds (dataChange false, as
 * Spark writes them) and tombstones newer than the retention (without stats and tags, per the spec).
 */
export function checkpointRows(snapshot: Snapshot, now: number): { rows: Row[]; numAdds: number } {
  const { protocol, metadata, schema } = snapshot;
  const pcols = metadata.partitionColumns;
  const rows: Row[] = [];
  rows.push({
    protocol: {
      minReaderVersion: protocol.minReaderVersion,
      minWriterVersion: protocol.minWriterVersion,
      readerFeatures: protocol.readerFeatures ?? null,
      writerFeatures: protocol.writerFeatures ?? null,
    },
  });
  rows.push({
    metaData: {
      id: metadata.id,
      name: metadata.name ?? null,
      description: metadata.description ?? null,
      format: { provider: metadata.format.provider, options: toMap(metadata.format.options) },
      schemaString: metadata.schemaString,
      partitionColumns: [...pcols],
      configuration: toMap(metadata.configuration ?? {}),
      createdTime: metadata.createdTime ?? null,
    },
  });
  for (const t of snapshot.txns.values()) {
    rows.push({ txn: { appId: t.appId, version: t.version, lastUpdated: t.lastUpdated ?? null } });
  }
  for (const d of snapshot.domainMetadata.values()) {
    rows.push({ domainMetadata: { domain: d.domain, configuration: d.configuration, removed: false } });
  }
  for (const a of snapshot.files) rows.push({ add: addRow(a, schema, pcols) });
  const horizon = now - deletedFileRetention(metadata.configuration ?? {});
  for (const r of snapshot.tombstones) {
    if ((r.deletionTimestamp ?? 0) > horizon) rows.push({ remove: removeRow(r) });
  }
  return { rows, numAdds: snapshot.files.length };
}

function addRow(a: AddFile, schema: StructType, pcols: readonly string[]): Row {
  const row: Row = {
    path: a.path,
    partitionValues: toMap(a.partitionValues),
    size: a.size,
    modificationTime: a.modificationTime,
    dataChange: false,
    tags: toMap(a.tags),
    deletionVector: dvRow(a.deletionVector),
    baseRowId: a.baseRowId ?? null,
    defaultRowCommitVersion: a.defaultRowCommitVersion ?? null,
    stats: a.stats ?? null,
  };
  if (pcols.length) {
    const parsed: Row = {};
    for (const c of pcols) {
      const f = schema.fields.find((x) => x.name === c)!;
      parsed[c] = parsePartitionValue(f.type, a.partitionValues[c], c);
    }
    row.partitionValues_parsed = parsed;
  }
  return row;
}

function removeRow(r: RemoveFile): Row {
  return {
    path: r.path,
    deletionTimestamp: r.deletionTimestamp ?? null,
    dataChange: r.dataChange,
    extendedFileMetadata: r.extendedFileMetadata ?? null,
    partitionValues: toMap(r.partitionValues),
    size: r.size ?? null,
    deletionVector: dvRow(r.deletionVector),
    baseRowId: r.baseRowId ?? null,
    defaultRowCommitVersion: r.defaultRowCommitVersion ?? null,
  };
}

/** What {@linkcode writeCheckpoint} wrote. */
export interface CheckpointInfo {
  version: number;
  /** Rows (actions) in the checkpoint. */
  size: number;
  sizeInBytes: number;
  numOfAddFiles: number;
}

/**
 * Writes `snapshot` as the classic checkpoint `<version>.checkpoint.parquet` (one PUT of the whole file) and
 * then overwrites `_last_checkpoint`. Rewriting an existing checkpoint with the same content is allowed.
 */
export async function writeCheckpoint(
  store: ObjectStore,
  snapshot: Snapshot,
  options: { now?: () => number } = {},
): Promise<CheckpointInfo> {
  const now = (options.now ?? Date.now)();
  const { rows, numAdds } = checkpointRows(snapshot, now);
  const schema = checkpointSchema(snapshot.schema, snapshot.metadata.partitionColumns);
  const bytes = encodeParquet(schema.fields, rows);
  await store.put(checkpointKey(snapshot.version), bytes);
  const info: CheckpointInfo = {
    version: snapshot.version,
    size: rows.length,
    sizeInBytes: bytes.length,
    numOfAddFiles: numAdds,
  };
  await store.put(LAST_CHECKPOINT_KEY, new TextEncoder().encode(JSON.stringify(info)));
  return info;
}
