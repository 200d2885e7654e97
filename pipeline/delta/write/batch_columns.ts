/**
 * Column batches → Parquet-ready columns: each batch column is checked, its nulls found and its non-null values
 * packed (fixed-width columns without nulls are used in place, no copy), then the shared finishers of
 * primitive_columns.ts find min and max, check ranges and build dictionaries, as for row input.
 *
 * @module
 */
import { type DataType, decimalParts, type StructField } from "../schema/types.ts";
import {
  booleanError,
  checkVector,
  type ColumnBatch,
  type ColumnValues,
  type ColumnVector,
  dictionaryError,
  type DictionaryStrings,
  type VectorKind,
  vectorKind,
} from "./column_batch.ts";
import {
  BinaryValues,
  booleanColumn,
  decimalColumn,
  decimalRangeError,
  floatColumn,
  int32Column,
  int32Extremes,
  int64Column,
  INT_RANGE,
  nullError,
  type Nulls,
  type PrimitiveColumn,
  rowOfValue,
  StringValues,
  valueError,
  wideDecimalColumn,
} from "./primitive_columns.ts";

/**
 * Columns of `batch` for `fields` (all primitive; see {@linkcode checkVector} for the forms). Throws a
 * TypeError naming the column (and row) for a wrong form or length, a value out of range or a null in a
 * non-nullable column. A column missing from the batch is all null.
 */
export function batchToPrimitiveColumns(
  fields: readonly StructField[],
  batch: ColumnBatch,
): PrimitiveColumn[] {
  return fields.map((f) => batchColumn(f, batch.columns[f.name], batch.length));
}

/** Nulls of a column from its validity bytes; checks them and the column's nullability. */
function nullsOf(field: StructField, valid: Uint8Array | undefined, rows: number): Nulls {
  if (!valid) return { rows, nullCount: 0, defined: undefined };
  let nullCount = 0;
  for (let r = 0; r < rows; r++) {
    const b = valid[r];
    if (b !== 1) {
      if (b !== 0) {
        throw new TypeError(`Cannot write column "${field.name}" row ${r}: expected valid 0 or 1, got ${b}`);
      }
      nullCount++;
    }
  }
  if (nullCount > 0 && !field.nullable) throw nullError(field, valid.indexOf(0));
  return { rows, nullCount, defined: nullCount > 0 ? valid : undefined };
}

type Fixed = BigInt64Array | Int32Array | Float32Array | Float64Array | Uint8Array;

/** The non-null values of a fixed-width column, packed (the array itself when nothing is null). */
function packed<T extends Fixed>(values: T, nulls: Nulls): T {
  const d = nulls.defined;
  if (!d) return values;
  const count = nulls.rows - nulls.nullCount;
  const out = new (values.constructor as { new (n: number): T })(count);
  if (values instanceof BigInt64Array || values instanceof Float64Array) {
    // Word by word: reading a BigInt64Array element would allocate a bigint.
    const src = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
    const dst = new Int32Array(out.buffer);
    let k = 0;
    for (let r = 0; r < nulls.rows; r++) {
      if (d[r]) {
        dst[k++] = src[2 * r];
        dst[k++] = src[2 * r + 1];
      }
    }
  } else {
    const src = values as Int32Array | Float32Array | Uint8Array;
    const dst = out as Int32Array | Float32Array | Uint8Array;
    let k = 0;
    for (let r = 0; r < nulls.rows; r++) if (d[r]) dst[k++] = src[r];
  }
  return out;
}

function batchColumn(field: StructField, vector: ColumnVector | undefined, rows: number): PrimitiveColumn {
  if (!vector) {
    if (!field.nullable && rows > 0) {
      throw new TypeError(
        `Cannot write column "${field.name}": the batch has no such column and it is not nullable`,
      );
    }
    vector = { values: emptyValues(vectorKind(field), rows), valid: new Uint8Array(rows) };
  }
  const kind = checkVector(field, vector, rows);
  const nulls = nullsOf(field, vector.valid, rows);
  const count = rows - nulls.nullCount;
  switch (kind) {
    case "int64":
      return int64Column(field, nulls, packed(vector.values as BigInt64Array, nulls), count);
    case "decimal64":
      return decimalColumn(field, nulls, packed(vector.values as BigInt64Array, nulls), count);
    case "int32": {
      const values = packed(vector.values as Int32Array, nulls);
      const range = INT_RANGE[field.type as string];
      if (range && count > 0) {
        const { min, max } = int32Extremes(values, count);
        if (min < range[0] || max > range[1]) {
          const j = values.findIndex((x, j) => j < count && (x < range[0] || x > range[1]));
          throw valueError(
            field.name,
            rowOfValue(nulls, j),
            `an integer in ${range[0]}…${range[1]} for ${field.type}`,
            values[j],
          );
        }
      }
      return int32Column(field, nulls, values, count);
    }
    case "float32":
    case "float64":
      return floatColumn(field, nulls, packed(vector.values as Float32Array | Float64Array, nulls), count);
    case "boolean": {
      const values = packed(vector.values as Uint8Array, nulls);
      for (let j = 0; j < count; j++) if (values[j] > 1) booleanError(field, rowOfValue(nulls, j), values[j]);
      return booleanColumn(field, nulls, values, count);
    }
    case "strings":
      if (!Array.isArray(vector.values)) {
        return dictionaryColumn(field, vector.values as DictionaryStrings, nulls);
      }
  }
  return arrayColumn(field, vector, rows, nulls);
}

/** Values of `kind` for `rows` rows, all zero (for an all-null column). */
function emptyValues(kind: VectorKind, rows: number): ColumnValues {
  switch (kind) {
    case "int64":
    case "decimal64":
      return new BigInt64Array(rows);
    case "int32":
      return new Int32Array(rows);
    case "float32":
      return new Float32Array(rows);
    case "float64":
      return new Float64Array(rows);
    case "boolean":
      return new Uint8Array(rows);
  }
  return new Array(rows).fill(null);
}

/** Strings given as dictionary indices: each distinct index is looked up in the column's dictionary once. */
function dictionaryColumn(field: StructField, v: DictionaryStrings, nulls: Nulls): PrimitiveColumn {
  const { indices, dictionary } = v;
  const size = dictionary.length;
  const strings = new StringValues(field, nulls.rows - nulls.nullCount);
  // Input index → the column's dictionary index + 1 (0: not seen yet).
  const codes = new Int32Array(size);
  const d = nulls.defined;
  for (let r = 0; r < nulls.rows; r++) {
    if (d && !d[r]) continue;
    const i = indices[r];
    if (!(i >= 0 && i < size)) dictionaryError(field, r, i, size);
    const code = codes[i];
    if (code > 0 && strings.indices) {
      strings.addCode(code - 1);
      continue;
    }
    const s = dictionary[i];
    if (typeof s !== "string") {
      throw valueError(field.name, r, `a string at dictionary index ${i}`, s);
    }
    codes[i] = strings.add(s) + 1;
  }
  return strings.finish(nulls);
}

/** Null entries of an array column, on top of its validity bytes (copied on the first null entry). */
class NullEntries {
  cleared: Uint8Array | undefined;
  count = 0;

  constructor(readonly field: StructField, readonly nulls: Nulls) {}

  add(row: number): void {
    if (!this.field.nullable) throw nullError(this.field, row);
    const valid = this.nulls.defined;
    this.cleared ??= valid ? valid.slice() : new Uint8Array(this.nulls.rows).fill(1);
    this.cleared[row] = 0;
    this.count++;
  }

  /** The column's nulls: from its validity and its null entries. */
  all(): Nulls {
    const { rows, nullCount, defined } = this.nulls;
    return { rows, nullCount: nullCount + this.count, defined: this.cleared ?? defined };
  }
}

/** Columns given as arrays of values (strings, binaries, wide decimals): null entries are nulls too. */
function arrayColumn(field: StructField, vector: ColumnVector, rows: number, nulls: Nulls): PrimitiveColumn {
  const values = vector.values as readonly unknown[];
  const valid = nulls.defined;
  const entries = new NullEntries(field, nulls);
  const capacity = rows - nulls.nullCount;
  switch (field.type) {
    case "string": {
      const strings = new StringValues(field, capacity);
      addStrings(values, valid, strings, entries);
      return strings.finish(entries.all());
    }
    case "binary": {
      const bytes = new BinaryValues(field, capacity);
      for (let r = 0; r < rows; r++) {
        if (valid && !valid[r]) continue;
        const b = values[r];
        if (b instanceof Uint8Array) bytes.add(b);
        else if (b == null) entries.add(r);
        else throw valueError(field.name, r, "a Uint8Array for binary", b);
      }
      return bytes.finish(entries.all());
    }
  }
  const dec = decimalParts(field.type as DataType)!;
  const limit = 10n ** BigInt(dec.precision);
  const unscaled: bigint[] = [];
  for (let r = 0; r < rows; r++) {
    if (valid && !valid[r]) continue;
    const u = values[r];
    if (typeof u === "bigint") {
      if (u >= limit || u <= -limit) throw decimalRangeError(field, r, u, dec.scale);
      unscaled.push(u);
    } else if (u == null) entries.add(r);
    else throw valueError(field.name, r, `an unscaled bigint for ${field.type}`, u);
  }
  return wideDecimalColumn(field, entries.all(), unscaled);
}

/**
 * Adds the strings of `values` (rows `valid` marks null skipped) to `strings`, null entries to `entries`. A
 * function of its own with nothing after its loop: V8 compiles the loop on stack replacement during the first
 * string column, and code after it, without type feedback then, deoptimized at the end of every column (and
 * was compiled again).
 */
function addStrings(
  values: readonly unknown[],
  valid: Uint8Array | undefined,
  strings: StringValues,
  entries: NullEntries,
): void {
  for (let r = 0; r < values.length; r++) {
    if (valid && !valid[r]) continue;
    const s = values[r];
    if (typeof s === "string") strings.add(s);
    else if (s == null) entries.add(r);
    else throw valueError(entries.field.name, r, "a string", s);
  }
}
