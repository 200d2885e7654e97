/**
 * Writing rows as data files of a table: grouped by partition, split into files of bounded size, each with a
 * unique name, exact stats and the `add` action that references it; and change-data files for the CDF.
 *
 * @module
 */
import type { Row } from "../../value/mod.ts";
import type { AddCDCFile, AddFile, Metadata } from "../log/actions.ts";
import type { StructField, StructType } from "../schema/types.ts";
import type { ObjectStore } from "../storage/object_store.ts";
import { dataFields } from "./arrow_columns.ts";
import { isColumnBatch, sliceBatch, takeBatch, vectorValue, type WriteInput } from "./column_batch.ts";
import { statsOptionsFromConfiguration } from "./file_stats.ts";
import { encodeDataFile, type ParquetCompression, parquetSuffix } from "./parquet_file.ts";
import { keyToAddPath, partitionFolder, partitionValueString } from "./partition_values.ts";

/** How data files are laid out. */
export interface DataFileOptions {
  /** Clock for `modificationTime`. @default Date.now */
  now?: () => number;
  /** @default "snappy" */
  compression?: ParquetCompression;
  /** Rows per data file at most. @default 1_000_000 */
  maxRowsPerFile?: number;
}

/** Groups rows by their partition values (serialized), in first-seen order. */
export function groupByPartition(
  schema: StructType,
  partitionColumns: readonly string[],
  rows: readonly Row[],
): { values: Record<string, string | null>; rows: readonly Row[] }[];
/** Groups a batch's rows by their partition values (serialized), in first-seen order. */
export function groupByPartition(
  schema: StructType,
  partitionColumns: readonly string[],
  rows: WriteInput,
): { values: Record<string, string | null>; rows: WriteInput }[];
export function groupByPartition(
  schema: StructType,
  partitionColumns: readonly string[],
  input: WriteInput,
): { values: Record<string, string | null>; rows: WriteInput }[] {
  if (partitionColumns.length === 0) return input.length ? [{ values: {}, rows: input }] : [];
  const fields = partitionColumns.map((c) => {
    const f = schema.fields.find((x) => x.name === c);
    if (!f) throw new TypeError(`Cannot partition by "${c}": no such column in the schema`);
    return f;
  });
  const batch = isColumnBatch(input) ? input : undefined;
  const valueOf = batch
    ? (i: number, c: number) => vectorValue(fields[c], batch.columns[fields[c].name], i)
    : (i: number, c: number) => (input as readonly Row[])[i][fields[c].name];
  const groups = new Map<string, { values: Record<string, string | null>; rows: number[] }>();
  for (let i = 0; i < input.length; i++) {
    const values: Record<string, string | null> = {};
    fields.forEach((f, c) => values[f.name] = partitionValueString(f.type, valueOf(i, c), f.name));
    const key = JSON.stringify(partitionColumns.map((c) => values[c]));
    let g = groups.get(key);
    if (!g) groups.set(key, g = { values, rows: [] });
    g.rows.push(i);
  }
  return [...groups.values()].map((g) => ({
    values: g.values,
    rows: g.rows.length === input.length
      ? input
      : batch
      ? takeBatch(batch, Int32Array.from(g.rows))
      : g.rows.map((i) => (input as readonly Row[])[i]),
  }));
}

/** Rows `from` to `to` of the input. */
function sliceInput(input: WriteInput, from: number, to: number): WriteInput {
  return isColumnBatch(input) ? sliceBatch(input, from, to) : input.slice(from, to);
}

interface EncodedFile {
  key: string;
  size: number;
  values: Record<string, string | null>;
  stats?: string;
  time: number;
}

/**
 * Data files being written: encoded (their actions are final), uploads still running. Await `uploaded` before
 * committing the actions; it rejects with the first failed upload.
 */
export interface PendingFiles<A> {
  actions: A[];
  uploaded: Promise<void>;
}

/** Encodes `rows` into files (synchronously) and starts their uploads. */
function startFiles(
  store: ObjectStore,
  fields: StructField[],
  metadata: Metadata,
  schema: StructType,
  rows: WriteInput,
  folderPrefix: string,
  namePrefix: string,
  options: DataFileOptions,
  withStats: boolean,
): { files: EncodedFile[]; uploaded: Promise<void> } {
  const now = options.now ?? Date.now;
  const compression = options.compression ?? "snappy";
  const maxRows = options.maxRowsPerFile ?? 1_000_000;
  const statsOptions = statsOptionsFromConfiguration(metadata.configuration);
  const files: EncodedFile[] = [];
  // Each file uploads while the next one is encoded.
  const uploads: Promise<void>[] = [];
  let part = 0;
  try {
    for (const group of groupByPartition(schema, metadata.partitionColumns, rows)) {
      const folder = partitionFolder(metadata.partitionColumns, group.values);
      for (let i = 0; i < group.rows.length; i += maxRows) {
        const chunk = group.rows.length <= maxRows ? group.rows : sliceInput(group.rows, i, i + maxRows);
        const { bytes, stats } = encodeDataFile(
          fields,
          chunk,
          compression,
          withStats ? statsOptions : undefined,
        );
        const name = `${namePrefix}-${String(part++).padStart(5, "0")}-${crypto.randomUUID()}-${
          parquetSuffix(compression)
        }`;
        const key = [folderPrefix, folder, name].filter((s) => s !== "").join("/");
        uploads.push(store.put(key, bytes));
        files.push({
          key,
          size: bytes.length,
          values: group.values,
          stats,
          time: now(),
        });
      }
    }
  } catch (e) {
    // The files already uploading are unreferenced orphans (VACUUM removes them); their outcome is moot.
    for (const u of uploads) u.catch(() => {});
    throw e;
  }
  const uploaded = allUploaded(uploads);
  uploaded.catch(() => {}); // handled by the caller's await; this only keeps an early exit from leaking it
  return { files, uploaded };
}

/** Resolves when every upload succeeded; rejects with the first failure, once all have settled. */
async function allUploaded(uploads: Promise<void>[]): Promise<void> {
  const results = await Promise.allSettled(uploads);
  for (const r of results) if (r.status === "rejected") throw r.reason;
}

/**
 * Encodes `rows` (full table rows or a column batch, partition columns included) into data files and starts
 * uploading them; the `add` actions are returned at once. Throws before uploading anything visible to
 * readers: files are unreferenced until a commit adds them.
 */
export function startDataFiles(
  store: ObjectStore,
  metadata: Metadata,
  schema: StructType,
  rows: WriteInput,
  options: DataFileOptions & { dataChange?: boolean } = {},
): PendingFiles<AddFile> {
  const fields = dataFields(schema, metadata.partitionColumns);
  const { files, uploaded } = startFiles(store, fields, metadata, schema, rows, "", "part", options, true);
  const actions = files.map((f) => ({
    path: keyToAddPath(f.key),
    partitionValues: f.values,
    size: f.size,
    modificationTime: f.time,
    dataChange: options.dataChange ?? true,
    stats: f.stats,
  }));
  return { actions, uploaded };
}

/**
 * Writes `rows` (full table rows or a column batch, partition columns included) as data files and returns
 * their `add` actions. Throws before writing anything visible to readers: files are unreferenced until a
 * commit adds them.
 */
export async function writeDataFiles(
  store: ObjectStore,
  metadata: Metadata,
  schema: StructType,
  rows: WriteInput,
  options: DataFileOptions & { dataChange?: boolean } = {},
): Promise<AddFile[]> {
  const pending = startDataFiles(store, metadata, schema, rows, options);
  await pending.uploaded;
  return pending.actions;
}

/** The change types of the Change Data Feed. */
export type ChangeType = "insert" | "update_preimage" | "update_postimage" | "delete";

/**
 * Encodes change rows as `_change_data/` files (data columns plus `_change_type`, no partition columns, as Spark
 * does) and starts uploading them; their `cdc` actions are returned at once.
 */
export function startChangeDataFiles(
  store: ObjectStore,
  metadata: Metadata,
  schema: StructType,
  changes: readonly { row: Row; type: ChangeType }[],
  options: DataFileOptions = {},
): PendingFiles<AddCDCFile> {
  const fields: StructField[] = [
    ...dataFields(schema, metadata.partitionColumns),
    { name: "_change_type", type: "string", nullable: true, metadata: {} },
  ];
  const rows = changes.map((c) => ({ ...c.row, _change_type: c.type }));
  const { files, uploaded } = startFiles(
    store,
    fields,
    metadata,
    schema,
    rows,
    "_change_data",
    "cdc",
    options,
    false,
  );
  const actions = files.map((f) => ({
    path: keyToAddPath(f.key),
    partitionValues: f.values,
    size: f.size,
    dataChange: false,
  }));
  return { actions, uploaded };
}

/** Like {@linkcode startChangeDataFiles}, resolving once the files are uploaded. */
export async function writeChangeDataFiles(
  store: ObjectStore,
  metadata: Metadata,
  schema: StructType,
  changes: readonly { row: Row; type: ChangeType }[],
  options: DataFileOptions = {},
): Promise<AddCDCFile[]> {
  const pending = startChangeDataFiles(store, metadata, schema, changes, options);
  await pending.uploaded;
  return pending.actions;
}
