/**
 * Rows → Parquet-ready columns for flat tables of primitive types, in one pass per column straight from the
 * row objects: values checked (the same messages as the Arrow path), nulls as definition levels, the non-null
 * values packed in their Parquet physical layout, min and max found on the way, and dictionaries built for
 * strings and for integers of a narrow range (the layout delta-lake.md §5 describes, as Spark writes it).
 *
 * @module
 */
import { Decimal, LocalDate, type Row, Timestamp } from "../../value/mod.ts";
import { type DataType, decimalParts, type StructField } from "../schema/types.ts";
import { compareKeys } from "../storage/object_key.ts";

/** Parquet physical types (Thrift `Type`). */
export const Physical = {
  BOOLEAN: 0,
  INT32: 1,
  INT64: 2,
  FLOAT: 4,
  DOUBLE: 5,
  BYTE_ARRAY: 6,
  FIXED_LEN_BYTE_ARRAY: 7,
} as const;

/** A Parquet physical type id. */
export type Physical = typeof Physical[keyof typeof Physical];

/** A column's min and max in physical terms: numbers, int64 or unscaled decimals as bigint, strings. */
export interface RawExtremes {
  min: number | bigint | string;
  max: number | bigint | string;
}

/** A dictionary-encoded column: the PLAIN bytes of the distinct values and each value's index. */
export interface Dictionary {
  plain: Uint8Array;
  size: number;
  /** Index of each non-null value, in row order. */
  indices: Int32Array;
}

/** One column of a flat table, ready for Parquet pages. */
export interface PrimitiveColumn {
  field: StructField;
  physical: Physical;
  /** Byte length of FIXED_LEN_BYTE_ARRAY values (wide decimals). */
  typeLength: number;
  rows: number;
  nullCount: number;
  /** 1 where the row has a value, 0 where null; undefined when there is no null. */
  defined: Uint8Array | undefined;
  /** Non-null values. */
  count: number;
  /**
   * PLAIN bytes of the non-null values (unused when `dictionary` is set): fixed width `width` bytes each, or BYTE_ARRAY (4-byte length + bytes)
   * with `ends`; booleans one byte (0/1) each, bit-packed per page by the writer.
   */
  plain: Uint8Array;
  /** Bytes per value of `plain`, 0 for BYTE_ARRAY. */
  width: number;
  /** For BYTE_ARRAY: end offset in `plain` of each value. */
  ends: Int32Array | undefined;
  dictionary: Dictionary | undefined;
  /** Undefined when every value is null, or for NaN and infinities (no ordering stats). */
  extremes: RawExtremes | undefined;
}

/** Whether a field can take the primitive path (flat, a type this module writes). */
export function isPrimitiveField(field: StructField): boolean {
  const t = field.type;
  if (typeof t !== "string") return false;
  if (decimalParts(t)) return true;
  return PRIMITIVE.has(t);
}

const PRIMITIVE = new Set([
  "string",
  "binary",
  "long",
  "integer",
  "short",
  "byte",
  "float",
  "double",
  "boolean",
  "date",
  "timestamp",
  "timestamp_ntz",
]);

/** Dictionaries stop at this many distinct values or bytes (then PLAIN, as parquet-mr falls back). */
const DICT_MAX_VALUES = 1 << 16;
const DICT_MAX_BYTES = 1 << 20;
/** Integer dictionaries are tried when max − min is at most this (a direct lookup table). */
const INT_DICT_RANGE = 1 << 17;

function describe(v: unknown): string {
  if (v === null) return "null";
  if (typeof v !== "object") return `${typeof v} ${String(v).slice(0, 40)}`;
  return v.constructor?.name ?? "object";
}

function fail(path: string, row: number, expected: string, v: unknown): never {
  throw new TypeError(`Cannot write column "${path}" row ${row}: expected ${expected}, got ${describe(v)}`);
}

/** Collects the definition levels of a column while its values are read. */
class Levels {
  defined: Uint8Array | undefined;
  nullCount = 0;
  constructor(readonly field: StructField, readonly n: number) {}

  /** Records a null at `row` (rows before it all had values unless recorded). */
  null(row: number): void {
    if (!this.field.nullable) {
      throw new TypeError(
        `Cannot write column "${this.field.name}" row ${row}: null in a non-nullable column`,
      );
    }
    if (!this.defined) this.defined = new Uint8Array(this.n).fill(1, 0, row);
    this.nullCount++;
  }

  /** Records a value at `row`. */
  value(row: number): void {
    if (this.defined) this.defined[row] = 1;
  }
}

/** Columns of `rows` for `fields` (all {@linkcode isPrimitiveField}); extra row keys are ignored. */
export function rowsToPrimitiveColumns(
  fields: readonly StructField[],
  rows: readonly Row[],
): PrimitiveColumn[] {
  return fields.map((f) => primitiveColumn(f, rows));
}

function primitiveColumn(field: StructField, rows: readonly Row[]): PrimitiveColumn {
  const type = field.type as string;
  const dec = decimalParts(type as DataType);
  if (dec) return dec.precision > 18 ? wideDecimalColumn(field, rows, dec) : decimalColumn(field, rows, dec);
  switch (type) {
    case "long":
    case "timestamp":
    case "timestamp_ntz":
      return int64Column(field, rows);
    case "integer":
    case "short":
    case "byte":
    case "date":
      return int32Column(field, rows);
    case "float":
    case "double":
      return floatColumn(field, rows);
    case "boolean":
      return booleanColumn(field, rows);
    case "string":
      return stringColumn(field, rows);
    case "binary":
      return binaryColumn(field, rows);
  }
  throw new TypeError(`Cannot write column "${field.name}": type "${type}" is not a primitive type`);
}

function column(
  field: StructField,
  levels: Levels,
  physical: Physical,
  count: number,
  plain: Uint8Array,
  width: number,
  extremes: RawExtremes | undefined,
): PrimitiveColumn {
  return {
    field,
    physical,
    typeLength: 0,
    rows: levels.n,
    nullCount: levels.nullCount,
    defined: levels.defined,
    count,
    plain,
    width,
    ends: undefined,
    dictionary: undefined,
    extremes,
  };
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function int64Column(field: StructField, rows: readonly Row[]): PrimitiveColumn {
  const n = rows.length;
  const name = field.name;
  const type = field.type as string;
  const levels = new Levels(field, n);
  const out = new BigInt64Array(n);
  let k = 0;
  let min = INT64_MAX;
  let max = INT64_MIN;
  if (type === "long") {
    for (let i = 0; i < n; i++) {
      const v = rows[i][name];
      if (v == null) {
        levels.null(i);
        continue;
      }
      let x: bigint;
      if (typeof v === "bigint") {
        if (v < INT64_MIN || v > INT64_MAX) fail(name, i, "a 64-bit integer", v);
        x = v;
      } else if (typeof v === "number" && Number.isSafeInteger(v)) x = BigInt(v);
      else fail(name, i, "a bigint for long", v);
      levels.value(i);
      out[k++] = x;
      if (x < min) min = x;
      if (x > max) max = x;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const v = rows[i][name];
      if (v == null) {
        levels.null(i);
        continue;
      }
      if (!(v instanceof Timestamp)) fail(name, i, `a Timestamp for ${type}`, v);
      // Delta timestamps have microsecond precision; finer digits are floored like Spark does.
      const x = v.epochMicros;
      if (x < INT64_MIN || x > INT64_MAX) fail(name, i, `a timestamp within the range of ${type}`, v);
      levels.value(i);
      out[k++] = x;
      if (x < min) min = x;
      if (x > max) max = x;
    }
  }
  const col = column(field, levels, Physical.INT64, k, bytesOf(out, k * 8), 8, k ? { min, max } : undefined);
  if (k > 0 && max - min < BigInt(INT_DICT_RANGE)) {
    col.dictionary = int64Dictionary(out, k, min, Number(max - min));
  }
  return col;
}

function int32Column(field: StructField, rows: readonly Row[]): PrimitiveColumn {
  const n = rows.length;
  const name = field.name;
  const type = field.type as string;
  const levels = new Levels(field, n);
  const out = new Int32Array(n);
  let k = 0;
  let min = Infinity;
  let max = -Infinity;
  if (type === "date") {
    for (let i = 0; i < n; i++) {
      const v = rows[i][name];
      if (v == null) {
        levels.null(i);
        continue;
      }
      if (!(v instanceof LocalDate)) fail(name, i, "a LocalDate", v);
      const x = v.days;
      if (x !== (x | 0)) fail(name, i, "a date within the range of date", v);
      levels.value(i);
      out[k++] = x;
      if (x < min) min = x;
      if (x > max) max = x;
    }
  } else {
    const [lo, hi] = type === "integer"
      ? [-(2 ** 31), 2 ** 31 - 1]
      : type === "short"
      ? [-32768, 32767]
      : [-128, 127];
    for (let i = 0; i < n; i++) {
      const v = rows[i][name];
      if (v == null) {
        levels.null(i);
        continue;
      }
      if (typeof v !== "number" || !Number.isInteger(v) || v < lo || v > hi) {
        fail(name, i, `an integer in ${lo}…${hi} for ${type}`, v);
      }
      levels.value(i);
      out[k++] = v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  const col = column(field, levels, Physical.INT32, k, bytesOf(out, k * 4), 4, k ? { min, max } : undefined);
  if (k > 0 && max - min < INT_DICT_RANGE) col.dictionary = int32Dictionary(out, k, min, max - min);
  return col;
}

function decimalColumn(
  field: StructField,
  rows: readonly Row[],
  dec: { precision: number; scale: number },
): PrimitiveColumn {
  const n = rows.length;
  const name = field.name;
  const levels = new Levels(field, n);
  const limit = 10n ** BigInt(dec.precision);
  const negLimit = -limit;
  const narrow = dec.precision <= 9;
  const out = new BigInt64Array(n);
  let k = 0;
  let min = limit;
  let max = negLimit;
  for (let i = 0; i < n; i++) {
    const v = rows[i][name];
    if (v == null) {
      levels.null(i);
      continue;
    }
    const u = unscaledOf(v, dec, field, i);
    if (u >= limit || u <= negLimit) {
      throw new TypeError(`Cannot write column "${name}" row ${i}: ${v} does not fit ${field.type}`);
    }
    levels.value(i);
    out[k++] = u;
    if (u < min) min = u;
    if (u > max) max = u;
  }
  const extremes = k ? { min, max } : undefined;
  if (!narrow) return column(field, levels, Physical.INT64, k, bytesOf(out, k * 8), 8, extremes);
  // Precision ≤ 9: INT32, as Spark writes it.
  const ints = new Int32Array(k);
  for (let j = 0; j < k; j++) ints[j] = Number(out[j]);
  return column(field, levels, Physical.INT32, k, bytesOf(ints, k * 4), 4, extremes);
}

function unscaledOf(
  v: unknown,
  dec: { precision: number; scale: number },
  field: StructField,
  i: number,
): bigint {
  if (!(v instanceof Decimal)) fail(field.name, i, `a Decimal for ${field.type}`, v);
  if (v.scale === dec.scale) return v.unscaled;
  try {
    return v.rescale(dec.scale, "exact").unscaled;
  } catch {
    throw new TypeError(
      `Cannot write column "${field.name}" row ${i}: ${v} has more than ${dec.scale} decimals`,
    );
  }
}

/** Bytes of the two's-complement big-endian form of a decimal of `precision` digits (Spark's FLBA width). */
export function decimalByteLength(precision: number): number {
  let bytes = 1;
  while (2n ** BigInt(8 * bytes - 1) < 10n ** BigInt(precision)) bytes++;
  return bytes;
}

function wideDecimalColumn(
  field: StructField,
  rows: readonly Row[],
  dec: { precision: number; scale: number },
): PrimitiveColumn {
  const n = rows.length;
  const name = field.name;
  const levels = new Levels(field, n);
  const limit = 10n ** BigInt(dec.precision);
  const width = decimalByteLength(dec.precision);
  const out = new Uint8Array(n * width);
  let k = 0;
  let min = limit;
  let max = -limit;
  for (let i = 0; i < n; i++) {
    const v = rows[i][name];
    if (v == null) {
      levels.null(i);
      continue;
    }
    const u = unscaledOf(v, dec, field, i);
    if (u >= limit || u <= -limit) {
      throw new TypeError(`Cannot write column "${name}" row ${i}: ${v} does not fit ${field.type}`);
    }
    levels.value(i);
    let x = BigInt.asUintN(8 * width, u);
    for (let b = width - 1; b >= 0; b--) {
      out[k * width + b] = Number(x & 0xffn);
      x >>= 8n;
    }
    k++;
    if (u < min) min = u;
    if (u > max) max = u;
  }
  const col = column(
    field,
    levels,
    Physical.FIXED_LEN_BYTE_ARRAY,
    k,
    out.subarray(0, k * width),
    width,
    undefined,
  );
  col.typeLength = width;
  col.extremes = k ? { min, max } : undefined;
  return col;
}

function floatColumn(field: StructField, rows: readonly Row[]): PrimitiveColumn {
  const n = rows.length;
  const name = field.name;
  const type = field.type as string;
  const levels = new Levels(field, n);
  const out = type === "float" ? new Float32Array(n) : new Float64Array(n);
  let k = 0;
  let min = Infinity;
  let max = -Infinity;
  let orderable = true;
  for (let i = 0; i < n; i++) {
    const v = rows[i][name];
    if (v == null) {
      levels.null(i);
      continue;
    }
    if (typeof v !== "number") fail(name, i, `a number for ${type}`, v);
    levels.value(i);
    out[k] = v;
    // Floats are compared as stored (rounded to float32).
    const x = out[k++];
    if (!Number.isFinite(x)) orderable = false;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  const width = type === "float" ? 4 : 8;
  const extremes = k && orderable ? { min, max } : undefined;
  return column(
    field,
    levels,
    type === "float" ? Physical.FLOAT : Physical.DOUBLE,
    k,
    bytesOf(out, k * width),
    width,
    extremes,
  );
}

function booleanColumn(field: StructField, rows: readonly Row[]): PrimitiveColumn {
  const n = rows.length;
  const name = field.name;
  const levels = new Levels(field, n);
  const out = new Uint8Array(n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const v = rows[i][name];
    if (v == null) {
      levels.null(i);
      continue;
    }
    if (typeof v !== "boolean") fail(name, i, "a boolean", v);
    levels.value(i);
    out[k++] = v ? 1 : 0;
  }
  return column(field, levels, Physical.BOOLEAN, k, out.subarray(0, k), 1, undefined);
}

const encoder = new TextEncoder();
/** UTF-16 order equals UTF-8 (code point) order unless a string holds U+D800…U+FFFF. */
const HIGH_UNITS = /[\ud800-\uffff]/;

function stringColumn(field: StructField, rows: readonly Row[]): PrimitiveColumn {
  const n = rows.length;
  const name = field.name;
  const levels = new Levels(field, n);
  const indices = new Int32Array(n);
  const codes = new Map<string, number>();
  const distinct: string[] = [];
  let dictChars = 0;
  let k = 0;
  let i = 0;
  for (; i < n; i++) {
    const v = rows[i][name];
    if (v == null) {
      levels.null(i);
      continue;
    }
    if (typeof v !== "string") fail(name, i, "a string", v);
    let code = codes.get(v);
    if (code === undefined) {
      code = distinct.length;
      codes.set(v, code);
      distinct.push(v);
      dictChars += v.length;
      if (distinct.length > DICT_MAX_VALUES || dictChars * 3 > DICT_MAX_BYTES) break;
    }
    levels.value(i);
    indices[k++] = code;
  }
  if (i === n) {
    const col = column(field, levels, Physical.BYTE_ARRAY, k, new Uint8Array(0), 0, stringExtremes(distinct));
    col.dictionary = { plain: plainStrings(distinct, distinct.length).plain, size: distinct.length, indices };
    return col;
  }
  // Too many distinct values for a dictionary: PLAIN, taking the values again from the rows.
  const values: string[] = new Array(k);
  for (let j = 0; j < k; j++) values[j] = distinct[indices[j]];
  for (; i < n; i++) {
    const v = rows[i][name];
    if (v == null) {
      levels.null(i);
      continue;
    }
    if (typeof v !== "string") fail(name, i, "a string", v);
    levels.value(i);
    values.push(v);
  }
  const { plain, ends } = plainStrings(values, values.length);
  const col = column(field, levels, Physical.BYTE_ARRAY, values.length, plain, 0, stringExtremes(values));
  col.ends = ends;
  return col;
}

function stringExtremes(values: readonly string[]): RawExtremes | undefined {
  if (values.length === 0) return undefined;
  let high = false;
  for (let i = 0; i < values.length && !high; i++) high = HIGH_UNITS.test(values[i]);
  let min = values[0];
  let max = values[0];
  for (const v of values) {
    if (high ? compareKeys(v, min) < 0 : v < min) min = v;
    if (high ? compareKeys(v, max) > 0 : v > max) max = v;
  }
  return { min, max };
}

/** PLAIN BYTE_ARRAY bytes of strings (4-byte length, UTF-8) and each value's end offset. */
function plainStrings(values: readonly string[], count: number): { plain: Uint8Array; ends: Int32Array } {
  const ends = new Int32Array(count);
  let data: Uint8Array = new Uint8Array(Math.max(64, count * 8));
  let used = 0;
  for (let i = 0; i < count; i++) {
    const v = values[i];
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    if (used + 4 + v.length * 3 > data.length) data = grow(data, used + 4 + v.length * 3);
    const at = used + 4;
    // ASCII is copied unit by unit (short values: cheaper than encodeInto and its subarray view).
    let j = 0;
    const len = v.length;
    for (; j < len; j++) {
      const c = v.charCodeAt(j);
      if (c >= 0x80) break;
      data[at + j] = c;
    }
    const bytes = j < len ? encoder.encodeInto(v, data.subarray(at)).written : len;
    data[used] = bytes & 0xff;
    data[used + 1] = (bytes >>> 8) & 0xff;
    data[used + 2] = (bytes >>> 16) & 0xff;
    data[used + 3] = bytes >>> 24;
    used = at + bytes;
    if (used > 0x7fffffff) throw new RangeError("Cannot write a string column of more than 2 GiB");
    ends[i] = used;
  }
  return { plain: data.subarray(0, used), ends };
}

function binaryColumn(field: StructField, rows: readonly Row[]): PrimitiveColumn {
  const n = rows.length;
  const name = field.name;
  const levels = new Levels(field, n);
  const ends = new Int32Array(n);
  let data: Uint8Array = new Uint8Array(Math.max(64, n * 8));
  let used = 0;
  let k = 0;
  for (let i = 0; i < n; i++) {
    const v = rows[i][name];
    if (v == null) {
      levels.null(i);
      continue;
    }
    if (!(v instanceof Uint8Array)) fail(name, i, "a Uint8Array for binary", v);
    levels.value(i);
    if (used + 4 + v.length > data.length) data = grow(data, used + 4 + v.length);
    new DataView(data.buffer).setUint32(used, v.length, true);
    data.set(v, used + 4);
    used += 4 + v.length;
    if (used > 0x7fffffff) {
      throw new RangeError(`Cannot write column "${name}": more than 2 GiB of binary data`);
    }
    ends[k++] = used;
  }
  const col = column(field, levels, Physical.BYTE_ARRAY, k, data.subarray(0, used), 0, undefined);
  col.ends = ends.subarray(0, k);
  return col;
}

function grow(data: Uint8Array, need: number): Uint8Array {
  const next = new Uint8Array(Math.max(need, data.length * 2));
  next.set(data);
  return next;
}

function bytesOf(a: BigInt64Array | Int32Array | Float32Array | Float64Array, length: number): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, length);
}

/**
 * Dictionary of int32 values within `range` of `min`, in ascending order, when it pays (at most half as many
 * distinct values as values); undefined otherwise.
 */
function int32Dictionary(
  values: Int32Array,
  count: number,
  min: number,
  range: number,
): Dictionary | undefined {
  const rank = new Int32Array(range + 1);
  for (let j = 0; j < count; j++) rank[values[j] - min] = 1;
  let size = 0;
  for (let r = 0; r <= range; r++) if (rank[r]) rank[r] = ++size;
  if (size * 2 > count) return undefined;
  const dict = new Int32Array(size);
  for (let r = 0; r <= range; r++) if (rank[r]) dict[rank[r] - 1] = min + r;
  const indices = new Int32Array(count);
  for (let j = 0; j < count; j++) indices[j] = rank[values[j] - min] - 1;
  return { plain: bytesOf(dict, size * 4), size, indices };
}

/** Like {@linkcode int32Dictionary} for int64 values; `range` = max − min, below 2^17. */
function int64Dictionary(
  values: BigInt64Array,
  count: number,
  min: bigint,
  range: number,
): Dictionary | undefined {
  // max − min < 2^32: the low words' difference modulo 2^32 is the distance to min, no bigint needed.
  const words = new Int32Array(values.buffer, values.byteOffset, count * 2);
  const minLo = Number(BigInt.asIntN(32, min));
  const rank = new Int32Array(range + 1);
  for (let j = 0; j < count; j++) rank[(words[2 * j] - minLo) >>> 0] = 1;
  let size = 0;
  for (let r = 0; r <= range; r++) if (rank[r]) rank[r] = ++size;
  if (size * 2 > count) return undefined;
  const dict = new BigInt64Array(size);
  for (let r = 0; r <= range; r++) if (rank[r]) dict[rank[r] - 1] = min + BigInt(r);
  const indices = new Int32Array(count);
  for (let j = 0; j < count; j++) indices[j] = rank[(words[2 * j] - minLo) >>> 0] - 1;
  return { plain: bytesOf(dict, size * 8), size, indices };
}
