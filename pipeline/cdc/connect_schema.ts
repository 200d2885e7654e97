/**
 * The JSON form of a Kafka Connect schema, as `JsonConverter` writes it with `schemas.enable=true`.
 *
 * @module
 */

/** A Kafka Connect schema (`JsonConverter.asJsonSchema`); parameter values are strings. */
export interface ConnectSchema {
  type: string;
  optional?: boolean;
  /** Logical or semantic type (`org.apache.kafka.connect.data.Decimal`, `io.debezium.time.MicroTimestamp`, …). */
  name?: string;
  version?: number;
  doc?: string;
  parameters?: Record<string, string>;
  default?: unknown;
  /** Field name, inside a struct's `fields`. */
  field?: string;
  fields?: ConnectSchema[];
  items?: ConnectSchema;
  keys?: ConnectSchema;
  values?: ConnectSchema;
}

const TYPES = new Set([
  "int8",
  "int16",
  "int32",
  "int64",
  "float",
  "float32",
  "float64",
  "double",
  "boolean",
  "string",
  "bytes",
  "array",
  "map",
  "struct",
]);

/**
 * Checks the shape of a parsed schema (recursively) and returns it typed; a TypeError names the path of the
 * first bad node.
 */
export function asConnectSchema(raw: unknown, path = "schema"): ConnectSchema {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new TypeError(`Cannot read Kafka Connect schema at "${path}": not an object`);
  }
  const s = raw as Record<string, unknown>;
  if (typeof s.type !== "string" || !TYPES.has(s.type)) {
    throw new TypeError(
      `Cannot read Kafka Connect schema at "${path}": unknown type ${JSON.stringify(s.type)}`,
    );
  }
  if (s.name !== undefined && typeof s.name !== "string") {
    throw new TypeError(`Cannot read Kafka Connect schema at "${path}": name is not a string`);
  }
  if (s.parameters !== undefined && (s.parameters === null || typeof s.parameters !== "object")) {
    throw new TypeError(`Cannot read Kafka Connect schema at "${path}": parameters is not an object`);
  }
  if (s.type === "struct") {
    if (!Array.isArray(s.fields)) {
      throw new TypeError(`Cannot read Kafka Connect schema at "${path}": struct without fields`);
    }
    s.fields.forEach((f, i) => {
      const fs = asConnectSchema(f, `${path}.fields[${i}]`);
      if (typeof fs.field !== "string") {
        throw new TypeError(`Cannot read Kafka Connect schema at "${path}.fields[${i}]": field has no name`);
      }
    });
  } else if (s.type === "array") {
    asConnectSchema(s.items, `${path}.items`);
  } else if (s.type === "map") {
    asConnectSchema(s.keys, `${path}.keys`);
    asConnectSchema(s.values, `${path}.values`);
  }
  return s as unknown as ConnectSchema;
}

/** The schema of struct field `name`, if any. */
export function fieldSchema(struct: ConnectSchema, name: string): ConnectSchema | undefined {
  return struct.fields?.find((f) => f.field === name);
}
