/**
 * Compiles a Kafka Connect schema once into a converter from parsed JSON to the shared value model, with every
 * Debezium and Connect logical type decoded exactly (debezium.md §A.7).
 *
 * | schema | value |
 * |---|---|
 * | int8/int16/int32 | `number` |
 * | int64 | `bigint` |
 * | float32/float64 | `number` |
 * | `org.apache.kafka.connect.data.Decimal` (base64 two's complement, or a number) | {@linkcode Decimal} at the schema's scale |
 * | `io.debezium.data.VariableScaleDecimal` | {@linkcode Decimal} at the value's scale |
 * | `io.debezium.time.Date`, Connect `Date` | {@linkcode LocalDate} |
 * | `Time` / `MicroTime` / `NanoTime`, Connect `Time` | {@linkcode LocalTime} with 3 / 6 / 9 digits |
 * | `Timestamp` / `MicroTimestamp` / `NanoTimestamp`, Connect `Timestamp` | wall-clock {@linkcode Timestamp} (`zoned: false`), 3 / 6 / 9 digits |
 * | `ZonedTimestamp` | zoned {@linkcode Timestamp} (the instant; the offset itself is not kept) |
 * | `MicroDuration` | `bigint` microseconds |
 * | `Uuid`, `Json`, `Xml`, `Enum`, `EnumSet`, `ZonedTime`, strings | `string` (JSON documents stay text) |
 * | bytes, `Bits` | `Uint8Array` |
 * | array / map / struct | `Value[]` / `Map` / {@linkcode Row} |
 *
 * @module
 */
import {
  Decimal,
  decodeBase64,
  LocalDate,
  LocalTime,
  type Row,
  Timestamp,
  type Value,
} from "../value/mod.ts";
import type { ConnectSchema } from "./connect_schema.ts";
import {
  base64Unscaled,
  rawDecimalNumber,
  rawFloat,
  rawInt64,
  rawSmallInt,
  twosComplement,
  typeError,
} from "./raw_value.ts";

/** Converts one parsed JSON value; throws TypeError/RangeError naming the field path on bad input. */
export type Converter = (raw: unknown) => Value;

/** Options of {@linkcode compileConverter}. */
export interface CompileOptions {
  /** Renames the top-level struct's fields (source column → lake column); nested structs keep their names. */
  rename?: (field: string) => string;
  /**
   * Top-level fields (by their renamed name) whose wall-clock timestamps are read as UTC instants (`zoned`),
   * because the lake column is a Delta `timestamp`.
   */
  zonedColumns?: ReadonlySet<string>;
}

const NS_PER_DAY = 86_400_000_000_000n;

function base64Bytes(raw: unknown, path: string, what: string): Uint8Array {
  if (typeof raw !== "string") throw typeError(path, `base64 text for ${what}`, raw);
  try {
    return decodeBase64(raw);
  } catch (e) {
    throw new TypeError(`Cannot decode "${path}": ${(e as Error).message}`, { cause: e });
  }
}

function timeOfDay(nanos: bigint, digits: number, path: string): LocalTime {
  if (nanos < 0n || nanos >= NS_PER_DAY) {
    throw new RangeError(`Cannot decode "${path}": ${nanos} ns is not a time of day`);
  }
  return new LocalTime(nanos, digits);
}

function parameter(schema: ConnectSchema, name: string): string | undefined {
  return schema.parameters?.[name];
}

function intParameter(schema: ConnectSchema, name: string, path: string): number | null {
  const p = parameter(schema, name);
  if (p === undefined) return null;
  const n = Number(p);
  if (!Number.isInteger(n) || n < 0) {
    throw new TypeError(`Cannot read schema of "${path}": parameter ${name} is ${JSON.stringify(p)}`);
  }
  return n;
}

function decimalConverter(schema: ConnectSchema, path: string): Converter {
  const scale = intParameter(schema, "scale", path);
  if (scale === null) {
    throw new TypeError(`Cannot read schema of "${path}": Decimal without a scale parameter`);
  }
  const precision = intParameter(schema, "connect.decimal.precision", path);
  return (raw) => {
    if (typeof raw === "string" && raw.charCodeAt(0) !== 126) {
      return new Decimal(base64Unscaled(raw, path), scale);
    }
    return rawDecimalNumber(raw, scale, precision, path);
  };
}

function stringConverter(path: string, what = "a string"): Converter {
  return (raw) => {
    if (typeof raw !== "string") throw typeError(path, what, raw);
    return raw;
  };
}

function logicalConverter(schema: ConnectSchema, path: string, zoned: boolean): Converter | null {
  switch (schema.name) {
    case "org.apache.kafka.connect.data.Decimal":
      return decimalConverter(schema, path);
    case "io.debezium.data.VariableScaleDecimal":
      return (raw) => {
        if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
          throw typeError(path, "{scale, value}", raw);
        }
        const o = raw as { scale?: unknown; value?: unknown };
        const scale = rawSmallInt(o.scale, `${path}.scale`, 0, 1000);
        return new Decimal(twosComplement(base64Bytes(o.value, `${path}.value`, "a decimal")), scale);
      };
    case "io.debezium.time.Date":
    case "org.apache.kafka.connect.data.Date":
      return (raw) => new LocalDate(rawSmallInt(raw, path, -2147483648, 2147483647));
    case "io.debezium.time.Time":
    case "org.apache.kafka.connect.data.Time":
      return (raw) => timeOfDay(BigInt(rawSmallInt(raw, path, 0, 86_400_000)) * 1_000_000n, 3, path);
    case "io.debezium.time.MicroTime":
      return (raw) => timeOfDay(rawInt64(raw, path) * 1000n, 6, path);
    case "io.debezium.time.NanoTime":
      return (raw) => timeOfDay(rawInt64(raw, path), 9, path);
    case "io.debezium.time.Timestamp":
    case "org.apache.kafka.connect.data.Timestamp":
      return (raw) => new Timestamp(rawInt64(raw, path) * 1_000_000n, 3, zoned);
    case "io.debezium.time.MicroTimestamp":
      return (raw) => new Timestamp(rawInt64(raw, path) * 1000n, 6, zoned);
    case "io.debezium.time.NanoTimestamp":
      return (raw) => new Timestamp(rawInt64(raw, path), 9, zoned);
    case "io.debezium.time.ZonedTimestamp":
      return (raw) => {
        if (typeof raw !== "string") throw typeError(path, "ISO-8601 text", raw);
        const t = Timestamp.parse(raw);
        if (!t.zoned) throw typeError(path, "ISO-8601 text with an offset", raw);
        return t;
      };
    case "io.debezium.time.IsoDate":
      return (raw) => {
        if (typeof raw !== "string") throw typeError(path, "a date", raw);
        return LocalDate.parse(raw.endsWith("Z") ? raw.slice(0, -1) : raw);
      };
    case "io.debezium.time.IsoTimestamp":
      return (raw) => {
        if (typeof raw !== "string") throw typeError(path, "ISO-8601 text", raw);
        return Timestamp.parse(raw, { zoned });
      };
    case "io.debezium.time.MicroDuration":
      return (raw) => rawInt64(raw, path);
    case "io.debezium.data.Bits":
      return (raw) => base64Bytes(raw, path, "bits");
    default:
      return null;
  }
}

function primitiveConverter(schema: ConnectSchema, path: string, zoned: boolean): Converter {
  switch (schema.type) {
    case "int8":
      return (raw) => rawSmallInt(raw, path, -128, 127);
    case "int16":
      return (raw) => rawSmallInt(raw, path, -32768, 32767);
    case "int32":
      return (raw) => rawSmallInt(raw, path, -2147483648, 2147483647);
    case "int64":
      return (raw) => rawInt64(raw, path);
    case "float":
    case "float32":
    case "float64":
    case "double":
      return (raw) => rawFloat(raw, path);
    case "boolean":
      return (raw) => {
        if (typeof raw !== "boolean") throw typeError(path, "true or false", raw);
        return raw;
      };
    case "string":
      return stringConverter(path);
    case "bytes":
      return (raw) => base64Bytes(raw, path, "bytes");
    case "array": {
      const item = compileConverter(schema.items!, { path: `${path}[]`, zoned });
      return (raw) => {
        if (!Array.isArray(raw)) throw typeError(path, "an array", raw);
        const out: Value[] = new Array(raw.length);
        for (let i = 0; i < raw.length; i++) out[i] = item(raw[i]);
        return out;
      };
    }
    case "map": {
      const key = compileConverter(schema.keys!, { path: `${path}{key}`, zoned });
      const value = compileConverter(schema.values!, { path: `${path}{}`, zoned });
      return (raw) => {
        const m = new Map<Value, Value>();
        if (Array.isArray(raw)) {
          // Non-string keys: JsonConverter writes [[key, value], …].
          for (const pair of raw) {
            if (!Array.isArray(pair) || pair.length !== 2) throw typeError(path, "[key, value] pairs", pair);
            m.set(key(pair[0]), value(pair[1]));
          }
        } else if (raw !== null && typeof raw === "object") {
          for (const k in raw as Record<string, unknown>) {
            m.set(key(k), value((raw as Record<string, unknown>)[k]));
          }
        } else {
          throw typeError(path, "a map", raw);
        }
        return m;
      };
    }
    case "struct":
      return structConverter(schema, path, {}, zoned);
  }
  throw new TypeError(`Cannot read schema of "${path}": unknown type ${JSON.stringify(schema.type)}`);
}

/** How a struct's converter reads one field (see {@linkcode structFieldPlans}). */
export interface FieldPlan {
  /** The field's name in the message. */
  source: string;
  /** The name it gets in the row (renamed for top-level structs). */
  lake: string;
  /** The field's schema. */
  schema: ConnectSchema;
  /** Whether its wall-clock timestamps are read as UTC instants. */
  zoned: boolean;
  /** Its converter, nulls and defaults included. */
  convert: Converter;
}

/**
 * The field plans a struct converter compiled from `schema` uses, in schema order: for readers that walk the
 * message themselves (the payload scanner) and must convert each field exactly as the struct converter does.
 */
export function structFieldPlans(
  schema: ConnectSchema,
  path: string,
  options: CompileOptions = {},
  zoned = false,
): FieldPlan[] {
  return schema.fields!.map((f) => {
    const lake = options.rename ? options.rename(f.field!) : f.field!;
    const fieldZoned = options.zonedColumns ? options.zonedColumns.has(lake) : zoned;
    return {
      source: f.field!,
      lake,
      schema: f,
      zoned: fieldZoned,
      convert: compileConverter(f, { path: `${path}.${f.field}`, zoned: fieldZoned }),
    };
  });
}

function structConverter(
  schema: ConnectSchema,
  path: string,
  options: CompileOptions,
  zoned: boolean,
): Converter {
  const plans = structFieldPlans(schema, path, options, zoned);
  return (raw) => {
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
      throw typeError(path, "an object", raw);
    }
    const o = raw as Record<string, unknown>;
    const row: Row = {};
    for (let i = 0; i < plans.length; i++) {
      const p = plans[i];
      row[p.lake] = p.convert(o[p.source]);
    }
    return row;
  };
}

/**
 * Compiles `schema` into a converter. Nulls follow Connect: a missing or null value becomes the schema's
 * default, else null when optional, else a TypeError.
 */
export function compileConverter(
  schema: ConnectSchema,
  options: CompileOptions & { path?: string; zoned?: boolean } = {},
): Converter {
  const path = options.path ?? schema.field ?? "value";
  const zoned = options.zoned ?? false;
  const inner = logicalConverter(schema, path, zoned) ??
    (schema.type === "struct"
      ? structConverter(schema, path, options, zoned)
      : primitiveConverter(schema, path, zoned));
  const optional = schema.optional === true;
  const hasDefault = schema.default !== undefined && schema.default !== null;
  let fallback: Value | undefined;
  return (raw) => {
    if (raw !== null && raw !== undefined) return inner(raw);
    if (hasDefault) return fallback ??= inner(schema.default);
    if (optional) return null;
    throw new TypeError(
      `Cannot decode "${path}": a value is required, got ${raw === null ? "null" : "nothing"}`,
    );
  };
}
