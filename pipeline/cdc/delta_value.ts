/**
 * Converting raw values without a Kafka Connect schema: by the catalog's Delta type when the column is known
 * (schemaless Debezium, SQLite triggers, SQL Server CDC rows), else by what the JSON value itself is.
 *
 * @module
 */
import { decimalParts, type PrimitiveType } from "../delta/schema/types.ts";
import { Decimal, decodeBase64, LocalDate, type Row, Timestamp, type Value } from "../value/mod.ts";
import { NumberText } from "./lossless_json.ts";
import type { TableNaming } from "./naming.ts";
import {
  base64Unscaled,
  NEEDS_SOURCE_TEXT,
  rawDecimalNumber,
  rawFloat,
  rawInt64,
  rawSmallInt,
  typeError,
} from "./raw_value.ts";

/** How text in a decimal column is read. */
export type DecimalText =
  /** Decimal text such as `"12.30"` (SQLite, `decimal.handling.mode=string`). */
  | "text"
  /**
   * Text with a `.` is decimal text, anything else base64 of the unscaled value (JsonConverter's default
   * `decimal.format=BASE64`). A scale-0 column in `decimal.handling.mode=string` is therefore misread: give
   * such sources a schema.
   */
  | "auto";

// decimalParts parses "decimal(p,s)" with a regex: once per type is enough.
const DECIMAL_PARTS = new Map<string, { precision: number; scale: number } | null>();
const DECIMAL_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function decimalValue(
  raw: unknown,
  precision: number,
  scale: number,
  text: DecimalText,
  path: string,
): Decimal {
  if (typeof raw === "string" && raw.charCodeAt(0) !== 126) {
    if (text === "text" || raw.includes(".")) {
      if (!DECIMAL_TEXT.test(raw)) throw typeError(path, "decimal text", raw);
      try {
        return Decimal.parse(raw, scale);
      } catch (e) {
        throw new RangeError(`Cannot decode "${path}": ${raw} does not fit scale ${scale}`, { cause: e });
      }
    }
    return new Decimal(base64Unscaled(raw, path), scale);
  }
  return rawDecimalNumber(raw, scale, precision, path);
}

/**
 * Epoch timestamp of unknown unit (schemaless Debezium: `Timestamp` ms, `MicroTimestamp` µs, `NanoTimestamp` ns),
 * told apart by magnitude: below 10^14 it is milliseconds (until the year 5138), below 10^17 microseconds (from
 * 1973), else nanoseconds. Dates before 1973 in microseconds are misread: give such sources a schema.
 */
function epochTimestamp(v: bigint, zoned: boolean): Timestamp {
  const a = v < 0n ? -v : v;
  if (a < 100_000_000_000_000n) return new Timestamp(v * 1_000_000n, 3, zoned);
  if (a < 100_000_000_000_000_000n) return new Timestamp(v * 1000n, 6, zoned);
  return new Timestamp(v, 9, zoned);
}

function epochInteger(raw: unknown, path: string): bigint {
  if (typeof raw === "number" && !Number.isSafeInteger(raw)) throw NEEDS_SOURCE_TEXT;
  return rawInt64(raw, path);
}

/**
 * Converts `raw` to the value model of Delta type `type`. Accepts what the sources carry: JSON numbers
 * (lossless tiers included), bigints, decimal text or base64, ISO-8601 text or epoch numbers for timestamps,
 * `0`/`1` for booleans, base64 or bytes for binary.
 */
export function deltaValue(
  raw: unknown,
  type: PrimitiveType,
  path: string,
  text: DecimalText = "auto",
): Value {
  if (raw === null || raw === undefined) return null;
  switch (type) {
    case "string":
      if (typeof raw !== "string") throw typeError(path, "a string", raw);
      return raw;
    case "integer":
      return rawSmallInt(raw, path, -2147483648, 2147483647);
    case "short":
      return rawSmallInt(raw, path, -32768, 32767);
    case "byte":
      return rawSmallInt(raw, path, -128, 127);
    case "long":
      if (typeof raw === "number" && !Number.isSafeInteger(raw) && Number.isInteger(raw)) {
        throw NEEDS_SOURCE_TEXT;
      }
      return rawInt64(raw, path);
    case "float":
    case "double":
      return rawFloat(raw, path);
    case "boolean":
      if (typeof raw === "boolean") return raw;
      if (raw === 0 || raw === 1 || raw === 0n || raw === 1n) return raw === 1 || raw === 1n;
      throw typeError(path, "a boolean or 0/1", raw);
    case "binary":
      if (raw instanceof Uint8Array) return raw;
      if (typeof raw !== "string") throw typeError(path, "base64 text", raw);
      try {
        return decodeBase64(raw);
      } catch (e) {
        throw new TypeError(`Cannot decode "${path}": ${(e as Error).message}`, { cause: e });
      }
    case "date":
      if (typeof raw === "string") return LocalDate.parse(raw);
      return new LocalDate(rawSmallInt(raw, path, -2147483648, 2147483647));
    case "timestamp":
    case "timestamp_ntz": {
      const zoned = type === "timestamp";
      if (typeof raw === "string" && raw.charCodeAt(0) !== 126) {
        try {
          return Timestamp.parse(raw, { zoned }).with({ zoned });
        } catch (e) {
          throw new TypeError(`Cannot decode "${path}": ${(e as Error).message}`, { cause: e });
        }
      }
      return epochTimestamp(epochInteger(raw, path), zoned);
    }
  }
  let dec = DECIMAL_PARTS.get(type);
  if (dec === undefined) DECIMAL_PARTS.set(type, dec = decimalParts(type));
  if (dec) return decimalValue(raw, dec.precision, dec.scale, text, path);
  throw new TypeError(`Cannot decode "${path}": Delta type ${type} is not supported by the change decoder`);
}

/**
 * A value read without any type information: integers as `number` when safe and `bigint` beyond 2^53, other
 * numbers as `number`, arrays and objects recursively.
 */
export function inferValue(raw: unknown, path: string): Value {
  if (raw === null || raw === undefined) return null;
  switch (typeof raw) {
    case "string":
    case "boolean":
      return raw;
    case "bigint":
      return raw;
    case "number":
      if (Number.isInteger(raw) && !Number.isSafeInteger(raw)) throw NEEDS_SOURCE_TEXT;
      return raw;
  }
  if (raw instanceof NumberText) return raw.isInteger ? rawInt64(raw, path) : Number(raw.text);
  if (Array.isArray(raw)) return raw.map((v, i) => inferValue(v, `${path}[${i}]`));
  const o = raw as Record<string, unknown>;
  const row: Row = {};
  for (const k in o) row[k] = inferValue(o[k], `${path}.${k}`);
  return row;
}

/**
 * Converts a row image whose columns carry source names: renamed to lake names, typed by the catalog where the
 * table and column are known, inferred otherwise.
 */
export function schemalessRow(
  raw: unknown,
  naming: TableNaming,
  path: string,
  text: DecimalText = "auto",
): Row {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw) || raw instanceof NumberText) {
    throw typeError(path, "an object", raw);
  }
  const o = raw as Record<string, unknown>;
  const row: Row = {};
  for (const k in o) {
    const lake = naming.column(k);
    const col = naming.columnDef(k);
    row[lake] = col ? deltaValue(o[k], col.type, `${path}.${k}`, text) : inferValue(o[k], `${path}.${k}`);
  }
  return row;
}
