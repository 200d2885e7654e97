/**
 * Column-major write input: a batch of rows as one typed array (or array) per column, the form data already
 * has when it comes from Arrow, a columnar decoder or a generator, so the writer need not read row objects.
 *
 * Representation per Delta type (values of null rows are ignored; give them any value):
 *
 * | type | `values` |
 * |---|---|
 * | long | BigInt64Array |
 * | timestamp, timestamp_ntz | BigInt64Array of microseconds since the epoch |
 * | integer, short, byte | Int32Array (short and byte checked to their range) |
 * | date | Int32Array of days since 1970-01-01 |
 * | decimal(p,s), p ≤ 18 | BigInt64Array of unscaled values at scale s (checked to fit p digits) |
 * | decimal(p,s), p > 18 | array of unscaled bigints at scale s, null for null |
 * | float / double | Float32Array / Float64Array |
 * | boolean | Uint8Array of 0 and 1 |
 * | string | array of strings (null for null), or {@linkcode DictionaryStrings} |
 * | binary | array of Uint8Array (null for null) |
 *
 * Nulls: `valid` (1 where the row has a value, 0 where it is null, one byte per row) and, for arrays of
 * values, null or undefined entries. A column missing from the batch is all null.
 *
 * @module
 */
import { Decimal, LocalDate, type Row, Timestamp, type Value } from "../../value/mod.ts";
import { type DataType, decimalParts, type StructField } from "../schema/types.ts";

/** A string column as dictionary indices (one per row) into `dictionary`. */
export interface DictionaryStrings {
  readonly indices: Int32Array;
  readonly dictionary: readonly string[];
}

/** The values of one column, one per row (see the module doc for which form each type takes). */
export type ColumnValues =
  | BigInt64Array
  | Int32Array
  | Float32Array
  | Float64Array
  | Uint8Array
  | DictionaryStrings
  | readonly (string | null | undefined)[]
  | readonly (Uint8Array | null | undefined)[]
  | readonly (bigint | null | undefined)[];

/** One column of a {@linkcode ColumnBatch}. */
export interface ColumnVector {
  readonly values: ColumnValues;
  /** 1 where the row has a value, 0 where it is null; absent when only null entries of `values` are null. */
  readonly valid?: Uint8Array;
}

/** Rows in column-major form: every column holds `length` values. */
export interface ColumnBatch {
  readonly length: number;
  readonly columns: Readonly<Record<string, ColumnVector>>;
}

/** Input of the writers: row objects or a column batch. */
export type WriteInput = readonly Row[] | ColumnBatch;

/** Whether `input` is a {@linkcode ColumnBatch} (not an array of rows). */
export function isColumnBatch(input: WriteInput): input is ColumnBatch {
  return !Array.isArray(input);
}

/** How a column of each type is held in a batch. */
export type VectorKind =
  | "int64"
  | "int32"
  | "decimal64"
  | "bigints"
  | "float32"
  | "float64"
  | "boolean"
  | "strings"
  | "binaries";

const EXPECTED: Record<VectorKind, string> = {
  int64: "a BigInt64Array",
  int32: "an Int32Array",
  decimal64: "a BigInt64Array of unscaled values",
  bigints: "an array of unscaled bigints",
  float32: "a Float32Array",
  float64: "a Float64Array",
  boolean: "a Uint8Array of 0 and 1",
  strings: "an array of strings or dictionary strings ({indices, dictionary})",
  binaries: "an array of Uint8Array",
};

/** The form a column of `field`'s type takes in a batch; a TypeError for types a batch cannot hold. */
export function vectorKind(field: StructField): VectorKind {
  const type = field.type;
  if (typeof type === "string") {
    const dec = decimalParts(type);
    if (dec) return dec.precision > 18 ? "bigints" : "decimal64";
    switch (type) {
      case "long":
      case "timestamp":
      case "timestamp_ntz":
        return "int64";
      case "integer":
      case "short":
      case "byte":
      case "date":
        return "int32";
      case "float":
        return "float32";
      case "double":
        return "float64";
      case "boolean":
        return "boolean";
      case "string":
        return "strings";
      case "binary":
        return "binaries";
    }
  }
  throw new TypeError(
    `Cannot write column "${field.name}" from a column batch: type ${
      typeof type === "string" ? type : type.type
    } is not a primitive type (write rows instead)`,
  );
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (typeof v !== "object") return typeof v;
  return v.constructor?.name ?? "object";
}

function isDictionary(v: ColumnValues): v is DictionaryStrings {
  return !Array.isArray(v) && !ArrayBuffer.isView(v);
}

function valuesLength(v: ColumnValues): number {
  return isDictionary(v) ? v.indices.length : v.length;
}

/**
 * Checks that `vector` has the form `field`'s type takes and `length` values; a TypeError naming the column
 * otherwise. Values themselves (ranges, nulls) are checked while they are encoded.
 */
export function checkVector(field: StructField, vector: ColumnVector, length: number): VectorKind {
  const kind = vectorKind(field);
  const v = vector?.values;
  let ok: boolean;
  switch (kind) {
    case "int64":
    case "decimal64":
      ok = v instanceof BigInt64Array;
      break;
    case "int32":
      ok = v instanceof Int32Array;
      break;
    case "float32":
      ok = v instanceof Float32Array;
      break;
    case "float64":
      ok = v instanceof Float64Array;
      break;
    case "boolean":
      ok = v instanceof Uint8Array;
      break;
    case "strings":
      ok = Array.isArray(v) ||
        (v !== null && typeof v === "object" && !ArrayBuffer.isView(v) &&
          (v as DictionaryStrings).indices instanceof Int32Array &&
          Array.isArray((v as DictionaryStrings).dictionary));
      break;
    default:
      ok = Array.isArray(v);
  }
  if (!ok) {
    const dec = decimalParts(field.type as DataType);
    const scale = dec && kind === "decimal64" ? ` at scale ${dec.scale}` : "";
    throw new TypeError(
      `Cannot write column "${field.name}": expected ${EXPECTED[kind]}${scale} for ${field.type}, got ${
        describe(v)
      }`,
    );
  }
  const n = valuesLength(v);
  if (n !== length) {
    throw new TypeError(`Cannot write column "${field.name}": ${n} values for a batch of ${length} rows`);
  }
  if (vector.valid !== undefined) {
    if (!(vector.valid instanceof Uint8Array)) {
      throw new TypeError(
        `Cannot write column "${field.name}": expected valid to be a Uint8Array, got ${
          describe(vector.valid)
        }`,
      );
    }
    if (vector.valid.length !== length) {
      throw new TypeError(
        `Cannot write column "${field.name}": ${vector.valid.length} validity bytes for a batch of ${length} rows`,
      );
    }
  }
  return kind;
}

/** The value of `row` of a checked column as a row value (null for null); for partition values and rows. */
export function vectorValue(field: StructField, vector: ColumnVector | undefined, row: number): Value {
  if (!vector || (vector.valid && vector.valid[row] === 0)) return null;
  const v = vector.values;
  const type = field.type as string;
  if (isDictionary(v)) {
    const i = v.indices[row];
    return v.dictionary[i] ?? dictionaryError(field, row, i, v.dictionary.length);
  }
  const x = v[row] ?? null;
  if (x === null) return null;
  const dec = decimalParts(type as DataType);
  if (dec) return new Decimal(x as bigint, dec.scale);
  switch (type) {
    case "timestamp":
    case "timestamp_ntz":
      return Timestamp.fromMicros(x as bigint, type === "timestamp");
    case "date":
      return new LocalDate(x as number);
    case "boolean":
      return x === 1 ? true : x === 0 ? false : booleanError(field, row, x as number);
  }
  return x as Value;
}

/** The TypeError for a dictionary index out of range. */
export function dictionaryError(field: StructField, row: number, index: number, size: number): never {
  throw new TypeError(
    `Cannot write column "${field.name}" row ${row}: dictionary index ${index} is outside 0…${size - 1}`,
  );
}

/** The TypeError for a boolean byte other than 0 and 1. */
export function booleanError(field: StructField, row: number, byte: number): never {
  throw new TypeError(
    `Cannot write column "${field.name}" row ${row}: expected 0 or 1 for boolean, got ${byte}`,
  );
}

/** The rows of `batch` as row objects with the columns `fields` (for the paths that take rows). */
export function batchToRows(fields: readonly StructField[], batch: ColumnBatch): Row[] {
  const vectors = fields.map((f) => {
    const vector = batch.columns[f.name];
    if (vector) checkVector(f, vector, batch.length);
    return vector;
  });
  const rows: Row[] = new Array(batch.length);
  for (let r = 0; r < batch.length; r++) {
    const row: Row = {};
    fields.forEach((f, c) => row[f.name] = vectorValue(f, vectors[c], r));
    rows[r] = row;
  }
  return rows;
}

type Typed = BigInt64Array | Int32Array | Float32Array | Float64Array | Uint8Array;

function gatherTyped<T extends Typed>(values: T, rows: Int32Array): T {
  const out = new (values.constructor as { new (n: number): T })(rows.length);
  if (values instanceof BigInt64Array || values instanceof Float64Array) {
    // Word by word: reading a BigInt64Array element would allocate a bigint.
    const src = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
    const dst = new Int32Array(out.buffer);
    for (let j = 0; j < rows.length; j++) {
      dst[2 * j] = src[2 * rows[j]];
      dst[2 * j + 1] = src[2 * rows[j] + 1];
    }
  } else {
    const src = values as Int32Array | Float32Array | Uint8Array;
    const dst = out as Int32Array | Float32Array | Uint8Array;
    for (let j = 0; j < rows.length; j++) dst[j] = src[rows[j]];
  }
  return out;
}

/** The rows `rows` (indices, in that order) of `batch`. */
export function takeBatch(batch: ColumnBatch, rows: Int32Array): ColumnBatch {
  const columns: Record<string, ColumnVector> = {};
  for (const [name, vector] of Object.entries(batch.columns)) {
    const v = vector.values;
    let values: ColumnValues;
    if (isDictionary(v)) values = { indices: gatherTyped(v.indices, rows), dictionary: v.dictionary };
    else if (Array.isArray(v)) values = Array.from(rows, (r) => v[r]);
    else values = gatherTyped(v as Typed, rows);
    columns[name] = { values, ...(vector.valid ? { valid: gatherTyped(vector.valid, rows) } : {}) };
  }
  return { length: rows.length, columns };
}

/** Rows `from` to `to` (exclusive) of `batch`; typed arrays are views, not copies. */
export function sliceBatch(batch: ColumnBatch, from: number, to: number): ColumnBatch {
  const columns: Record<string, ColumnVector> = {};
  for (const [name, vector] of Object.entries(batch.columns)) {
    const v = vector.values;
    const values: ColumnValues = isDictionary(v)
      ? { indices: v.indices.subarray(from, to), dictionary: v.dictionary }
      : Array.isArray(v)
      ? v.slice(from, to)
      : (v as Typed).subarray(from, to);
    columns[name] = { values, ...(vector.valid ? { valid: vector.valid.subarray(from, to) } : {}) };
  }
  return { length: Math.max(0, Math.min(to, batch.length) - from), columns };
}
