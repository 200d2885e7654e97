/**
 * ndjson in the lake's JSON value encoding (the inverse of `toJsonValue`, what `lake read --format ndjson`
 * prints) → Rows typed by a table schema. Numbers are taken from their source text, so int64 values and
 * decimals written as JSON numbers stay exact.
 *
 * @module
 */
import { Decimal, decodeBase64, LocalDate, type Row, Timestamp, type Value } from "../../value/mod.ts";
import { type DataType, decimalParts, type StructType } from "../schema/types.ts";

/** A JSON number with its exact source text. */
class JsonNumber {
  constructor(readonly text: string) {}
}

type Json = null | boolean | string | JsonNumber | Json[] | { [key: string]: Json };

/** Parses one JSON text, keeping the source text of every number (JSON.parse source text access). */
export function parseJsonExact(text: string): Json {
  return JSON.parse(
    text,
    (_key, value, context?: { source?: string }) =>
      typeof value === "number" ? new JsonNumber(context?.source ?? String(value)) : value,
  ) as Json;
}

function kind(v: Json): string {
  if (v === null) return "null";
  if (v instanceof JsonNumber) return `number ${v.text}`;
  if (Array.isArray(v)) return "array";
  if (typeof v === "string") return `string "${v.slice(0, 40)}"`;
  return typeof v;
}

function bad(path: string, type: string, v: Json): never {
  throw new TypeError(`Cannot read column "${path}" as ${type}: got ${kind(v)}`);
}

function integerText(v: Json, path: string, type: string): bigint {
  const text = v instanceof JsonNumber ? v.text : typeof v === "string" ? v.trim() : bad(path, type, v);
  if (!/^[+-]?\d+$/.test(text)) bad(path, type, v);
  return BigInt(text);
}

/** The value of a JSON value for a column of `type`. */
export function valueFromJson(type: DataType, v: Json, path: string): Value {
  if (v === null) return null;
  if (typeof type === "string") {
    const dec = decimalParts(type);
    if (dec) {
      const text = v instanceof JsonNumber ? v.text : typeof v === "string" ? v : bad(path, type, v);
      try {
        return Decimal.parse(text, dec.scale);
      } catch (e) {
        throw new TypeError(`Cannot read column "${path}" as ${type}: ${(e as Error).message}`);
      }
    }
    switch (type) {
      case "string":
        return typeof v === "string" ? v : bad(path, type, v);
      case "long": {
        const n = integerText(v, path, type);
        if (n !== BigInt.asIntN(64, n)) bad(path, type, v);
        return n;
      }
      case "integer":
      case "short":
      case "byte": {
        const n = Number(integerText(v, path, type));
        const limit = type === "integer" ? 2 ** 31 : type === "short" ? 2 ** 15 : 2 ** 7;
        if (n < -limit || n >= limit) bad(path, type, v);
        return n;
      }
      case "float":
      case "double": {
        if (v instanceof JsonNumber) return type === "float" ? Math.fround(Number(v.text)) : Number(v.text);
        if (v === "NaN" || v === "Infinity" || v === "-Infinity") return Number(v);
        return bad(path, type, v);
      }
      case "boolean":
        return typeof v === "boolean" ? v : bad(path, type, v);
      case "binary":
        return typeof v === "string" ? decodeBase64(v) : bad(path, type, v);
      case "date":
        return typeof v === "string" ? LocalDate.parse(v) : bad(path, type, v);
      case "timestamp":
      case "timestamp_ntz":
        if (typeof v !== "string") return bad(path, type, v);
        return Timestamp.parse(v, { zoned: type === "timestamp" }).with({ zoned: type === "timestamp" });
    }
    throw new TypeError(`Cannot read column "${path}": type ${type} is not supported`);
  }
  switch (type.type) {
    case "struct": {
      if (typeof v !== "object" || Array.isArray(v) || v instanceof JsonNumber) return bad(path, "struct", v);
      return rowFromJson(type, v, path + ".");
    }
    case "array":
      if (!Array.isArray(v)) return bad(path, "array", v);
      return v.map((x, i) => valueFromJson(type.elementType, x, `${path}[${i}]`));
    case "map": {
      const out = new Map<Value, Value>();
      if (Array.isArray(v)) {
        for (const e of v) {
          if (typeof e !== "object" || e === null || Array.isArray(e) || e instanceof JsonNumber) {
            return bad(path, "map entry {key, value}", e);
          }
          out.set(
            valueFromJson(type.keyType, e.key ?? null, `${path}.key`),
            valueFromJson(type.valueType, e.value ?? null, `${path}.value`),
          );
        }
        return out;
      }
      if (typeof v !== "object" || v instanceof JsonNumber) return bad(path, "map", v);
      for (const [k, x] of Object.entries(v)) {
        out.set(
          valueFromJson(type.keyType, k, `${path}.key`),
          valueFromJson(type.valueType, x, `${path}.${k}`),
        );
      }
      return out;
    }
  }
}

/** A Row of `schema` from a decoded JSON object; columns missing from the object are null, unknown ones an error. */
export function rowFromJson(schema: StructType, obj: { [key: string]: Json }, prefix = ""): Row {
  const row: Row = {};
  for (const f of schema.fields) row[f.name] = valueFromJson(f.type, obj[f.name] ?? null, prefix + f.name);
  for (const k of Object.keys(obj)) {
    if (!schema.fields.some((f) => f.name === k)) {
      throw new TypeError(`Cannot read column "${prefix}${k}": not in the table schema`);
    }
  }
  return row;
}

/** Parses ndjson text into Rows; errors name the line. Blank lines are skipped. */
export function rowsFromNdjson(text: string, schema: StructType): Row[] {
  const rows: Row[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === "") continue;
    let json: Json;
    try {
      json = parseJsonExact(line);
    } catch (e) {
      throw new SyntaxError(`Cannot parse input line ${i + 1}: ${(e as Error).message}`);
    }
    if (typeof json !== "object" || json === null || Array.isArray(json) || json instanceof JsonNumber) {
      throw new TypeError(`Cannot read input line ${i + 1}: expected a JSON object`);
    }
    try {
      rows.push(rowFromJson(schema, json));
    } catch (e) {
      throw new TypeError(`Cannot read input line ${i + 1}: ${(e as Error).message}`);
    }
  }
  return rows;
}
