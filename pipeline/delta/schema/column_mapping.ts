/**
 * Column mapping (PROTOCOL.md "Column Mapping"): with mode `name` or `id` the Parquet files, partition values
 * and stats use physical names (`col-<uuid>`) or field ids instead of the schema's display names.
 *
 * @module
 */
import type { Metadata } from "../log/actions.ts";
import type { StructField } from "./types.ts";

/** How logical columns map to the columns in data files. */
export type ColumnMappingMode = "none" | "name" | "id";

const PHYSICAL_NAME = "delta.columnMapping.physicalName";
const FIELD_ID = "delta.columnMapping.id";

/** The table's column mapping mode; a TypeError for a mode this reader does not know. */
export function columnMappingMode(metadata: Metadata): ColumnMappingMode {
  const mode = metadata.configuration?.["delta.columnMapping.mode"] ?? "none";
  if (mode === "none" || mode === "name" || mode === "id") return mode;
  throw new TypeError(`Cannot read table: unknown delta.columnMapping.mode "${mode}"`);
}

/** The name of the field in data files, partition values and stats under `mode`. */
export function physicalName(field: StructField, mode: ColumnMappingMode): string {
  if (mode === "none") return field.name;
  const name = field.metadata[PHYSICAL_NAME];
  if (typeof name !== "string" || name === "") {
    throw new TypeError(`Cannot map column "${field.name}": it has no ${PHYSICAL_NAME} (mode ${mode})`);
  }
  return name;
}

/** The Parquet field id of the field under mode `id`, or null when it has none. */
export function fieldId(field: StructField): number | null {
  const id = field.metadata[FIELD_ID];
  return typeof id === "number" && Number.isInteger(id) ? id : null;
}
