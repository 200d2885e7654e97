/**
 * Delta table schemas, in Spark's StructType JSON (the form stored in `metaData.schemaString`).
 * Decimal types are the strings `"decimal(p,s)"`, exactly as Spark writes them.
 *
 * @module
 */

/** Primitive type names of the Delta protocol. */
export type PrimitiveType =
  | "string"
  | "long"
  | "integer"
  | "short"
  | "byte"
  | "float"
  | "double"
  | "boolean"
  | "binary"
  | "date"
  | "timestamp"
  | "timestamp_ntz"
  | "void"
  | "variant"
  | `decimal(${number},${number})`;

/** Any Delta data type. */
export type DataType = PrimitiveType | StructType | ArrayType | MapType;

/** A named column or struct field. `metadata` carries column mapping ids, invariants, comments. */
export interface StructField {
  name: string;
  type: DataType;
  nullable: boolean;
  metadata: Record<string, unknown>;
}

export interface StructType {
  type: "struct";
  fields: StructField[];
}

export interface ArrayType {
  type: "array";
  elementType: DataType;
  containsNull: boolean;
}

export interface MapType {
  type: "map";
  keyType: DataType;
  valueType: DataType;
  valueContainsNull: boolean;
}

const DECIMAL_TYPE = /^decimal\(\s*(\d+)\s*,\s*(\d+)\s*\)$/;

/** Precision and scale of a `"decimal(p,s)"` type, or null for any other type. */
export function decimalParts(type: DataType): { precision: number; scale: number } | null {
  if (typeof type !== "string") return null;
  const m = DECIMAL_TYPE.exec(type);
  return m ? { precision: Number(m[1]), scale: Number(m[2]) } : null;
}
