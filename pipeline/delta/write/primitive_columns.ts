/**
 * Parquet-ready columns for flat tables of primitive types. The inputs (row objects here, column batches in
 * batch_columns.ts) fill the same column buffers: the non-null values packed in their Parquet physical layout
 * plus definition levels; the shared finishers below then find min and max, check ranges and build
 * dictionaries for strings and for integers of a narrow range (the layout delta-lake.md §5 describes, as Spark
 * writes it).
 *
 * @module
 */
import { Decimal, LocalDate, type Row, Timestamp, type Value } from "../../value/mod.ts";
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

/** Where a column's nulls are: `defined` is 1 where row has a value (undefined when none is null). */
export interface Nulls {
  rows: number;
  nullCount: number;
  defined: Uint8Array | undefined;
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

/** The value range of the INT32-backed integer types. */
export const INT_RANGE: Readonly<Record<string, readonly [number, number]>> = {
  integer: [-(2 ** 31), 2 ** 31 - 1],
  short: [-32768, 32767],
  byte: [-128, 127],
};

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

/** The TypeError for a value of the wrong type or range at `row` of column `path`. */
export function valueError(path: string, row: number, expected: string, v: unknown): TypeError {
  return new TypeError(`Cannot write column "${path}" row ${row}: expected ${expected}, got ${describe(v)}`);
}

/** The TypeError for a null at `row` of a non-nullable column. */
export function nullError(field: StructField, row: number): TypeError {
  return new TypeError(`Cannot write column "${field.name}" row ${row}: null in a non-nullable column`);
}

/** The TypeError for an unscaled decimal that does not fit the column's precision. */
export function decimalRangeError(
  field: StructField,
  row: number,
  unscaled: bigint,
  scale: number,
): TypeError {
  return new TypeError(
    `Cannot write column "${field.name}" row ${row}: ${new Decimal(
      unscaled,
      scale,
    )} does not fit ${field.type}`,
  );
}

// ---------------------------------------------------------------------------------------------------------
// Shared finishers: packed non-null values (and their nulls) → PrimitiveColumn, for every input.

function column(
  field: StructField,
  nulls: Nulls,
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
    rows: nulls.rows,
    nullCount: nulls.nullCount,
    defined: nulls.nullCount > 0 ? nulls.defined : undefined,
    count,
    plain,
    width,
    ends: undefined,
    dictionary: undefined,
    extremes,
  };
}

function bytesOf(a: BigInt64Array | Int32Array | Float32Array | Float64Array, length: number): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, length);
}

/** XOR with this turns an unsigned 32-bit word into an int32 of the same order. */
const SIGN = -0x80000000;

/**
 * Min and max of `values[0, count)` as [minHi, minLo, maxHi, maxLo] 32-bit words (hi signed, lo unsigned),
 * compared word-wise so no bigint is made per value. Low words are compared as int32 (`lo ^ SIGN`): unsigned
 * 32-bit values above 2^31 would leave V8's small-integer representation (a deoptimization, then doubles).
 */
function int64Words(values: BigInt64Array, count: number): [number, number, number, number] {
  const w = new Int32Array(values.buffer, values.byteOffset, count * 2);
  let minHi = w[1];
  let minLo = w[0] ^ SIGN;
  let maxHi = minHi;
  let maxLo = minLo;
  for (let j = 2; j < 2 * count; j += 2) {
    const hi = w[j + 1];
    const lo = w[j] ^ SIGN;
    if (hi < minHi || (hi === minHi && lo < minLo)) {
      minHi = hi;
      minLo = lo;
    }
    if (hi > maxHi || (hi === maxHi && lo > maxLo)) {
      maxHi = hi;
      maxLo = lo;
    }
  }
  return [minHi, (minLo ^ SIGN) >>> 0, maxHi, (maxLo ^ SIGN) >>> 0];
}

/** Min and max of int64 `values[0, count)` (count > 0). */
export function int64Extremes(values: BigInt64Array, count: number): { min: bigint; max: bigint } {
  const [minHi, minLo, maxHi, maxLo] = int64Words(values, count);
  return {
    min: (BigInt(minHi) << 32n) | BigInt(minLo),
    max: (BigInt(maxHi) << 32n) | BigInt(maxLo),
  };
}

/** Min and max of int32 `values[0, count)` (count > 0). */
export function int32Extremes(values: Int32Array, count: number): { min: number; max: number } {
  let min = values[0];
  let max = min;
  for (let j = 1; j < count; j++) {
    const x = values[j];
    if (x < min) min = x;
    else if (x > max) max = x;
  }
  return { min, max };
}

/** INT64 columns (`long`, timestamps in microseconds): `values[0, count)` are the non-null values. */
export function int64Column(
  field: StructField,
  nulls: Nulls,
  values: BigInt64Array,
  count: number,
): PrimitiveColumn {
  if (count === 0) return column(field, nulls, Physical.INT64, 0, new Uint8Array(0), 8, undefined);
  const { min, max } = int64Extremes(values, count);
  const col = column(field, nulls, Physical.INT64, count, bytesOf(values, count * 8), 8, { min, max });
  if (max - min < BigInt(INT_DICT_RANGE)) {
    col.dictionary = int64Dictionary(values, count, min, Number(max - min));
  }
  return col;
}

/** INT32 columns (integer, short, byte, date): `values[0, count)` are the non-null values, in range. */
export function int32Column(
  field: StructField,
  nulls: Nulls,
  values: Int32Array,
  count: number,
): PrimitiveColumn {
  if (count === 0) return column(field, nulls, Physical.INT32, 0, new Uint8Array(0), 4, undefined);
  const { min, max } = int32Extremes(values, count);
  const col = column(field, nulls, Physical.INT32, count, bytesOf(values, count * 4), 4, { min, max });
  if (max - min < INT_DICT_RANGE) col.dictionary = int32Dictionary(values, count, min, max - min);
  return col;
}

/** The row of the j-th non-null value of a column with `nulls`. */
export function rowOfValue(nulls: Nulls, j: number): number {
  const d = nulls.defined;
  if (!d || nulls.nullCount === 0) return j;
  for (let row = 0; row < nulls.rows; row++) if (d[row] && j-- === 0) return row;
  return -1;
}

/**
 * Decimals of precision ≤ 18 from their unscaled values `values[0, count)`, checked to fit the precision:
 * INT64, or INT32 up to precision 9, as Spark writes them.
 */
export function decimalColumn(
  field: StructField,
  nulls: Nulls,
  values: BigInt64Array,
  count: number,
): PrimitiveColumn {
  const dec = decimalParts(field.type as DataType)!;
  const int32 = dec.precision <= 9;
  if (count === 0) {
    const [physical, width] = int32 ? [Physical.INT32, 4] : [Physical.INT64, 8];
    return column(field, nulls, physical, 0, new Uint8Array(0), width, undefined);
  }
  const limit = 10n ** BigInt(dec.precision);
  const { min, max } = int64Extremes(values, count);
  if (min <= -limit || max >= limit) {
    for (let j = 0; j < count; j++) {
      const u = values[j];
      if (u <= -limit || u >= limit) throw decimalRangeError(field, rowOfValue(nulls, j), u, dec.scale);
    }
  }
  const extremes = { min, max };
  if (!int32) return column(field, nulls, Physical.INT64, count, bytesOf(values, count * 8), 8, extremes);
  // |u| < 10^9 < 2^31: the low word is the value.
  const words = new Int32Array(values.buffer, values.byteOffset, count * 2);
  const ints = new Int32Array(count);
  for (let j = 0; j < count; j++) ints[j] = words[2 * j];
  return column(field, nulls, Physical.INT32, count, bytesOf(ints, count * 4), 4, extremes);
}

/** Bytes of the two's-complement big-endian form of a decimal of `precision` digits (Spark's FLBA width). */
export function decimalByteLength(precision: number): number {
  let bytes = 1;
  while (2n ** BigInt(8 * bytes - 1) < 10n ** BigInt(precision)) bytes++;
  return bytes;
}

/**
 * Decimals of precision > 18 (FIXED_LEN_BYTE_ARRAY, big-endian two's complement) from their unscaled values,
 * each already checked to fit the precision.
 */
export function wideDecimalColumn(
  field: StructField,
  nulls: Nulls,
  values: readonly bigint[],
): PrimitiveColumn {
  const dec = decimalParts(field.type as DataType)!;
  const width = decimalByteLength(dec.precision);
  const out = new Uint8Array(values.length * width);
  let min = 0n;
  let max = 0n;
  for (let j = 0; j < values.length; j++) {
    const u = values[j];
    if (j === 0 || u < min) min = u;
    if (j === 0 || u > max) max = u;
    let x = BigInt.asUintN(8 * width, u);
    for (let b = width - 1; b >= 0; b--) {
      out[j * width + b] = Number(x & 0xffn);
      x >>= 8n;
    }
  }
  const extremes = values.length ? { min, max } : undefined;
  const col = column(field, nulls, Physical.FIXED_LEN_BYTE_ARRAY, values.length, out, width, extremes);
  col.typeLength = width;
  return col;
}

/** float and double columns: `values[0, count)` are the non-null values (float ones already rounded). */
export function floatColumn(
  field: StructField,
  nulls: Nulls,
  values: Float32Array | Float64Array,
  count: number,
): PrimitiveColumn {
  let min = Infinity;
  let max = -Infinity;
  let orderable = true;
  for (let j = 0; j < count; j++) {
    const x = values[j];
    if (!Number.isFinite(x)) orderable = false;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  const float = values instanceof Float32Array;
  const width = float ? 4 : 8;
  return column(
    field,
    nulls,
    float ? Physical.FLOAT : Physical.DOUBLE,
    count,
    bytesOf(values, count * width),
    width,
    count && orderable ? { min, max } : undefined,
  );
}

/** boolean columns: `values[0, count)` are the non-null values, one byte (0 or 1) each. */
export function booleanColumn(
  field: StructField,
  nulls: Nulls,
  values: Uint8Array,
  count: number,
): PrimitiveColumn {
  return column(field, nulls, Physical.BOOLEAN, count, values.subarray(0, count), 1, undefined);
}

/** binary columns: PLAIN BYTE_ARRAY bytes (4-byte length + bytes per value) and each value's end offset. */
export function binaryColumn(
  field: StructField,
  nulls: Nulls,
  plain: Uint8Array,
  ends: Int32Array,
): PrimitiveColumn {
  const col = column(field, nulls, Physical.BYTE_ARRAY, ends.length, plain, 0, undefined);
  col.ends = ends;
  return col;
}

/** Appends binary values as PLAIN BYTE_ARRAY (4-byte length + bytes), with each value's end offset. */
export class BinaryValues {
  data: Uint8Array;
  used = 0;
  k = 0;
  readonly ends: Int32Array;

  constructor(readonly field: StructField, capacity: number) {
    this.ends = new Int32Array(capacity);
    this.data = new Uint8Array(Math.max(64, capacity * 8));
  }

  add(v: Uint8Array): void {
    if (this.used + 4 + v.length > this.data.length) this.data = grow(this.data, this.used + 4 + v.length);
    const n = v.length;
    const d = this.data;
    d[this.used] = n & 0xff;
    d[this.used + 1] = (n >>> 8) & 0xff;
    d[this.used + 2] = (n >>> 16) & 0xff;
    d[this.used + 3] = n >>> 24;
    d.set(v, this.used + 4);
    this.used += 4 + n;
    if (this.used > 0x7fffffff) {
      throw new RangeError(`Cannot write column "${this.field.name}": more than 2 GiB of binary data`);
    }
    this.ends[this.k++] = this.used;
  }

  finish(nulls: Nulls): PrimitiveColumn {
    return binaryColumn(this.field, nulls, this.data.subarray(0, this.used), this.ends.subarray(0, this.k));
  }
}

const encoder = new TextEncoder();
/** UTF-16 order equals UTF-8 (code point) order unless a string holds U+D800…U+FFFF. */
const HIGH_UNITS = /[\ud800-\uffff]/;

/**
 * A 32-bit hash of a string's UTF-16 units, two per step. The dictionaries hash strings themselves: a Map
 * hashes each fresh (not yet hashed) string in the runtime, which measured ~100 ns per value against ~30 here.
 */
function stringHash(v: string): number {
  const len = v.length;
  let h = 0x811c9dc5 ^ len;
  let j = 0;
  for (; j + 1 < len; j += 2) h = Math.imul(h ^ (v.charCodeAt(j) | (v.charCodeAt(j + 1) << 16)), 0x01000193);
  if (j < len) h = Math.imul(h ^ v.charCodeAt(j), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  return h ^ (h >>> 13);
}

/**
 * The non-null values of a string column, added in row order: dictionary-encoded while the distinct values
 * stay few enough, else PLAIN (the values seen so far are then taken back from the dictionary).
 */
export class StringValues {
  indices: Int32Array | undefined;
  distinct: string[] = [];
  /** Open-addressing table (linear probing) of dictionary index + 1, 0 for a free slot; at most half full. */
  slots = new Int32Array(1024);
  /** Hash of each distinct value. */
  hashes = new Int32Array(512);
  dictChars = 0;
  /** Set once the dictionary is abandoned. */
  values: string[] | undefined;
  /** Values so far. */
  k = 0;

  /** `capacity`: the most values that will be added. */
  constructor(readonly field: StructField, capacity: number) {
    this.indices = new Int32Array(capacity);
  }

  /**
   * Adds `v`; returns its dictionary index, or -1 once the column is PLAIN. Callers that know a value's index
   * add it again with {@linkcode StringValues.addCode}.
   */
  add(v: string): number {
    const indices = this.indices;
    if (indices) {
      const h = stringHash(v);
      const { slots, hashes, distinct } = this;
      const mask = slots.length - 1;
      let slot = h & mask;
      for (let c = slots[slot]; c !== 0; c = slots[slot]) {
        if (hashes[c - 1] === h && distinct[c - 1] === v) {
          indices[this.k++] = c - 1;
          return c - 1;
        }
        slot = (slot + 1) & mask;
      }
      this.dictChars += v.length;
      if (distinct.length < DICT_MAX_VALUES && this.dictChars * 3 <= DICT_MAX_BYTES) {
        const next = distinct.length;
        distinct.push(v);
        slots[slot] = next + 1;
        if (next === hashes.length) this.hashes = grow32(hashes, 2 * next);
        this.hashes[next] = h;
        if (2 * distinct.length > slots.length) this.rehash();
        indices[this.k++] = next;
        return next;
      }
      const values: string[] = new Array(this.k);
      for (let j = 0; j < this.k; j++) values[j] = distinct[indices[j]];
      this.values = values;
      this.indices = undefined;
      this.slots = this.hashes = new Int32Array(0);
    }
    this.values!.push(v);
    this.k++;
    return -1;
  }

  /** Doubles the table. */
  private rehash(): void {
    const slots = new Int32Array(2 * this.slots.length);
    const mask = slots.length - 1;
    for (let c = 0; c < this.distinct.length; c++) {
      let slot = this.hashes[c] & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = c + 1;
    }
    this.slots = slots;
  }

  /** Adds the value whose dictionary index {@linkcode StringValues.add} returned (while still a dictionary). */
  addCode(code: number): void {
    this.indices![this.k++] = code;
  }

  finish(nulls: Nulls): PrimitiveColumn {
    const field = this.field;
    if (this.indices) {
      const { distinct } = this;
      const col = column(
        field,
        nulls,
        Physical.BYTE_ARRAY,
        this.k,
        new Uint8Array(0),
        0,
        stringExtremes(distinct),
      );
      col.dictionary = {
        plain: plainStrings(distinct, distinct.length).plain,
        size: distinct.length,
        indices: this.indices.subarray(0, this.k),
      };
      return col;
    }
    const values = this.values!;
    const { plain, ends } = plainStrings(values, values.length);
    const col = column(field, nulls, Physical.BYTE_ARRAY, values.length, plain, 0, stringExtremes(values));
    col.ends = ends;
    return col;
  }
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

function grow32(data: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const next = new Int32Array(size);
  next.set(data);
  return next;
}

function grow(data: Uint8Array, need: number): Uint8Array {
  const next = new Uint8Array(Math.max(need, data.length * 2));
  next.set(data);
  return next;
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

// ---------------------------------------------------------------------------------------------------------
// Row input: one pass over the row objects fills each column's buffers, then the finishers above.

/**
 * Collects one column while the rows are read: `add(value, row)` is called for every row in order, then
 * `finish()` once. Subclasses check the values of one type and pack them.
 */
abstract class ColumnSink {
  defined: Uint8Array | undefined;
  nullCount = 0;
  /** Non-null values so far. */
  k = 0;

  constructor(readonly field: StructField, readonly n: number) {}

  abstract add(v: Value | undefined, row: number): void;
  abstract finish(): PrimitiveColumn;

  protected get nulls(): Nulls {
    return { rows: this.n, nullCount: this.nullCount, defined: this.defined };
  }

  /** Records a null at `row` (rows before it all had values unless recorded). */
  protected null(row: number): void {
    if (!this.field.nullable) throw nullError(this.field, row);
    if (!this.defined) this.defined = new Uint8Array(this.n).fill(1, 0, row);
    this.nullCount++;
  }

  /** Records a value at `row`. */
  protected value(row: number): void {
    if (this.defined) this.defined[row] = 1;
  }

  protected fail(row: number, expected: string, v: unknown): never {
    throw valueError(this.field.name, row, expected, v);
  }
}

type Extract = (rows: readonly Row[], sinks: readonly ColumnSink[]) => void;
const extractors = new Map<string, Extract>();

/**
 * A function that reads every row once and hands each column's value to its sink. Generated per column list
 * with the names as literals, so each property read and each sink call is a monomorphic site V8 inlines (a
 * generic `row[name]` loop per column measured about twice as slow, and many times slower before V8 settles).
 * Names are embedded as JSON string literals.
 */
function extractor(names: readonly string[]): Extract {
  const id = JSON.stringify(names);
  let extract = extractors.get(id);
  if (!extract) {
    const sinks = names.map((_, c) => `const s${c} = sinks[${c}];`).join("\n");
    const calls = names.map((n, c) => `s${c}.add(r[${JSON.stringify(n)}], i);`).join("\n");
    extract = new Function(
      "rows",
      "sinks",
      `${sinks}\nfor (let i = 0; i < rows.length; i++) {\nconst r = rows[i];\n${calls}\n}`,
    ) as Extract;
    extractors.set(id, extract);
  }
  return extract;
}

/** Columns of `rows` for `fields` (all {@linkcode isPrimitiveField}); extra row keys are ignored. */
export function rowsToPrimitiveColumns(
  fields: readonly StructField[],
  rows: readonly Row[],
): PrimitiveColumn[] {
  const sinks = fields.map((f) => sinkFor(f, rows.length));
  extractor(fields.map((f) => f.name))(rows, sinks);
  return sinks.map((s) => s.finish());
}

function sinkFor(field: StructField, n: number): ColumnSink {
  const type = field.type as string;
  const dec = decimalParts(type as DataType);
  if (dec) return dec.precision > 18 ? new WideDecimalSink(field, n, dec) : new DecimalSink(field, n, dec);
  switch (type) {
    case "long":
      return new LongSink(field, n);
    case "timestamp":
    case "timestamp_ntz":
      return new TimestampSink(field, n);
    case "integer":
    case "short":
    case "byte":
      return new IntSink(field, n, ...INT_RANGE[type]);
    case "date":
      return new DateSink(field, n);
    case "float":
    case "double":
      return new FloatSink(field, n);
    case "boolean":
      return new BooleanSink(field, n);
    case "string":
      return new StringSink(field, n);
    case "binary":
      return new BinarySink(field, n);
  }
  throw new TypeError(`Cannot write column "${field.name}": type "${type}" is not a primitive type`);
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** INT64 columns: `long` and timestamps (microseconds). */
abstract class Int64Sink extends ColumnSink {
  readonly out: BigInt64Array;

  constructor(field: StructField, n: number) {
    super(field, n);
    this.out = new BigInt64Array(n);
  }

  protected push(x: bigint, row: number): void {
    this.value(row);
    this.out[this.k++] = x;
  }

  finish(): PrimitiveColumn {
    return int64Column(this.field, this.nulls, this.out, this.k);
  }
}

class LongSink extends Int64Sink {
  add(v: Value | undefined, row: number): void {
    if (v == null) return this.null(row);
    if (typeof v === "bigint") {
      if (v < INT64_MIN || v > INT64_MAX) this.fail(row, "a 64-bit integer", v);
      this.push(v, row);
    } else if (typeof v === "number" && Number.isSafeInteger(v)) this.push(BigInt(v), row);
    else this.fail(row, "a bigint for long", v);
  }
}

class TimestampSink extends Int64Sink {
  add(v: Value | undefined, row: number): void {
    if (v == null) return this.null(row);
    if (!(v instanceof Timestamp)) this.fail(row, `a Timestamp for ${this.field.type}`, v);
    // Delta timestamps have microsecond precision; finer digits are floored like Spark does.
    const x = v.epochMicros;
    if (x < INT64_MIN || x > INT64_MAX) {
      this.fail(row, `a timestamp within the range of ${this.field.type}`, v);
    }
    this.push(x, row);
  }
}

/** INT32 columns: integers of a range, and dates (days). */
abstract class Int32Sink extends ColumnSink {
  readonly out: Int32Array;

  constructor(field: StructField, n: number) {
    super(field, n);
    this.out = new Int32Array(n);
  }

  protected push(x: number, row: number): void {
    this.value(row);
    this.out[this.k++] = x;
  }

  finish(): PrimitiveColumn {
    return int32Column(this.field, this.nulls, this.out, this.k);
  }
}

class IntSink extends Int32Sink {
  constructor(field: StructField, n: number, readonly lo: number, readonly hi: number) {
    super(field, n);
  }

  add(v: Value | undefined, row: number): void {
    if (v == null) return this.null(row);
    if (typeof v !== "number" || !Number.isInteger(v) || v < this.lo || v > this.hi) {
      this.fail(row, `an integer in ${this.lo}…${this.hi} for ${this.field.type}`, v);
    }
    this.push(v, row);
  }
}

class DateSink extends Int32Sink {
  add(v: Value | undefined, row: number): void {
    if (v == null) return this.null(row);
    if (!(v instanceof LocalDate)) this.fail(row, "a LocalDate", v);
    const x = v.days;
    if (x !== (x | 0)) this.fail(row, "a date within the range of date", v);
    this.push(x, row);
  }
}

/** The unscaled value of a decimal at `scale`; a TypeError when digits would be lost or it does not fit. */
function unscaledOf(
  v: Value,
  dec: { precision: number; scale: number },
  limit: bigint,
  field: StructField,
  row: number,
): bigint {
  if (!(v instanceof Decimal)) throw valueError(field.name, row, `a Decimal for ${field.type}`, v);
  let u = v.unscaled;
  if (v.scale !== dec.scale) {
    try {
      u = v.rescale(dec.scale, "exact").unscaled;
    } catch {
      throw new TypeError(
        `Cannot write column "${field.name}" row ${row}: ${v} has more than ${dec.scale} decimals`,
      );
    }
  }
  if (u >= limit || u <= -limit) throw decimalRangeError(field, row, u, dec.scale);
  return u;
}

/** Decimals of precision ≤ 18, as unscaled int64 values. */
class DecimalSink extends ColumnSink {
  readonly out: BigInt64Array;
  readonly limit: bigint;

  constructor(field: StructField, n: number, readonly dec: { precision: number; scale: number }) {
    super(field, n);
    this.out = new BigInt64Array(n);
    this.limit = 10n ** BigInt(dec.precision);
  }

  add(v: Value | undefined, row: number): void {
    if (v == null) return this.null(row);
    const u = unscaledOf(v, this.dec, this.limit, this.field, row);
    this.value(row);
    this.out[this.k++] = u;
  }

  finish(): PrimitiveColumn {
    return decimalColumn(this.field, this.nulls, this.out, this.k);
  }
}

/** Decimals of precision > 18, as unscaled bigints. */
class WideDecimalSink extends ColumnSink {
  readonly out: bigint[] = [];
  readonly limit: bigint;

  constructor(field: StructField, n: number, readonly dec: { precision: number; scale: number }) {
    super(field, n);
    this.limit = 10n ** BigInt(dec.precision);
  }

  add(v: Value | undefined, row: number): void {
    if (v == null) return this.null(row);
    const u = unscaledOf(v, this.dec, this.limit, this.field, row);
    this.value(row);
    this.out.push(u);
    this.k++;
  }

  finish(): PrimitiveColumn {
    return wideDecimalColumn(this.field, this.nulls, this.out);
  }
}

class FloatSink extends ColumnSink {
  readonly out: Float32Array | Float64Array;

  constructor(field: StructField, n: number) {
    super(field, n);
    this.out = field.type === "float" ? new Float32Array(n) : new Float64Array(n);
  }

  add(v: Value | undefined, row: number): void {
    if (v == null) return this.null(row);
    if (typeof v !== "number") this.fail(row, `a number for ${this.field.type}`, v);
    this.value(row);
    // Stored (and later compared) as stored: a float is rounded to float32.
    this.out[this.k++] = v;
  }

  finish(): PrimitiveColumn {
    return floatColumn(this.field, this.nulls, this.out, this.k);
  }
}

class BooleanSink extends ColumnSink {
  readonly out: Uint8Array;

  constructor(field: StructField, n: number) {
    super(field, n);
    this.out = new Uint8Array(n);
  }

  add(v: Value | undefined, row: number): void {
    if (v == null) return this.null(row);
    if (typeof v !== "boolean") this.fail(row, "a boolean", v);
    this.value(row);
    this.out[this.k++] = v ? 1 : 0;
  }

  finish(): PrimitiveColumn {
    return booleanColumn(this.field, this.nulls, this.out, this.k);
  }
}

class StringSink extends ColumnSink {
  readonly strings: StringValues;

  constructor(field: StructField, n: number) {
    super(field, n);
    this.strings = new StringValues(field, n);
  }

  add(v: Value | undefined, row: number): void {
    if (v == null) return this.null(row);
    if (typeof v !== "string") this.fail(row, "a string", v);
    this.value(row);
    this.strings.add(v);
  }

  finish(): PrimitiveColumn {
    return this.strings.finish(this.nulls);
  }
}

class BinarySink extends ColumnSink {
  readonly bytes: BinaryValues;

  constructor(field: StructField, n: number) {
    super(field, n);
    this.bytes = new BinaryValues(field, n);
  }

  add(v: Value | undefined, row: number): void {
    if (v == null) return this.null(row);
    if (!(v instanceof Uint8Array)) this.fail(row, "a Uint8Array for binary", v);
    this.value(row);
    this.bytes.add(v);
  }

  finish(): PrimitiveColumn {
    return this.bytes.finish(this.nulls);
  }
}
