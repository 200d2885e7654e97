/**
 * Parsing and printing of Spark StructType JSON (`metaData.schemaString`), with validation so that a broken
 * schema is reported where it is read, not as a confusing failure while decoding data.
 *
 * @module
 */
import {
  type DataType,
  decimalParts,
  type PrimitiveType,
  type StructField,
  type StructType,
} from "./types.ts";

const PRIMITIVES = new Set<string>([
  "string",
  "long",
  "integer",
  "short",
  "byte",
  "float",
  "double",
  "boolean",
  "binary",
  "date",
  "timestamp",
  "timestamp_ntz",
  "void",
  "variant",
]);

/**
 * Parses a `schemaString`. Throws a SyntaxError for text that is not JSON and a TypeError naming the field path
 * for a JSON value that is not a valid schema (unknown type, decimal precision outside 1–38, duplicate names
 * ignoring case).
 */
export function parseSchema(text: string): StructType {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new SyntaxError(`Cannot parse schema: ${(e as Error).message}`, { cause: e });
  }
  const type = toDataType(json, "schema");
  if (typeof type !== "object" || type.type !== "struct") {
    throw new TypeError("Cannot use schema: the top level must be a struct");
  }
  return type;
}

/** The schema as Spark writes it in `schemaString` (compact JSON). */
export function schemaToJson(schema: StructType): string {
  return JSON.stringify(schema);
}

/** A short type text as Spark's `simpleString`: `bigint`-free Delta names, `array<int>`, `struct<a:long>`. */
export function typeToString(type: DataType): string {
  if (typeof type === "string") return type;
  switch (type.type) {
    case "struct":
      return `struct<${type.fields.map((f) => `${f.name}:${typeToString(f.type)}`).join(",")}>`;
    case "array":
      return `array<${typeToString(type.elementType)}>`;
    case "map":
      return `map<${typeToString(type.keyType)},${typeToString(type.valueType)}>`;
  }
}

function toDataType(json: unknown, path: string): DataType {
  if (typeof json === "string") {
    if (PRIMITIVES.has(json)) return json as PrimitiveType;
    const dec = decimalParts(json as DataType);
    if (dec) {
      if (dec.precision < 1 || dec.precision > 38 || dec.scale > dec.precision) {
        throw new TypeError(`Cannot use schema: ${path} has type ${json}, outside decimal(1..38, 0..p)`);
      }
      return `decimal(${dec.precision},${dec.scale})`;
    }
    throw new TypeError(`Cannot use schema: ${path} has unknown type "${json}"`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new TypeError(`Cannot use schema: ${path} has no valid type`);
  }
  const o = json as Record<string, unknown>;
  switch (o.type) {
    case "struct": {
      if (!Array.isArray(o.fields)) {
        throw new TypeError(`Cannot use schema: ${path} is a struct without fields`);
      }
      const seen = new Set<string>();
      const fields = o.fields.map((f: unknown, i: number): StructField => {
        if (typeof f !== "object" || f === null) {
          throw new TypeError(`Cannot use schema: field ${i} of ${path} is not an object`);
        }
        const field = f as Record<string, unknown>;
        if (typeof field.name !== "string") {
          throw new TypeError(`Cannot use schema: field ${i} of ${path} has no name`);
        }
        const lower = field.name.toLowerCase();
        if (seen.has(lower)) {
          throw new TypeError(
            `Cannot use schema: ${path} has two fields named "${field.name}" (ignoring case)`,
          );
        }
        seen.add(lower);
        const metadata = typeof field.metadata === "object" && field.metadata !== null
          ? field.metadata as Record<string, unknown>
          : {};
        return {
          name: field.name,
          type: toDataType(field.type, `${path}.${field.name}`),
          nullable: field.nullable !== false,
          metadata,
        };
      });
      return { type: "struct", fields };
    }
    case "array":
      return {
        type: "array",
        elementType: toDataType(o.elementType, `${path}[]`),
        containsNull: o.containsNull !== false,
      };
    case "map":
      return {
        type: "map",
        keyType: toDataType(o.keyType, `${path}.key`),
        valueType: toDataType(o.valueType, `${path}.value`),
        valueContainsNull: o.valueContainsNull !== false,
      };
  }
  throw new TypeError(`Cannot use schema: ${path} has unknown type ${JSON.stringify(o.type)}`);
}
