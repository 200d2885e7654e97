/**
 * Reading one data file of a table into rows: Parquet columns resolved through column mapping and converted by
 * the Delta schema, partition columns injected from `partitionValues`, deleted rows (deletion vector) dropped.
 *
 * @module
 */
import type { Row, Value } from "../../value/mod.ts";
import type { DeletionVectorDescriptor, Metadata } from "../log/actions.ts";
import { type ColumnMappingMode, columnMappingMode, physicalName } from "../schema/column_mapping.ts";
import type { StructField, StructType } from "../schema/types.ts";
import type { ObjectStore } from "../storage/object_store.ts";
import { arrowToValues, findArrowField } from "./arrow_values.ts";
import { readDeletionVector } from "./deletion_vector.ts";
import { parsePartitionValue } from "./partition_value.ts";
import { readParquetColumns, readParquetSchema, readParquetTable } from "./parquet_file.ts";

/** What a file is read against: the table's schema, partitioning and metadata at some version. */
export interface TableShape {
  readonly schema: StructType;
  readonly partitionColumns: readonly string[];
  readonly metadata: Metadata;
}

/** The parts of an `add` (or `cdc`/`remove`) action a file read needs. */
export interface DataFileRef {
  path: string;
  partitionValues?: Record<string, string | null> | null;
  deletionVector?: DeletionVectorDescriptor | null;
}

/** Options for {@linkcode readDataFile}. */
export interface ReadFileOptions {
  /** Top-level columns to return, in this order. @default every column of the schema */
  columns?: readonly string[];
  /** Columns the file holds that are not in the table schema (CDF's `_change_type`), appended to each row. */
  extraFields?: readonly StructField[];
  /** IANA time zone for zone-less timestamp partition values. @default "UTC" */
  timeZone?: string;
  /** Keep rows that a deletion vector deletes (CDF needs both sides of a DV change). @default false */
  ignoreDeletionVector?: boolean;
}

/**
 * The store key of a data file: `add.path` percent-decoded exactly once (`+` stays a plus). Absolute URIs are
 * accepted when they point inside the table.
 */
export function dataFileKey(path: string, tableUrl: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch (e) {
    throw new URIError(`Cannot read data file "${path}" of "${tableUrl}": bad percent-encoding`, {
      cause: e,
    });
  }
  if (!/^[a-z][a-z0-9+.-]*:/i.test(path)) return decoded;
  const strip = (s: string) => s.replace(/^file:(\/\/)?/, "").replace(/\/+$/, "");
  const root = strip(tableUrl) + "/";
  const abs = strip(decoded);
  if (abs.startsWith(root)) return abs.slice(root.length);
  throw new Error(`Cannot read data file "${path}": it is outside the table "${tableUrl}"`);
}

/**
 * The rows of one data file. Missing columns read as null; extra file columns are ignored; partition values
 * come from the action (never from the path).
 */
export async function readDataFile(
  store: ObjectStore,
  table: TableShape,
  file: DataFileRef,
  options: ReadFileOptions = {},
): Promise<Row[]> {
  return await decodeDataFile(store.url, table, file, await fetchDataFile(store, file, options), options);
}

/** The raw bytes of a data file and its deleted row indexes: the IO half of {@linkcode readDataFile}. */
export interface FetchedDataFile {
  key: string;
  bytes: Uint8Array;
  deleted: number[] | null;
}

/** Fetches a data file and its deletion vector (IO only, no decoding). */
export async function fetchDataFile(
  store: ObjectStore,
  file: DataFileRef,
  options: Pick<ReadFileOptions, "ignoreDeletionVector"> = {},
): Promise<FetchedDataFile> {
  const key = dataFileKey(file.path, store.url);
  const [bytes, deleted] = await Promise.all([
    store.get(key),
    file.deletionVector && !options.ignoreDeletionVector
      ? readDeletionVector(store, file.deletionVector)
      : Promise.resolve(null),
  ]);
  return { key, bytes, deleted };
}

/**
 * Decodes a fetched data file into rows: the CPU half of {@linkcode readDataFile}. Only the file columns the
 * requested fields need are decoded.
 */
export async function decodeDataFile(
  tableUrl: string,
  table: TableShape,
  file: DataFileRef,
  fetched: FetchedDataFile,
  options: ReadFileOptions = {},
): Promise<Row[]> {
  const mode = columnMappingMode(table.metadata);
  const fields = selectFields(table.schema, options.columns, tableUrl);
  const partitions = new Set(table.partitionColumns);
  const { key, bytes, deleted } = fetched;
  const fileFields = readParquetSchema(bytes, key).fields;
  const wanted = new Set<string>();
  const want = (field: StructField, fieldMode: ColumnMappingMode) => {
    const i = findArrowField(fileFields, field, fieldMode);
    if (i >= 0) wanted.add(fileFields[i].name);
  };
  for (const field of fields) if (!partitions.has(field.name)) want(field, mode);
  for (const field of options.extraFields ?? []) want(field, "none");
  const arrowTable = wanted.size === fileFields.length
    ? readParquetTable(bytes, key)
    : await readParquetColumns(bytes, key, [...wanted]);
  const numRows = arrowTable.numRows;

  const columns: { name: string; values: Value[] | null; constant: Value }[] = [];
  const dataColumn = (field: StructField, fieldMode: ColumnMappingMode) => {
    const i = findArrowField(arrowTable.schema.fields, field, fieldMode);
    if (i < 0) return null;
    const chunks = arrowTable.batches.map((b) =>
      arrowToValues(b.data.children[i], field.type, fieldMode, field.name)
    );
    if (chunks.length === 1) return chunks[0];
    const all: Value[] = [];
    for (const chunk of chunks) for (let r = 0; r < chunk.length; r++) all.push(chunk[r]);
    return all;
  };
  for (const field of fields) {
    if (partitions.has(field.name)) {
      const text = file.partitionValues?.[physicalName(field, mode)];
      const constant = parsePartitionValue(text, field.type, field.name, { timeZone: options.timeZone });
      columns.push({ name: field.name, values: null, constant });
    } else {
      columns.push({ name: field.name, values: dataColumn(field, mode), constant: null });
    }
  }
  for (const field of options.extraFields ?? []) {
    columns.push({ name: field.name, values: dataColumn(field, "none"), constant: null });
  }

  let keep: Uint8Array | null = null;
  if (deleted && deleted.length > 0) {
    keep = new Uint8Array(numRows).fill(1);
    for (const r of deleted) {
      if (r >= numRows) {
        throw new Error(`Cannot apply deletion vector to "${key}": row ${r} is past its ${numRows} rows`);
      }
      keep[r] = 0;
    }
  }
  const build = rowBuilder(columns.map((c) => c.name));
  const values = columns.map((c) => c.values ?? constantColumn(c.constant, numRows));
  const rows: Row[] = [];
  for (let r = 0; r < numRows; r++) {
    if (keep && !keep[r]) continue;
    rows.push(build(values, r));
  }
  return rows;
}

/** The schema fields named by `columns` (all when absent); a TypeError names an unknown column. */
export function selectFields(
  schema: StructType,
  columns: readonly string[] | undefined,
  tableUrl: string,
): StructField[] {
  if (!columns) return schema.fields;
  return columns.map((name) => {
    const f = schema.fields.find((x) => x.name === name) ??
      schema.fields.find((x) => x.name.toLowerCase() === name.toLowerCase());
    if (!f) {
      throw new TypeError(
        `Cannot read column "${name}" of "${tableUrl}": no such column (columns: ${
          schema.fields.map((x) => x.name).join(", ")
        })`,
      );
    }
    return f;
  });
}

function constantColumn(value: Value, n: number): Value[] {
  return new Array<Value>(n).fill(value);
}

type RowBuilder = (columns: readonly Value[][], r: number) => Row;
const builders = new Map<string, RowBuilder>();

/**
 * A function that builds row `r` from column arrays as one object literal with fixed keys, so every row shares
 * one hidden class and is allocated in one step (several times faster than adding keys one by one for wide
 * scans). Keys are embedded as JSON string literals; a `__proto__` column falls back to plain assignment,
 * since that key in a literal would set the prototype.
 */
function rowBuilder(names: readonly string[]): RowBuilder {
  const id = JSON.stringify(names);
  let build = builders.get(id);
  if (!build) {
    if (names.includes("__proto__")) {
      build = (columns, r) => {
        const row: Row = {};
        names.forEach((n, c) =>
          Object.defineProperty(row, n, { value: columns[c][r], enumerable: true, writable: true })
        );
        return row;
      };
    } else {
      const fields = names.map((n, c) => `${JSON.stringify(n)}: c[${c}][r]`).join(", ");
      build = new Function("c", "r", `return { ${fields} };`) as RowBuilder;
    }
    builders.set(id, build);
  }
  return build;
}
