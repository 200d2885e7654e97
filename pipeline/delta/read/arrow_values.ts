/**
 * Arrow columns → values of the shared value model (pipeline/value), converted by the column's Delta type
 * (delta-lake.md §5): long → bigint, decimal → exact Decimal at the schema's scale, timestamp → Timestamp in µs
 * (INT96 and any unit accepted), timestamp_ntz → Timestamp not zoned, date → LocalDate, binary → Uint8Array,
 * struct → object, array → array, map → Map. Whole columns are decoded from the buffers in one pass each,
 * never through Arrow's row proxies.
 *
 * @module
 */
import { type Data, type Field, Type } from "apache-arrow";
import { Decimal, LocalDate, type Row, Timestamp, type Value } from "../../value/mod.ts";
import { type ColumnMappingMode, fieldId, physicalName } from "../schema/column_mapping.ts";
import { type DataType, decimalParts, type StructField } from "../schema/types.ts";
import { binaryValues, boolValues, offsetsOf, utf8Values, validity, wordsToBigInt } from "./arrow_data.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const MS_PER_DAY = 86_400_000;

/**
 * Finds the Arrow child that holds a Delta field: by field id under column mapping `id` (falling back to the
 * physical name), by physical name under `name`, by name otherwise (exact, then ignoring case as Spark does).
 * Returns the index in `fields`, or -1 when the file has no such column (it reads as null).
 */
export function findArrowField(
  fields: readonly Field[],
  field: StructField,
  mode: ColumnMappingMode,
): number {
  if (mode === "id") {
    const id = fieldId(field);
    if (id !== null) {
      const i = fields.findIndex((f) => f.metadata.get("PARQUET:field_id") === String(id));
      if (i >= 0) return i;
    }
  }
  const name = physicalName(
    field,
    mode === "id" && !field.metadata["delta.columnMapping.physicalName"] ? "none" : mode,
  );
  const exact = fields.findIndex((f) => f.name === name);
  if (exact >= 0) return exact;
  const lower = name.toLowerCase();
  return fields.findIndex((f) => f.name.toLowerCase() === lower);
}

/**
 * Every row of one Arrow column as values of Delta type `type`. `path` names the column in errors (for a type
 * the file cannot hold, such as a string column read as long).
 */
export function arrowToValues(data: Data, type: DataType, mode: ColumnMappingMode, path: string): Value[] {
  const n = data.length;
  if (data.typeId === Type.Null || type === "void") return new Array<Value>(n).fill(null);
  if (data.typeId === Type.Dictionary) {
    const dict = data.dictionary;
    if (!dict) throw new TypeError(`Cannot read column ${path}: dictionary without values`);
    const values = dict.data.flatMap((d) => arrowToValues(d, type, mode, path));
    const valid = validity(data);
    const idx = data.values as ArrayLike<number | bigint>;
    const out = new Array<Value>(n);
    for (let i = 0; i < n; i++) out[i] = valid(i) ? values[Number(idx[i])] : null;
    return out;
  }
  if (typeof type === "string") return primitiveValues(data, type, path);
  switch (type.type) {
    case "struct":
      return structValues(data, type.fields, mode, path);
    case "array": {
      if (data.typeId !== Type.List && data.typeId !== Type.LargeList && data.typeId !== Type.FixedSizeList) {
        throw mismatch(path, type, data);
      }
      const items = arrowToValues(data.children[0], type.elementType, mode, `${path}[]`);
      const valid = validity(data);
      const out = new Array<Value>(n);
      if (data.typeId === Type.FixedSizeList) {
        const size = prop(data, "listSize");
        for (let i = 0; i < n; i++) out[i] = valid(i) ? items.slice(i * size, (i + 1) * size) : null;
        return out;
      }
      const offsets = offsetsOf(data);
      for (let i = 0; i < n; i++) out[i] = valid(i) ? items.slice(offsets[i], offsets[i + 1]) : null;
      return out;
    }
    case "map": {
      if (data.typeId !== Type.Map) throw mismatch(path, type, data);
      const entries = data.children[0];
      const keys = arrowToValues(entries.children[0], type.keyType, mode, `${path}.key`);
      const values = arrowToValues(entries.children[1], type.valueType, mode, `${path}.value`);
      const offsets = offsetsOf(data);
      const valid = validity(data);
      const out = new Array<Value>(n);
      for (let i = 0; i < n; i++) {
        if (!valid(i)) {
          out[i] = null;
          continue;
        }
        const m = new Map<Value, Value>();
        for (let j = offsets[i]; j < offsets[i + 1]; j++) m.set(keys[j], values[j]);
        out[i] = m;
      }
      return out;
    }
  }
}

/** Rows of a struct column: one object per row with the Delta fields (logical names), missing ones null. */
function structValues(data: Data, fields: StructField[], mode: ColumnMappingMode, path: string): Value[] {
  if (data.typeId !== Type.Struct) throw mismatch(path, { type: "struct", fields }, data);
  const arrowFields = data.type.children as Field[];
  const columns = fields.map((f) => {
    const i = findArrowField(arrowFields, f, mode);
    return i < 0 ? null : arrowToValues(data.children[i], f.type, mode, `${path}.${f.name}`);
  });
  const valid = validity(data);
  const out = new Array<Value>(data.length);
  for (let r = 0; r < data.length; r++) {
    if (!valid(r)) {
      out[r] = null;
      continue;
    }
    const row: Row = {};
    for (let c = 0; c < fields.length; c++) row[fields[c].name] = columns[c]?.[r] ?? null;
    out[r] = row;
  }
  return out;
}

function primitiveValues(data: Data, type: string, path: string): Value[] {
  const n = data.length;
  const valid = validity(data);
  const out = new Array<Value>(n);
  const id = data.typeId;
  const dec = decimalParts(type as DataType);
  if (dec) return decimalValues(data, dec.scale, path);
  switch (type) {
    case "string":
      if (id === Type.Utf8 || id === Type.LargeUtf8) return utf8Values(data);
      if (id === Type.Binary || id === Type.LargeBinary) {
        return binaryValues(data).map((b) => b === null ? null : decoder.decode(b));
      }
      break;
    case "binary":
      if (id === Type.Binary || id === Type.LargeBinary) return binaryValues(data);
      if (id === Type.Utf8 || id === Type.LargeUtf8) {
        return utf8Values(data).map((s) => s === null ? null : encoder.encode(s));
      }
      if (id === Type.FixedSizeBinary) {
        const width = prop(data, "byteWidth");
        const bytes = data.values as Uint8Array;
        for (let i = 0; i < n; i++) out[i] = valid(i) ? bytes.slice(i * width, (i + 1) * width) : null;
        return out;
      }
      break;
    case "boolean":
      if (id === Type.Bool) return boolValues(data);
      break;
    case "byte":
    case "short":
    case "integer":
    case "float":
    case "double":
      if (id === Type.Int || id === Type.Float) {
        if (id === Type.Float && prop(data, "precision") === 0) break; // half floats
        const values = data.values as ArrayLike<number | bigint>;
        for (let i = 0; i < n; i++) out[i] = valid(i) ? Number(values[i]) : null;
        return out;
      }
      break;
    case "long":
      if (id === Type.Int && data.values instanceof BigInt64Array) {
        const values = data.values;
        for (let i = 0; i < n; i++) out[i] = valid(i) ? values[i] : null;
        return out;
      }
      if (id === Type.Int) {
        const values = data.values as ArrayLike<number | bigint>;
        for (let i = 0; i < n; i++) out[i] = valid(i) ? BigInt(values[i]) : null;
        return out;
      }
      break;
    case "date":
      if (id === Type.Date) {
        const values = data.values as ArrayLike<number | bigint>;
        const millis = prop(data, "unit") === 1; // DateUnit.MILLISECOND
        for (let i = 0; i < n; i++) {
          if (!valid(i)) out[i] = null;
          else {out[i] = new LocalDate(
              millis ? Math.floor(Number(values[i]) / MS_PER_DAY) : Number(values[i]),
            );}
        }
        return out;
      }
      break;
    case "timestamp":
    case "timestamp_ntz":
      return timestampValues(data, type === "timestamp", path);
  }
  throw mismatch(path, type as DataType, data);
}

/** Nanoseconds per unit of Arrow's TimeUnit (SECOND, MILLISECOND, MICROSECOND, NANOSECOND). */
const UNIT_NANOS = [1_000_000_000n, 1_000_000n, 1_000n, 1n];

function timestampValues(data: Data, zoned: boolean, path: string): Value[] {
  const n = data.length;
  const valid = validity(data);
  const out = new Array<Value>(n);
  if (data.typeId === Type.Timestamp || (data.typeId === Type.Int && prop(data, "bitWidth") === 64)) {
    // Untyped INT64 timestamps are microseconds (the Delta default).
    const unit = data.typeId === Type.Timestamp ? prop(data, "unit") : 2;
    const perUnit = UNIT_NANOS[unit];
    const values = data.values as BigInt64Array;
    if (perUnit === 1000n) {
      // MICROS, what Delta writers use: one multiplication per value.
      for (let i = 0; i < n; i++) out[i] = valid(i) ? new Timestamp(values[i] * 1000n, 6, zoned) : null;
      return out;
    }
    for (let i = 0; i < n; i++) {
      if (!valid(i)) {
        out[i] = null;
        continue;
      }
      const nanos = BigInt(values[i]) * perUnit;
      // Delta timestamps are microseconds: NANOS (and INT96) values are floored to µs.
      const micros = nanos >= 0n || nanos % 1000n === 0n ? nanos / 1000n : nanos / 1000n - 1n;
      out[i] = new Timestamp(micros * 1000n, 6, zoned);
    }
    return out;
  }
  if (data.typeId === Type.Date) {
    // Type widening date → timestamp_ntz: midnight.
    return primitiveValues(data, "date", path).map((d) =>
      d === null ? null : new Timestamp(BigInt((d as LocalDate).days) * 86_400_000_000_000n, 6, zoned)
    );
  }
  throw mismatch(path, zoned ? "timestamp" : "timestamp_ntz", data);
}

function decimalValues(data: Data, scale: number, path: string): Value[] {
  const n = data.length;
  const valid = validity(data);
  const out = new Array<Value>(n);
  if (data.typeId === Type.Decimal) {
    const fromScale = prop(data, "scale");
    const words = prop(data, "bitWidth") / 32;
    const values = data.values as Uint32Array;
    for (let i = 0; i < n; i++) {
      out[i] = valid(i) ? rescaled(decimalWords(values, i * words, words), fromScale, scale, path) : null;
    }
    return out;
  }
  if (data.typeId === Type.Int) {
    const values = data.values as ArrayLike<number | bigint>;
    for (let i = 0; i < n; i++) out[i] = valid(i) ? rescaled(BigInt(values[i]), 0, scale, path) : null;
    return out;
  }
  throw mismatch(path, `decimal(38,${scale})`, data);
}

function rescaled(unscaled: bigint, from: number, to: number, path: string): Decimal {
  const d = new Decimal(unscaled, from);
  if (from === to) return d;
  try {
    return d.rescale(to, "exact");
  } catch (e) {
    throw new RangeError(`Cannot read column ${path}: ${d} does not fit scale ${to}`, { cause: e });
  }
}

function mismatch(path: string, type: DataType, data: Data): TypeError {
  const want = typeof type === "string" ? type : type.type;
  return new TypeError(`Cannot read column ${path} as ${want}: the file stores it as ${data.type}`);
}

/** A numeric property of an Arrow type (listSize, byteWidth, unit, …) that the generic DataType does not declare. */
function prop(data: Data, name: string): number {
  return (data.type as unknown as Record<string, number>)[name];
}

const TWO_32 = 4294967296;

/**
 * The unscaled value of one decimal: through a JS number when it fits in 53 bits (one BigInt allocation, the
 * common case for money), else exactly from all words.
 */
function decimalWords(words: Uint32Array, at: number, count: number): bigint {
  const lo = words[at];
  const hi = words[at + 1];
  let upperZero = true;
  let upperOnes = true;
  for (let w = 2; w < count; w++) {
    const x = words[at + w];
    if (x !== 0) upperZero = false;
    if (x !== 0xffffffff) upperOnes = false;
  }
  if (upperZero && hi < 0x200000) return BigInt(hi * TWO_32 + lo);
  if (upperOnes && hi >= 0xffe00000) return BigInt((hi - TWO_32) * TWO_32 + lo);
  return wordsToBigInt(words, at, count);
}
