/**
 * Rows of the value model → Arrow columns typed for Delta's Parquet mapping (delta-lake.md §5), built
 * column-wise into typed arrays (no per-row Arrow builders): int64 from bigint, decimals from their unscaled
 * bigint as 128-bit words, timestamps as INT64 microseconds (UTC-adjusted for `timestamp`, local for
 * `timestamp_ntz`), dates as days, 3-level lists (`element`) and maps (`key_value`).
 *
 * @module
 */
import * as arrow from "apache-arrow";
import { Decimal, LocalDate, type Row, Timestamp, type Value } from "../../value/mod.ts";
import { type DataType, decimalParts, type StructField, type StructType } from "../schema/types.ts";

/** The Arrow type a Delta type is written as. */
export function arrowType(type: DataType): arrow.DataType {
  if (typeof type === "string") {
    const dec = decimalParts(type);
    if (dec) return new arrow.Decimal(dec.scale, dec.precision, 128);
    switch (type) {
      case "string":
        return new arrow.Utf8();
      case "long":
        return new arrow.Int64();
      case "integer":
        return new arrow.Int32();
      case "short":
        return new arrow.Int16();
      case "byte":
        return new arrow.Int8();
      case "float":
        return new arrow.Float32();
      case "double":
        return new arrow.Float64();
      case "boolean":
        return new arrow.Bool();
      case "binary":
        return new arrow.Binary();
      case "date":
        return new arrow.DateDay();
      case "timestamp":
        return new arrow.TimestampMicrosecond("UTC");
      case "timestamp_ntz":
        return new arrow.TimestampMicrosecond(null);
    }
    throw new TypeError(`Cannot write Delta type "${type}" to Parquet: not supported by the writer`);
  }
  switch (type.type) {
    case "struct":
      return new arrow.Struct(type.fields.map(arrowField));
    case "array":
      return new arrow.List(new arrow.Field("element", arrowType(type.elementType), type.containsNull));
    case "map":
      return new arrow.Map_(
        new arrow.Field(
          "key_value",
          new arrow.Struct<{ key: arrow.DataType; value: arrow.DataType }>([
            new arrow.Field("key", arrowType(type.keyType), false),
            new arrow.Field("value", arrowType(type.valueType), type.valueContainsNull),
          ]),
          false,
        ),
        false,
      );
  }
}

/** The Arrow field of a Delta struct field. */
export function arrowField(field: StructField): arrow.Field {
  return new arrow.Field(field.name, arrowType(field.type), field.nullable);
}

/** The Arrow schema of the given Delta columns. */
export function arrowSchema(fields: StructField[]): arrow.Schema {
  return new arrow.Schema(fields.map(arrowField));
}

/**
 * An Arrow record batch of `rows` with the columns `fields` (extra row keys are ignored, missing ones are null).
 * Throws a TypeError naming the column and row for a value of the wrong kind, a null in a non-nullable column,
 * or a decimal that does not fit its precision and scale.
 */
export function rowsToRecordBatch(fields: StructField[], rows: readonly Row[]): arrow.RecordBatch {
  return rowsToColumns(fields, rows).batch;
}

/** One top-level column: the values taken from the rows and the Arrow data built from them. */
export interface BuiltColumn {
  values: (Value | undefined)[];
  data: arrow.Data;
}

/** Like {@linkcode rowsToRecordBatch}, also returning each column's values and data (for stats). */
export function rowsToColumns(
  fields: StructField[],
  rows: readonly Row[],
): { batch: arrow.RecordBatch; columns: BuiltColumn[] } {
  const n = rows.length;
  const names = fields.map((f) => f.name);
  const extracted = fields.map(() => new Array<Value | undefined>(n));
  // One pass over the rows for all columns: each row object is visited once (row objects are spread over
  // the heap; eight passes cost eight rounds of cache misses).
  for (let i = 0; i < n; i++) {
    const row = rows[i];
    for (let c = 0; c < names.length; c++) extracted[c][i] = row[names[c]];
  }
  const columns = fields.map((f, c) => ({
    values: extracted[c],
    data: columnData(f.type, extracted[c], f.nullable, f.name),
  }));
  const schema = arrowSchema(fields);
  const struct = arrow.makeData({
    type: new arrow.Struct(schema.fields),
    length: n,
    nullCount: 0,
    children: columns.map((c) => c.data),
  });
  return { batch: new arrow.RecordBatch(schema, struct), columns };
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (typeof v !== "object") return `${typeof v} ${String(v).slice(0, 40)}`;
  return v.constructor?.name ?? "object";
}

function fail(path: string, row: number, expected: string, v: unknown): never {
  throw new TypeError(`Cannot write column "${path}" row ${row}: expected ${expected}, got ${describe(v)}`);
}

interface Validity {
  bitmap: Uint8Array | undefined;
  nullCount: number;
}

/** Validity bitmap of `values` (undefined → null); throws when a non-nullable column has a null. */
function validity(values: readonly (Value | undefined)[], nullable: boolean, path: string): Validity {
  const n = values.length;
  let nullCount = 0;
  for (let i = 0; i < n; i++) if (values[i] == null) nullCount++;
  if (nullCount === 0) return { bitmap: undefined, nullCount };
  if (!nullable) {
    const i = values.findIndex((v) => v == null);
    throw new TypeError(`Cannot write column "${path}" row ${i}: null in a non-nullable column`);
  }
  const bitmap = new Uint8Array((n + 7) >> 3);
  for (let i = 0; i < n; i++) if (values[i] != null) bitmap[i >> 3] |= 1 << (i & 7);
  return { bitmap, nullCount };
}

function columnData(
  type: DataType,
  values: readonly (Value | undefined)[],
  nullable: boolean,
  path: string,
): arrow.Data {
  const n = values.length;
  const { bitmap, nullCount } = validity(values, nullable, path);
  const atype = arrowType(type);
  const base = { length: n, nullCount, nullBitmap: bitmap };
  if (typeof type === "string") {
    const dec = decimalParts(type);
    if (dec) {
      const data = new Uint32Array(n * 4);
      const words = new BigInt64Array(data.buffer);
      const limit = 10n ** BigInt(dec.precision);
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (v == null) continue;
        if (!(v instanceof Decimal)) fail(path, i, `a Decimal for ${type}`, v);
        let u: bigint;
        try {
          u = v.rescale(dec.scale, "exact").unscaled;
        } catch {
          throw new TypeError(
            `Cannot write column "${path}" row ${i}: ${v} has more than ${dec.scale} decimals`,
          );
        }
        if (u >= limit || u <= -limit) {
          throw new TypeError(`Cannot write column "${path}" row ${i}: ${v} does not fit ${type}`);
        }
        // Two's-complement 128-bit little-endian, written as two int64 halves.
        words[i * 2] = BigInt.asIntN(64, u);
        words[i * 2 + 1] = u >> 64n;
      }
      return arrow.makeData({ ...base, type: atype as arrow.Decimal, data });
    }
    switch (type) {
      case "long": {
        const data = new BigInt64Array(n);
        for (let i = 0; i < n; i++) {
          const v = values[i];
          if (v == null) continue;
          if (typeof v === "bigint") {
            if (v !== BigInt.asIntN(64, v)) fail(path, i, "a 64-bit integer", v);
            data[i] = v;
          } else if (typeof v === "number" && Number.isSafeInteger(v)) data[i] = BigInt(v);
          else fail(path, i, "a bigint for long", v);
        }
        return arrow.makeData({ ...base, type: atype as arrow.Int64, data });
      }
      case "integer":
      case "short":
      case "byte": {
        const [Arr, lo, hi] = type === "integer"
          ? [Int32Array, -(2 ** 31), 2 ** 31 - 1]
          : type === "short"
          ? [Int16Array, -32768, 32767]
          : [Int8Array, -128, 127];
        const data = new Arr(n);
        for (let i = 0; i < n; i++) {
          const v = values[i];
          if (v == null) continue;
          if (typeof v !== "number" || !Number.isInteger(v) || v < lo || v > hi) {
            fail(path, i, `an integer in ${lo}…${hi} for ${type}`, v);
          }
          data[i] = v;
        }
        return arrow.makeData({ ...base, type: atype as arrow.Int32, data: data as Int32Array });
      }
      case "float":
      case "double": {
        const data = type === "float" ? new Float32Array(n) : new Float64Array(n);
        for (let i = 0; i < n; i++) {
          const v = values[i];
          if (v == null) continue;
          if (typeof v !== "number") fail(path, i, `a number for ${type}`, v);
          data[i] = v;
        }
        return arrow.makeData({ ...base, type: atype as arrow.Float64, data: data as Float64Array });
      }
      case "boolean": {
        const data = new Uint8Array((n + 7) >> 3);
        for (let i = 0; i < n; i++) {
          const v = values[i];
          if (v == null) continue;
          if (typeof v !== "boolean") fail(path, i, "a boolean", v);
          if (v) data[i >> 3] |= 1 << (i & 7);
        }
        return arrow.makeData({ ...base, type: atype as arrow.Bool, data });
      }
      case "string":
        return variableWidth(values, path, base, new arrow.Utf8(), "string");
      case "binary":
        return variableWidth(values, path, base, new arrow.Binary(), "binary");
      case "date": {
        const data = new Int32Array(n);
        for (let i = 0; i < n; i++) {
          const v = values[i];
          if (v == null) continue;
          if (!(v instanceof LocalDate)) fail(path, i, "a LocalDate", v);
          data[i] = v.days;
        }
        return arrow.makeData({ ...base, type: atype as arrow.DateDay, data });
      }
      case "timestamp":
      case "timestamp_ntz": {
        const data = new BigInt64Array(n);
        for (let i = 0; i < n; i++) {
          const v = values[i];
          if (v == null) continue;
          if (!(v instanceof Timestamp)) fail(path, i, `a Timestamp for ${type}`, v);
          // Delta timestamps have microsecond precision; finer digits are floored like Spark does.
          data[i] = v.epochMicros;
        }
        return arrow.makeData({ ...base, type: atype as arrow.TimestampMicrosecond, data });
      }
    }
    throw new TypeError(`Cannot write column "${path}": type "${type}" is not supported by the writer`);
  }
  switch (type.type) {
    case "struct": {
      const children = type.fields.map((f) => {
        const sub = new Array<Value | undefined>(n);
        for (let i = 0; i < n; i++) {
          const v = values[i];
          if (v == null) continue;
          if (!isRow(v)) fail(path, i, "an object for a struct", v);
          sub[i] = v[f.name];
        }
        // Children of a null struct are null whatever their own nullability.
        return columnData(f.type, sub, f.nullable || nullCount > 0, `${path}.${f.name}`);
      });
      return arrow.makeData({ ...base, type: atype as arrow.Struct, children });
    }
    case "array": {
      const offsets = new Int32Array(n + 1);
      const flat: (Value | undefined)[] = [];
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (v != null) {
          if (!Array.isArray(v)) fail(path, i, "an array", v);
          for (const x of v) flat.push(x);
        }
        offsets[i + 1] = flat.length;
      }
      const child = columnData(type.elementType, flat, type.containsNull, `${path}.element`);
      return arrow.makeData({ ...base, type: atype as arrow.List, valueOffsets: offsets, child });
    }
    case "map": {
      const offsets = new Int32Array(n + 1);
      const keys: (Value | undefined)[] = [];
      const vals: (Value | undefined)[] = [];
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (v != null) {
          if (v instanceof Map) {
            for (const [k, x] of v) {
              keys.push(k);
              vals.push(x);
            }
          } else if (isRow(v)) {
            // A JSON object decoded from the lake encoding: string keys.
            for (const k in v) {
              keys.push(k);
              vals.push(v[k]);
            }
          } else fail(path, i, "a Map", v);
        }
        offsets[i + 1] = keys.length;
      }
      const entriesType = (atype as arrow.Map_).children[0].type as arrow.Struct;
      const entries = arrow.makeData({
        type: entriesType,
        length: keys.length,
        nullCount: 0,
        children: [
          columnData(type.keyType, keys, false, `${path}.key`),
          columnData(type.valueType, vals, type.valueContainsNull, `${path}.value`),
        ],
      });
      return arrow.makeData({ ...base, type: atype as arrow.Map_, valueOffsets: offsets, child: entries });
    }
  }
}

function isRow(v: Value): v is Row {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Map) &&
    !(v instanceof Uint8Array) && Object.getPrototypeOf(v) === Object.prototype;
}

const encoder = new TextEncoder();

function variableWidth(
  values: readonly (Value | undefined)[],
  path: string,
  base: { length: number; nullCount: number; nullBitmap: Uint8Array | undefined },
  type: arrow.Utf8 | arrow.Binary,
  kind: "string" | "binary",
): arrow.Data {
  const n = values.length;
  const offsets = new Int32Array(n + 1);
  let data: Uint8Array = new Uint8Array(Math.max(64, n * 16));
  let used = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v != null) {
      if (kind === "string") {
        if (typeof v !== "string") fail(path, i, "a string", v);
        // UTF-8 takes at most 3 bytes per UTF-16 code unit.
        if (used + v.length * 3 > data.length) data = grow(data, used + v.length * 3);
        // ASCII is copied unit by unit (short values: cheaper than encodeInto and its subarray view).
        let j = 0;
        const len = v.length;
        for (; j < len; j++) {
          const c = v.charCodeAt(j);
          if (c >= 0x80) break;
          data[used + j] = c;
        }
        used += j < len ? encoder.encodeInto(v, data.subarray(used)).written : len;
      } else {
        if (!(v instanceof Uint8Array)) fail(path, i, "a Uint8Array for binary", v);
        if (used + v.length > data.length) data = grow(data, used + v.length);
        data.set(v, used);
        used += v.length;
      }
    }
    if (used > 0x7fffffff) {
      throw new RangeError(`Cannot write column "${path}": more than 2 GiB of ${kind} data`);
    }
    offsets[i + 1] = used;
  }
  const props = { ...base, valueOffsets: offsets, data: data.subarray(0, used) };
  return type instanceof arrow.Utf8 ? arrow.makeData({ ...props, type }) : arrow.makeData({ ...props, type });
}

function grow(data: Uint8Array, need: number): Uint8Array {
  const next = new Uint8Array(Math.max(need, data.length * 2));
  next.set(data);
  return next;
}

/** The non-partition columns of a table schema (what data files hold). */
export function dataFields(schema: StructType, partitionColumns: readonly string[]): StructField[] {
  return schema.fields.filter((f) => !partitionColumns.includes(f.name));
}
