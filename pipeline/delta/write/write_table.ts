/**
 * Creating tables and writing rows: append and overwrite, each one atomic commit, with idempotent streaming
 * batches (`txn`), schema evolution by merge and the lowest protocol the table's features need.
 *
 * @module
 */
import type { Row } from "../../value/mod.ts";
import type { Action, AddFile, Metadata, Protocol, RemoveFile } from "../log/actions.ts";
import type { Snapshot } from "../log/snapshot.ts";
import { parseSchema } from "../schema/parse_schema.ts";
import type { StructType } from "../schema/types.ts";
import type { ObjectStore } from "../storage/object_store.ts";
import { type ColumnBatch, isColumnBatch, type WriteInput } from "./column_batch.ts";
import { CommitConflictError } from "./commit_conflict_error.ts";
import type { TransactionFootprint } from "./commit_conflicts.ts";
import { writeDataFiles } from "./data_files.ts";
import { addPathToKey } from "./file_rows.ts";
import { loadSnapshotOrNull, runCommit, type WriterOptions } from "./run_commit.ts";
import { mergeSchemas } from "./schema_merge.ts";
import { checkWritable, protocolFor, protocolUpgrade } from "./writer_protocol.ts";

/** The definition of a new table. */
export interface NewTableOptions {
  schema: StructType;
  /** Top-level primitive columns to partition by. @default [] */
  partitionColumns?: string[];
  /** Table properties (`delta.*` and custom), all strings. @default {} */
  properties?: Record<string, string>;
  /** Shortcut for `delta.enableChangeDataFeed=true`. @default false */
  enableChangeDataFeed?: boolean;
  /**
   * Shortcut for `delta.enableDeletionVectors=true`: protocol (3,7) with the `deletionVectors` feature, and row
   * removals from existing files (merge, upsert, delete) written as deletion vectors instead of rewrites.
   * @default false
   */
  enableDeletionVectors?: boolean;
  name?: string;
  description?: string;
}

/** Options of {@linkcode writeTable}. */
export interface WriteTableOptions extends WriterOptions {
  /** append adds rows; overwrite replaces the table's content. @default "append" */
  mode?: "append" | "overwrite";
  /** Creates the table with this definition when it does not exist (else writing to a missing table fails). */
  create?: NewTableOptions;
  /** The schema of the rows; with `mergeSchema`, new nullable columns are added to the table. */
  schema?: StructType;
  /** Add the columns of `schema` that the table lacks (schema evolution). @default false */
  mergeSchema?: boolean;
  /** Idempotent streaming batch: skipped when `appId` already committed `version` or later. */
  txn?: { appId: string; version: number };
}

/** What a write did. */
export interface WriteResult {
  /** The committed version, or null when the batch was skipped as already committed. */
  version: number | null;
  skipped: boolean;
  numAddedFiles: number;
  numRemovedFiles: number;
  numOutputRows: number;
}

/** The `metaData` and `protocol` of a new table. */
export function newTableActions(
  table: NewTableOptions,
  now: number,
): { metadata: Metadata; protocol: Protocol } {
  const configuration = { ...(table.properties ?? {}) };
  if (table.enableChangeDataFeed) configuration["delta.enableChangeDataFeed"] = "true";
  if (table.enableDeletionVectors) configuration["delta.enableDeletionVectors"] = "true";
  const partitionColumns = table.partitionColumns ?? [];
  for (const c of partitionColumns) {
    const f = table.schema.fields.find((x) => x.name === c);
    if (!f) throw new TypeError(`Cannot create table: partition column "${c}" is not in the schema`);
    if (typeof f.type !== "string" || f.type === "binary") {
      throw new TypeError(
        `Cannot create table: column "${c}" of type ${
          typeof f.type === "string" ? f.type : f.type.type
        } cannot be a partition column`,
      );
    }
  }
  if (partitionColumns.length === table.schema.fields.length && partitionColumns.length > 0) {
    throw new TypeError("Cannot create table: at least one column must not be a partition column");
  }
  // Validates names and types the same way a reader will.
  parseSchema(JSON.stringify(table.schema));
  const metadata: Metadata = {
    id: crypto.randomUUID(),
    ...(table.name !== undefined ? { name: table.name } : {}),
    ...(table.description !== undefined ? { description: table.description } : {}),
    format: { provider: "parquet", options: {} },
    schemaString: JSON.stringify(table.schema),
    partitionColumns,
    configuration,
    createdTime: now,
  };
  return { metadata, protocol: protocolFor(configuration, table.schema) };
}

/** Creates an empty table (version 0); a CommitConflictError of kind "table-exists" when it already exists. */
export async function createTable(
  store: ObjectStore,
  table: NewTableOptions,
  options: WriterOptions = {},
): Promise<number> {
  const now = (options.now ?? Date.now)();
  const { metadata, protocol } = newTableActions(table, now);
  const { version } = await runCommit(
    store,
    {
      readVersion: -1,
      actions: [{ protocol }, { metaData: metadata }],
      operation: "CREATE TABLE",
      operationParameters: {
        partitionBy: JSON.stringify(metadata.partitionColumns),
        description: table.description ?? "",
        isManaged: "false",
        properties: JSON.stringify(metadata.configuration),
      },
      footprint: footprint({ changesMetadata: true }),
      isBlindAppend: true,
    },
    [],
    options,
    metadata.configuration,
  );
  return version;
}

/** A conflict footprint with the given fields set and everything else empty. */
export function footprint(init: Partial<TransactionFootprint>): TransactionFootprint {
  return {
    readsData: false,
    readPaths: new Set(),
    removedPaths: new Set(),
    appIds: new Set(),
    domains: new Set(),
    changesMetadata: false,
    ...init,
  };
}

/**
 * A `remove` for a live file, as Spark writes it (deletion time, partition values and size for CDF readers),
 * with the file's deletion vector: files are reconciled by path and vector, so it must name the live one.
 */
export function removeFor(add: AddFile, now: number, dataChange: boolean): RemoveFile {
  return {
    path: add.path,
    deletionTimestamp: now,
    dataChange,
    extendedFileMetadata: true,
    partitionValues: add.partitionValues,
    size: add.size,
    ...(add.stats ? { stats: add.stats } : {}),
    ...(add.deletionVector ? { deletionVector: add.deletionVector } : {}),
  };
}

/**
 * Writes `rows` (row objects, or a {@linkcode ColumnBatch} holding one typed array per column) to the table in
 * `store` as one commit. Appends never conflict with concurrent appends and are retried automatically; an
 * overwrite conflicts with any concurrent data change ({@linkcode CommitConflictError}).
 */
export async function writeTable(
  store: ObjectStore,
  rows: WriteInput,
  options: WriteTableOptions = {},
): Promise<WriteResult> {
  try {
    return await writeOnce(store, rows, options, await loadSnapshotOrNull(store));
  } catch (e) {
    // Lost the race to create the table: write again into the table the winner created.
    if (e instanceof CommitConflictError && e.kind === "table-exists" && options.create) {
      return await writeOnce(store, rows, options, await loadSnapshotOrNull(store));
    }
    throw e;
  }
}

async function writeOnce(
  store: ObjectStore,
  rows: WriteInput,
  options: WriteTableOptions,
  snapshot: Snapshot | null,
): Promise<WriteResult> {
  const clock = options.now ?? Date.now;
  const now = clock();
  const mode = options.mode ?? "append";
  if (options.txn) {
    const done = snapshot?.txnVersion(options.txn.appId);
    if (done !== undefined && done >= options.txn.version) {
      return { version: null, skipped: true, numAddedFiles: 0, numRemovedFiles: 0, numOutputRows: 0 };
    }
  }
  const actions: Action[] = [];
  let metadata: Metadata;
  let schema: StructType;
  let changesMetadata = false;
  if (!snapshot) {
    if (!options.create) {
      throw new Error(
        `Cannot write to "${store.url}": the table does not exist (give a schema to create it)`,
      );
    }
    const created = newTableActions(options.create, now);
    metadata = created.metadata;
    schema = options.create.schema;
    actions.push({ protocol: created.protocol }, { metaData: metadata });
    changesMetadata = true;
  } else {
    checkWritable(snapshot.protocol, snapshot.metadata, store.url, { removesData: mode === "overwrite" });
    metadata = snapshot.metadata;
    schema = snapshot.schema;
    if (options.schema && options.mergeSchema) {
      const merged = mergeSchemas(schema, options.schema);
      if (
        merged.fields.length !== schema.fields.length || JSON.stringify(merged) !== JSON.stringify(schema)
      ) {
        schema = merged;
        metadata = { ...metadata, schemaString: JSON.stringify(merged) };
        // A new column may need a newer protocol (timestamp_ntz): declared in the same commit.
        const upgraded = protocolUpgrade(snapshot.protocol, metadata.configuration, merged);
        if (upgraded) actions.push({ protocol: upgraded });
        actions.push({ metaData: metadata });
        changesMetadata = true;
      }
    }
  }
  if (isColumnBatch(rows)) checkBatchColumns(schema, rows, store.url);
  else checkColumns(schema, rows, store.url);
  const adds = await writeDataFiles(store, metadata, schema, rows, {
    now: clock,
    compression: options.compression,
    maxRowsPerFile: options.maxRowsPerFile,
  });
  const removes = mode === "overwrite" && snapshot ? snapshot.files.map((f) => removeFor(f, now, true)) : [];
  if (options.txn) actions.push({ txn: { ...options.txn, lastUpdated: now } });
  for (const a of adds) actions.push({ add: a });
  for (const r of removes) actions.push({ remove: r });
  const result = await runCommit(
    store,
    {
      readVersion: snapshot?.version ?? -1,
      actions,
      operation: "WRITE",
      operationParameters: {
        mode: mode === "overwrite" ? "Overwrite" : snapshot ? "Append" : "ErrorIfExists",
        partitionBy: JSON.stringify(metadata.partitionColumns),
      },
      operationMetrics: {
        numFiles: String(adds.length),
        numOutputRows: String(rows.length),
        numOutputBytes: String(adds.reduce((n, a) => n + a.size, 0)),
      },
      footprint: footprint({
        readsData: mode === "overwrite",
        readPaths: new Set(removes.map((r) => r.path)),
        removedPaths: new Set(removes.map((r) => r.path)),
        appIds: new Set(options.txn ? [options.txn.appId] : []),
        changesMetadata,
      }),
      isBlindAppend: mode === "append" && !changesMetadata,
    },
    adds.map((a) => addPathToKey(a.path)),
    options,
    metadata.configuration,
  );
  return {
    version: result.version,
    skipped: false,
    numAddedFiles: adds.length,
    numRemovedFiles: removes.length,
    numOutputRows: rows.length,
  };
}

/** Rejects rows with columns the schema does not have (data would be silently dropped otherwise). */
export function checkColumns(schema: StructType, rows: readonly Row[], url: string): void {
  const order = schema.fields.map((f) => f.name);
  const names = new Set(order);
  for (let i = 0; i < rows.length; i++) {
    let j = 0;
    for (const k in rows[i]) {
      // Rows usually list the columns in schema order: one pointer comparison instead of a set lookup.
      if (k !== order[j++] && !names.has(k)) {
        throw new TypeError(
          `Cannot write to "${url}": row ${i} has column "${k}", which is not in the table schema (merge the schema to add it)`,
        );
      }
    }
  }
}

/** Rejects a batch with columns the schema does not have (data would be silently dropped otherwise). */
export function checkBatchColumns(schema: StructType, batch: ColumnBatch, url: string): void {
  if (!Number.isSafeInteger(batch.length) || batch.length < 0) {
    throw new TypeError(`Cannot write to "${url}": batch length ${batch.length} is not a row count`);
  }
  const names = new Set(schema.fields.map((f) => f.name));
  for (const k of Object.keys(batch.columns)) {
    if (!names.has(k)) {
      throw new TypeError(
        `Cannot write to "${url}": the batch has column "${k}", which is not in the table schema (merge the schema to add it)`,
      );
    }
  }
}
