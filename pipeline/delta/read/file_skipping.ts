/**
 * Partition pruning and stats-based file skipping (PROTOCOL.md "Per-file Statistics"): decides from a file's
 * `partitionValues` and `stats` whether it can hold a row matching the predicates. Conservative: a file is only
 * skipped when its stats prove no row can match.
 *
 * @module
 */
import { Decimal, LocalDate, Timestamp, type Value } from "../../value/mod.ts";
import type { AddFile, FileStats } from "../log/actions.ts";
import { type ColumnMappingMode, physicalName } from "../schema/column_mapping.ts";
import { type DataType, decimalParts, type StructField, type StructType } from "../schema/types.ts";
import { compareValues } from "./compare_values.ts";
import { parsePartitionValue } from "./partition_value.ts";
import { type Predicate, testValue } from "./predicate.ts";

/** What skipping needs to know about the table. */
export interface SkippingContext {
  schema: StructType;
  partitionColumns: readonly string[];
  mode: ColumnMappingMode;
  /** Zone for zone-less timestamp partition values. @default "UTC" */
  timeZone?: string;
}

/** Spark's string stats prefix length: a longer max may be truncated. */
const STRING_PREFIX = 32;

/** Whether `file` may contain rows that satisfy every predicate. */
export function fileMayMatch(file: AddFile, predicates: readonly Predicate[], ctx: SkippingContext): boolean {
  if (predicates.length === 0) return true;
  let stats: FileStats | null | undefined;
  for (const p of predicates) {
    const field = ctx.schema.fields.find((f) => f.name === p.column);
    if (!field) continue;
    const key = physicalName(field, ctx.mode);
    if (ctx.partitionColumns.includes(field.name)) {
      const value = parsePartitionValue(file.partitionValues[key], field.type, field.name, {
        timeZone: ctx.timeZone,
      });
      if (!testValue(p, value)) return false;
      continue;
    }
    if (stats === undefined) stats = parseStats(file.stats);
    if (stats && !statsMayMatch(p, field, key, stats)) return false;
  }
  return true;
}

function parseStats(text: string | null | undefined): FileStats | null {
  if (!text) return null;
  try {
    const stats = JSON.parse(text) as FileStats;
    return typeof stats === "object" && stats !== null ? stats : null;
  } catch {
    // Unreadable stats only cost skipping: the file is read.
    return null;
  }
}

function statsMayMatch(p: Predicate, field: StructField, key: string, stats: FileStats): boolean {
  const numRecords = typeof stats.numRecords === "number" ? stats.numRecords : null;
  const nullCount = typeof stats.nullCount?.[key] === "number" ? stats.nullCount[key] as number : null;
  const allNull = numRecords !== null && nullCount !== null && nullCount === numRecords;
  if (p.op === "is null") return nullCount === null || nullCount > 0;
  if (p.op === "is not null") return !allNull;
  if (!("value" in p)) return true;
  // Comparisons never match nulls.
  if (allNull) return false;
  const min = statValue(stats.minValues?.[key], field.type, "min");
  const max = statValue(stats.maxValues?.[key], field.type, "max");
  const v = p.value;
  const cmin = min === null ? null : compareValues(min, v);
  const cmax = max === null ? null : compareValues(max, v);
  switch (p.op) {
    case "=":
      return !((cmin !== null && cmin > 0) || (cmax !== null && cmax < 0));
    case "<":
      return !(cmin !== null && cmin >= 0);
    case "<=":
      return !(cmin !== null && cmin > 0);
    case ">":
      return !(cmax !== null && cmax <= 0);
    case ">=":
      return !(cmax !== null && cmax < 0);
    case "!=":
      // Only exact bounds prove every value equals v; float stats may hide NaN.
      return !(cmin === 0 && cmax === 0 && exactBounds(field.type));
  }
}

function exactBounds(type: DataType): boolean {
  return typeof type === "string" &&
    !["float", "double", "timestamp", "timestamp_ntz", "string"].includes(type);
}

/**
 * A stats JSON value as a bound of the column's type, or null when it cannot serve as one: a long or decimal
 * beyond double precision (JSON.parse rounded it), a max string that may be truncated, types without stats.
 */
export function statValue(json: unknown, type: DataType, side: "min" | "max"): Value {
  if (json === null || json === undefined || typeof type !== "string") return null;
  const dec = decimalParts(type);
  if (dec) {
    if (typeof json === "string") return safeDecimal(json);
    if (typeof json !== "number" || !Number.isFinite(json)) return null;
    const text = String(json);
    return significantDigits(text) <= 15 ? safeDecimal(text) : null;
  }
  switch (type) {
    case "byte":
    case "short":
    case "integer":
    case "float":
    case "double":
      return typeof json === "number" ? json : null;
    case "long":
      return typeof json === "number" && Number.isSafeInteger(json) ? BigInt(json) : null;
    case "string":
      if (typeof json !== "string") return null;
      // A max of 32+ code points may be a truncated prefix below the real max.
      return side === "max" && [...json].length >= STRING_PREFIX ? null : json;
    case "date":
      try {
        return typeof json === "string" ? LocalDate.parse(json) : null;
      } catch {
        return null;
      }
    case "timestamp":
    case "timestamp_ntz": {
      if (typeof json !== "string") return null;
      let ts: Timestamp;
      try {
        ts = Timestamp.parse(json, { zoned: type === "timestamp" });
      } catch {
        return null;
      }
      // Stats are truncated to milliseconds (PROTOCOL.md): the real max may be up to 999 µs later.
      return side === "max" ? new Timestamp(ts.epochNanos + 999_999n, 6, ts.zoned) : ts;
    }
  }
  return null;
}

function safeDecimal(text: string): Decimal | null {
  try {
    return Decimal.parse(text);
  } catch {
    return null;
  }
}

function significantDigits(text: string): number {
  const mantissa = text.replace(/e.*$/i, "").replace(/[-+.]/g, "").replace(/^0+/, "");
  return mantissa.length;
}
