import type { PrimitiveType } from "../delta/schema/types.ts";

/** One column of a source table and its lake counterpart. */
export interface ColumnDef {
  /** Name in the source database (SQL Server / SQLite spelling, e.g. `CustomerID`). */
  source: string;
  /** Lake column name in snake_case (e.g. `customer_id`). */
  name: string;
  /** Delta type of the lake column. */
  type: PrimitiveType;
  nullable: boolean;
}

/** A captured source table: its key and columns, and the lake table that mirrors it. */
export interface TableDef {
  /** Source table name (e.g. `OrderItems`); PostgreSQL folds it to lower case. */
  source: string;
  /** Lake table name in snake_case (e.g. `order_items`). */
  name: string;
  /** Primary key columns, lake names. */
  key: string[];
  columns: ColumnDef[];
}

/** Case- and underscore-insensitive form of a column or table name: `CustomerID`, `customerid`, `customer_id` agree. */
export function normalizeName(name: string): string {
  return name.replaceAll("_", "").toLowerCase();
}

/** snake_case of a CamelCase name: `CustomerID` → `customer_id`, `QuantityInStock` → `quantity_in_stock`. */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .toLowerCase();
}
