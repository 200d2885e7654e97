/**
 * What is captured: the source tables, their keys and columns, and the lake names they map to.
 *
 * @module
 */
export { ECOMMERCE_TABLES } from "./ecommerce.ts";
export { type ColumnDef, normalizeName, snakeCase, type TableDef } from "./table_def.ts";
