/**
 * Schema evolution by merge: new nullable columns (also inside structs) are added at the end; anything else
 * that differs is an incompatible change and a TypeError naming the column.
 *
 * @module
 */
import type { DataType, StructField, StructType } from "../schema/types.ts";

function sameType(a: DataType, b: DataType): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function mergeType(table: DataType, incoming: DataType, path: string): DataType {
  if (
    typeof table === "object" && table.type === "struct" && typeof incoming === "object" &&
    incoming.type === "struct"
  ) {
    return mergeSchemas(table, incoming, path + ".");
  }
  if (
    typeof table === "object" && table.type === "array" && typeof incoming === "object" &&
    incoming.type === "array"
  ) {
    return { ...table, elementType: mergeType(table.elementType, incoming.elementType, path + ".element") };
  }
  if (
    typeof table === "object" && table.type === "map" && typeof incoming === "object" &&
    incoming.type === "map"
  ) {
    return {
      ...table,
      keyType: mergeType(table.keyType, incoming.keyType, path + ".key"),
      valueType: mergeType(table.valueType, incoming.valueType, path + ".value"),
    };
  }
  if (!sameType(table, incoming)) {
    const t = typeof table === "string" ? table : table.type;
    const i = typeof incoming === "string" ? incoming : incoming.type;
    throw new TypeError(`Cannot merge schema: column "${path}" is ${t} in the table but ${i} in the data`);
  }
  return table;
}

/**
 * The table schema extended with the columns of `incoming` it lacks. Column names match ignoring case (as in
 * Spark); new columns must be nullable.
 */
export function mergeSchemas(table: StructType, incoming: StructType, prefix = ""): StructType {
  const fields: StructField[] = table.fields.map((f) => {
    const other = incoming.fields.find((x) => x.name.toLowerCase() === f.name.toLowerCase());
    return other ? { ...f, type: mergeType(f.type, other.type, prefix + f.name) } : f;
  });
  for (const f of incoming.fields) {
    if (table.fields.some((x) => x.name.toLowerCase() === f.name.toLowerCase())) continue;
    if (!f.nullable) {
      throw new TypeError(
        `Cannot merge schema: new column "${prefix}${f.name}" must be nullable (existing rows have no value)`,
      );
    }
    fields.push(f);
  }
  return { type: "struct", fields };
}
