import { Decimal } from "./decimal.ts";
import { LocalDate } from "./local_date.ts";
import { LocalTime } from "./local_time.ts";
import { Timestamp } from "./timestamp.ts";
import { encodeBase64 } from "./base64.ts";

/**
 * A column value as every part of Lakestream holds it in memory.
 *
 * | Delta / source type | value |
 * |---|---|
 * | boolean | `boolean` |
 * | byte, short, integer, float, double | `number` |
 * | long (int64) | `bigint` (never a `number`: 2^53 is too small) |
 * | decimal(p,s) | {@linkcode Decimal} |
 * | string | `string` |
 * | binary | `Uint8Array` |
 * | date | {@linkcode LocalDate} |
 * | timestamp / timestamp_ntz | {@linkcode Timestamp} (`zoned` true / false) |
 * | time of day (sources only) | {@linkcode LocalTime} |
 * | array | `Value[]` |
 * | map | `Map<Value, Value>` |
 * | struct | a plain object `{ field: Value }` |
 * | null | `null` |
 */
export type Value =
  | null
  | boolean
  | number
  | bigint
  | string
  | Decimal
  | Timestamp
  | LocalDate
  | LocalTime
  | Uint8Array
  | Value[]
  | Map<Value, Value>
  | Row;

/** A row or struct: field name → value. */
export interface Row {
  [field: string]: Value;
}

/** What JSON can carry. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * The lake's JSON value encoding, shared by `lake read --format ndjson`, `cdc decode` and the dashboard:
 * int64 beyond ±(2^53−1) as strings, decimals as exact strings at their scale, dates "YYYY-MM-DD", timestamps
 * ISO-8601 (with `Z` when zoned), binary as base64, maps as objects when every key is a string, else as arrays of
 * `{key, value}`; NaN and ±Infinity as the strings "NaN", "Infinity", "-Infinity".
 */
export function toJsonValue(v: Value): JsonValue {
  switch (typeof v) {
    case "string":
    case "boolean":
      return v;
    case "number":
      return Number.isFinite(v) ? v : String(v);
    case "bigint":
      return v > MAX_SAFE || v < -MAX_SAFE ? v.toString() : Number(v);
    case "object":
      if (v === null) return null;
      if (
        v instanceof Decimal || v instanceof Timestamp || v instanceof LocalDate || v instanceof LocalTime
      ) {
        return v.toString();
      }
      if (v instanceof Uint8Array) return encodeBase64(v);
      if (Array.isArray(v)) return v.map(toJsonValue);
      if (v instanceof Map) {
        const entries = [...v.entries()];
        if (entries.every(([k]) => typeof k === "string")) {
          const o: { [key: string]: JsonValue } = {};
          for (const [k, val] of entries) o[k as string] = toJsonValue(val);
          return o;
        }
        return entries.map(([key, value]) => ({ key: toJsonValue(key), value: toJsonValue(value) }));
      }
      {
        const o: { [key: string]: JsonValue } = {};
        for (const k in v) o[k] = toJsonValue((v as Row)[k]);
        return o;
      }
  }
  throw new TypeError(`Cannot encode value of type ${typeof v} as JSON`);
}

/** One row as a line of ndjson (without the newline). */
export function rowToJson(row: Row): string {
  return JSON.stringify(toJsonValue(row));
}

/**
 * Equality of two values by meaning: decimals and timestamps by numeric value, bytes by content, maps and
 * structs deeply. For tests, dedup and change detection.
 */
export function valuesEqual(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") {
    return typeof a === "number" && typeof b === "number" && Number.isNaN(a) && Number.isNaN(b);
  }
  if (a instanceof Decimal) return b instanceof Decimal && a.equals(b);
  if (a instanceof Timestamp) {
    return b instanceof Timestamp && a.epochNanos === b.epochNanos && a.zoned === b.zoned;
  }
  if (a instanceof LocalDate) return b instanceof LocalDate && a.days === b.days;
  if (a instanceof LocalTime) return b instanceof LocalTime && a.nanos === b.nanos;
  if (a instanceof Uint8Array) {
    return b instanceof Uint8Array && a.length === b.length && a.every((x, i) => x === b[i]);
  }
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => valuesEqual(x, b[i]));
  }
  if (a instanceof Map) {
    if (!(b instanceof Map) || a.size !== b.size) return false;
    const bs = [...b.entries()];
    return [...a.entries()].every(([k, v], i) => valuesEqual(k, bs[i][0]) && valuesEqual(v, bs[i][1]));
  }
  if (Array.isArray(b) || b instanceof Map || b instanceof Uint8Array) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => k in b && valuesEqual((a as Row)[k], (b as Row)[k]));
}
