/**
 * Lookup of catalog tables by lake name.
 *
 * @module
 */
import { ECOMMERCE_TABLES, type TableDef } from "../../catalog/mod.ts";

/** The catalog table with lake name `name`; a RangeError when there is none. */
export function catalogTable(name: string): TableDef {
  const def = ECOMMERCE_TABLES.find((t) => t.name === name);
  if (!def) throw new RangeError(`Cannot find table "${name}" in the catalog`);
  return def;
}
