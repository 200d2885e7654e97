/**
 * Building blocks for the output tables' Delta schemas.
 *
 * @module
 */
import type { TableDef } from "../../catalog/mod.ts";
import type { PrimitiveType, StructField, StructType } from "../../delta/schema/types.ts";

/** Money as the source stores it. */
export const MONEY: PrimitiveType = "decimal(18,2)";
/** Sums of money: wide enough that no realistic sum overflows. */
export const MONEY_SUM: PrimitiveType = "decimal(38,2)";

/** A top-level column. */
export function field(name: string, type: PrimitiveType, nullable: boolean): StructField {
  return { name, type, nullable, metadata: {} };
}

/** A struct of the given columns. */
export function struct(fields: StructField[]): StructType {
  return { type: "struct", fields };
}

/** The source table's columns as lake columns, in catalog order. */
export function catalogFields(def: TableDef): StructField[] {
  return def.columns.map((c) => field(c.name, c.type, c.nullable));
}
