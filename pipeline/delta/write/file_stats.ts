/**
 * Per-file statistics (`add.stats`) exactly as Delta-Spark 3.x writes them (delta-lake.md §6): numRecords,
 * minValues, maxValues, nullCount, following the schema's nesting; min/max only for numbers, decimals, dates,
 * timestamps (truncated to milliseconds) and strings (32-character prefixes with Spark's tie-breaker on the
 * max); nullCount only for booleans, binaries, arrays and maps; stats for the first 32 leaf columns (or the
 * table's `delta.dataSkippingStatsColumns`).
 *
 * @module
 */
import { Decimal, LocalDate, type Row, Timestamp, type Value } from "../../value/mod.ts";
import { type DataType, decimalParts, type StructField } from "../schema/types.ts";
import { compareKeys } from "../storage/object_key.ts";

/** Which columns get statistics. */
export interface StatsOptions {
  /** Leaf columns with stats, in schema order (`delta.dataSkippingNumIndexedCols`); -1 = all. @default 32 */
  numIndexedCols?: number;
  /** Explicit column list (`delta.dataSkippingStatsColumns`, dotted for nested fields); overrides the count. */
  statsColumns?: readonly string[];
  /** Prefix length for string min/max (`spark.databricks.io.skipping.stringPrefixLength`). @default 32 */
  stringPrefixLength?: number;
}

/** Stats options from table properties (`delta.dataSkippingNumIndexedCols`, `delta.dataSkippingStatsColumns`). */
export function statsOptionsFromConfiguration(configuration: Record<string, string>): StatsOptions {
  const cols = configuration["delta.dataSkippingStatsColumns"];
  const num = configuration["delta.dataSkippingNumIndexedCols"];
  return {
    statsColumns: cols ? cols.split(",").map((c) => c.trim().replace(/`/g, "")).filter((c) => c) : undefined,
    numIndexedCols: num !== undefined ? Number(num) : undefined,
  };
}

type JsonObject = { [key: string]: unknown };

const ASCII_MAX = "\u007f";
const UTF8_MAX = "\u{10ffff}";

/** Spark's `truncateMinStringAgg`: a prefix of `len` UTF-16 units, never splitting a surrogate pair. */
export function truncateMinString(s: string, len: number): string {
  if (s.length <= len) return s;
  const hi = s.charCodeAt(len - 1);
  const lo = s.charCodeAt(len);
  const pair = hi >= 0xd800 && hi <= 0xdbff && lo >= 0xdc00 && lo <= 0xdfff;
  return s.slice(0, pair ? len + 1 : len);
}

/**
 * Spark's `truncateMaxStringAgg`: a prefix plus a tie-breaker (U+007F when the cut character is below it, else
 * U+10FFFF) that still sorts at or above the real max in UTF-8 order; null when no such string of at most
 * 2×len units exists.
 */
export function truncateMaxString(s: string, len: number): string | null {
  if (s.length <= len) return s;
  let cur = truncateMinString(s, len).length;
  while (cur <= 2 * len) {
    if (cur >= s.length) return s;
    if (s.slice(cur, cur + 2) === UTF8_MAX) cur += 2;
    else if (s[cur] < ASCII_MAX) return s.slice(0, cur) + ASCII_MAX;
    else return s.slice(0, cur) + UTF8_MAX;
  }
  return null;
}

/** Shortest decimal text that reads back as the same float32 (Java's `Float.toString` style, as JSON). */
function float32Json(f: number): unknown {
  for (let p = 1; p <= 9; p++) {
    const n = Number(f.toPrecision(p));
    if (Math.fround(n) === f) return n;
  }
  return f;
}

function hasMinMax(type: DataType): boolean {
  return typeof type === "string" && type !== "boolean" && type !== "binary" && type !== "void" &&
    type !== "variant";
}

interface Extremes {
  nulls: number;
  min: Value | undefined;
  max: Value | undefined;
  /** A NaN or ±Infinity was seen: no JSON bounds. */
  unorderable: boolean;
}

const HIGH_UNITS = /[\ud800-\uffff]/;

/** Null count and min/max of one column, with a tight loop per kind of value. */
function extremes(type: string, values: readonly (Value | undefined)[], ordered: boolean): Extremes {
  let nulls = 0;
  let min: Value | undefined;
  let max: Value | undefined;
  let unorderable = false;
  const n = values.length;
  if (!ordered) {
    for (let i = 0; i < n; i++) if (values[i] == null) nulls++;
    return { nulls, min, max, unorderable };
  }
  // Key of each value in an order JS compares natively, or null for values compared by a function.
  let key: ((v: Value) => number | bigint | string) | null = null;
  let cmp: ((a: Value, b: Value) => number) | null = null;
  if (type === "string") {
    // UTF-16 order equals UTF-8 (code point) order unless a string holds U+D800…U+FFFF.
    let high = false;
    for (let i = 0; i < n && !high; i++) {
      const v = values[i];
      if (typeof v === "string" && HIGH_UNITS.test(v)) high = true;
    }
    if (high) cmp = (a, b) => compareKeys(a as string, b as string);
    else key = (v) => v as string;
  } else if (type === "timestamp" || type === "timestamp_ntz") key = (v) => (v as Timestamp).epochNanos;
  else if (type === "date") key = (v) => (v as LocalDate).days;
  else if (decimalParts(type as DataType)) {
    const scale = decimalParts(type as DataType)!.scale;
    key = (v) => {
      const d = v as Decimal;
      return d.scale === scale ? d.unscaled : d.rescale(scale, "exact").unscaled;
    };
  } else if (type === "long") key = (v) => (typeof v === "bigint" ? v : BigInt(v as number));
  else key = (v) => v as number;
  let minKey: number | bigint | string | undefined;
  let maxKey: number | bigint | string | undefined;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v == null) {
      nulls++;
      continue;
    }
    if (typeof v === "number" && !Number.isFinite(v)) {
      // NaN and ±Infinity cannot be JSON stats; Spark-compatible readers then see no bounds.
      unorderable = true;
      continue;
    }
    if (cmp) {
      if (min === undefined || cmp(v, min) < 0) min = v;
      if (max === undefined || cmp(v, max) > 0) max = v;
      continue;
    }
    const k = key!(v);
    if (minKey === undefined || k < minKey) {
      minKey = k;
      min = v;
    }
    if (maxKey === undefined || k > maxKey) {
      maxKey = k;
      max = v;
    }
  }
  return { nulls, min, max, unorderable };
}

function floorMillis(t: Timestamp): Timestamp {
  const ms = t.epochNanos >= 0n ? t.epochNanos / 1_000_000n : -((-t.epochNanos + 999_999n) / 1_000_000n);
  return new Timestamp(ms * 1_000_000n, 3, t.zoned);
}

/** `JSON.rawJSON` (V8 ≥ 11.4), not yet in TypeScript's lib: exact number text for int64 and decimals. */
const rawJson = (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON;

/** The JSON stats value of a min or max. */
function statValue(type: string, v: Value): unknown {
  if (typeof v === "bigint") return rawJson(v.toString());
  if (v instanceof Decimal) {
    const dec = decimalParts(type as DataType);
    return rawJson((dec ? v.rescale(dec.scale, "exact") : v).toString());
  }
  if (v instanceof Timestamp) return floorMillis(v).with({ zoned: type === "timestamp" }).toString();
  if (v instanceof LocalDate) return v.toString();
  if (typeof v === "number" && type === "float") return float32Json(v);
  return v;
}

interface Collected {
  min: JsonObject;
  max: JsonObject;
  nulls: JsonObject;
}

/**
 * The `add.stats` JSON string of a data file holding `rows` with the columns `fields` (partition columns
 * excluded). Values must already be valid for their types (as checked by `rowsToRecordBatch`).
 */
export function computeStats(
  fields: readonly StructField[],
  rows: readonly Row[],
  options: StatsOptions = {},
): string {
  const prefixLen = options.stringPrefixLength ?? 32;
  const explicit = options.statsColumns ? new Set(options.statsColumns.map((c) => c.toLowerCase())) : null;
  let budget = explicit
    ? Infinity
    : (options.numIndexedCols ?? 32) < 0
    ? Infinity
    : options.numIndexedCols ?? 32;
  const wanted = (path: string[]) => {
    if (!explicit) return true;
    for (let i = 1; i <= path.length; i++) {
      if (explicit.has(path.slice(0, i).join(".").toLowerCase())) return true;
    }
    return false;
  };

  const walk = (fs: readonly StructField[], columns: (Value | undefined)[][], path: string[]): Collected => {
    const out: Collected = { min: {}, max: {}, nulls: {} };
    fs.forEach((f, fi) => {
      const values = columns[fi];
      const here = [...path, f.name];
      if (typeof f.type === "object" && f.type.type === "struct") {
        const st = f.type;
        const sub = st.fields.map((c) => values.map((v) => (v == null ? null : (v as Row)[c.name])));
        const inner = walk(st.fields, sub, here);
        if (Object.keys(inner.min).length) out.min[f.name] = inner.min;
        if (Object.keys(inner.max).length) out.max[f.name] = inner.max;
        if (Object.keys(inner.nulls).length) out.nulls[f.name] = inner.nulls;
        return;
      }
      if (budget <= 0 || !wanted(here)) return;
      budget--;
      const ordered = hasMinMax(f.type);
      const type = f.type as string;
      const { nulls, min, max, unorderable } = extremes(type, values, ordered);
      out.nulls[f.name] = nulls;
      if (!ordered || unorderable || min === undefined || max === undefined) return;
      if (typeof min === "string" && typeof max === "string") {
        const lo = truncateMinString(min, prefixLen);
        const hi = truncateMaxString(max, prefixLen);
        out.min[f.name] = lo;
        if (hi !== null) out.max[f.name] = hi;
        return;
      }
      out.min[f.name] = statValue(type, min);
      out.max[f.name] = statValue(type, max);
    });
    return out;
  };

  const columns = fields.map((f) => rows.map((r) => r[f.name]));
  const { min, max, nulls } = walk(fields, columns, []);
  return JSON.stringify({ numRecords: rows.length, minValues: min, maxValues: max, nullCount: nulls });
}
