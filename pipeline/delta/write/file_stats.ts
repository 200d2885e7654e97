/**
 * Per-file statistics (`add.stats`) exactly as Delta-Spark 3.x writes them (delta-lake.md §6): numRecords,
 * minValues, maxValues, nullCount, following the schema's nesting; min/max only for numbers, decimals, dates,
 * timestamps (truncated to milliseconds) and strings (32-character prefixes with Spark's tie-breaker on the
 * max); nullCount only for booleans, binaries, arrays and maps; stats for the first 32 leaf columns (or the
 * table's `delta.dataSkippingStatsColumns`).
 *
 * @module
 */
import type { Data } from "apache-arrow";
import { Decimal, LocalDate, type Row, Timestamp, type Value } from "../../value/mod.ts";
import { type DataType, decimalParts, type StructField } from "../schema/types.ts";
import { compareKeys } from "../storage/object_key.ts";
import { type BuiltColumn, rowsToColumns } from "./arrow_columns.ts";
import type { PrimitiveColumn } from "./primitive_columns.ts";

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
  min: Value | undefined;
  max: Value | undefined;
  /** A NaN or ±Infinity was seen: no JSON bounds. */
  unorderable: boolean;
}

const HIGH_UNITS = /[\ud800-\uffff]/;
const NONE: Extremes = { min: undefined, max: undefined, unorderable: false };

/** Min and max of a number column's typed array, skipping nulls; unorderable on NaN or ±Infinity. */
function numberExtremes(values: ArrayLike<number>, valid: (i: number) => boolean, n: number): Extremes {
  let min = Infinity;
  let max = -Infinity;
  let seen = false;
  for (let i = 0; i < n; i++) {
    if (!valid(i)) continue;
    const v = values[i];
    if (!Number.isFinite(v)) return { min: undefined, max: undefined, unorderable: true };
    if (v < min) min = v;
    if (v > max) max = v;
    seen = true;
  }
  return seen ? { min, max, unorderable: false } : NONE;
}

/** Min and max of int64 words (every `step`-th element of `words`), skipping nulls. */
function bigintExtremes(
  words: BigInt64Array,
  step: number,
  valid: (i: number) => boolean,
  n: number,
): [bigint, bigint] | null {
  let min = 0n;
  let max = 0n;
  let seen = false;
  for (let i = 0; i < n; i++) {
    if (!valid(i)) continue;
    const v = words[i * step];
    if (!seen) {
      min = max = v;
      seen = true;
    } else if (v < min) min = v;
    else if (v > max) max = v;
  }
  return seen ? [min, max] : null;
}

/**
 * Min and max of one leaf column from its Arrow data (typed arrays, no per-value objects) or, for strings and
 * wide decimals, from its values.
 */
function extremes(type: string, data: Data, values: () => readonly (Value | undefined)[]): Extremes {
  const n = data.length;
  const bitmap = data.nullCount > 0 ? data.nullBitmap : null;
  const valid = bitmap ? (i: number) => (bitmap[i >> 3] & (1 << (i & 7))) !== 0 : () => true;
  const dec = decimalParts(type as DataType);
  if (dec) {
    if (dec.precision <= 18) {
      // Values below 10^18 fit the low int64 word of the 128-bit little-endian decimal.
      const w = data.values as Uint32Array;
      const r = bigintExtremes(new BigInt64Array(w.buffer, w.byteOffset, n * 2), 2, valid, n);
      return r
        ? { min: new Decimal(r[0], dec.scale), max: new Decimal(r[1], dec.scale), unorderable: false }
        : NONE;
    }
    let min: Decimal | undefined;
    let max: Decimal | undefined;
    for (const v of values()) {
      if (!(v instanceof Decimal)) continue;
      const d = v.rescale(dec.scale, "exact");
      if (!min || d.unscaled < min.unscaled) min = d;
      if (!max || d.unscaled > max.unscaled) max = d;
    }
    return { min, max, unorderable: false };
  }
  switch (type) {
    case "byte":
    case "short":
    case "integer":
    case "float":
    case "double":
      return numberExtremes(data.values as ArrayLike<number>, valid, n);
    case "date": {
      const r = numberExtremes(data.values as Int32Array, valid, n);
      if (r.min === undefined) return r;
      return { min: new LocalDate(r.min as number), max: new LocalDate(r.max as number), unorderable: false };
    }
    case "long":
    case "timestamp":
    case "timestamp_ntz": {
      const r = bigintExtremes(data.values as BigInt64Array, 1, valid, n);
      if (!r) return NONE;
      if (type === "long") return { min: r[0], max: r[1], unorderable: false };
      const zoned = type === "timestamp";
      return {
        min: Timestamp.fromMicros(r[0], zoned),
        max: Timestamp.fromMicros(r[1], zoned),
        unorderable: false,
      };
    }
    case "string": {
      const vs = values();
      // UTF-16 order equals UTF-8 (code point) order unless a string holds U+D800…U+FFFF.
      let high = false;
      for (let i = 0; i < vs.length && !high; i++) {
        const v = vs[i];
        if (typeof v === "string" && HIGH_UNITS.test(v)) high = true;
      }
      let min: string | undefined;
      let max: string | undefined;
      for (const v of vs) {
        if (typeof v !== "string") continue;
        if (high) {
          if (min === undefined || compareKeys(v, min) < 0) min = v;
          if (max === undefined || compareKeys(v, max) > 0) max = v;
        } else {
          if (min === undefined || v < min) min = v;
          if (max === undefined || v > max) max = v;
        }
      }
      return { min, max, unorderable: false };
    }
  }
  return NONE;
}

/** PROTOCOL.md: timestamp stats are truncated to milliseconds (floor, also before 1970). */
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
 * excluded). Values must be valid for their types (they are checked while building the Arrow columns).
 */
export function computeStats(
  fields: readonly StructField[],
  rows: readonly Row[],
  options: StatsOptions = {},
): string {
  return statsFromColumns(fields, rowsToColumns([...fields], rows).columns, rows.length, options);
}

/** What the stats need of one column: its null count, its min and max, and its struct children. */
interface StatsColumn {
  nullCount(): number;
  extremes(type: string): Extremes;
  child(index: number, name: string): StatsColumn;
}

function arrowStatsColumn(data: Data, values: () => readonly (Value | undefined)[]): StatsColumn {
  return {
    nullCount: () => data.nullCount,
    extremes: (type) => extremes(type, data, values),
    child: (index, name) =>
      arrowStatsColumn(
        data.children[index],
        () => values().map((v) => (v == null ? null : (v as Row)[name])),
      ),
  };
}

/** The `add.stats` JSON string from the columns built for a data file (see `rowsToColumns`). */
export function statsFromColumns(
  fields: readonly StructField[],
  columns: readonly BuiltColumn[],
  numRecords: number,
  options: StatsOptions = {},
): string {
  return statsJson(fields, columns.map((c) => arrowStatsColumn(c.data, () => c.values)), numRecords, options);
}

/** The stats value of a primitive column's raw min or max (decimals, dates and timestamps as values). */
function rawValue(type: string, v: number | bigint | string): Value {
  const dec = decimalParts(type as DataType);
  if (dec) return new Decimal(BigInt(v), dec.scale);
  if (type === "date") return new LocalDate(v as number);
  if (type === "timestamp" || type === "timestamp_ntz") {
    return Timestamp.fromMicros(v as bigint, type === "timestamp");
  }
  return v;
}

/** The `add.stats` JSON string from the columns of the primitive Parquet path (see `rowsToPrimitiveColumns`). */
export function statsFromPrimitiveColumns(
  fields: readonly StructField[],
  columns: readonly PrimitiveColumn[],
  numRecords: number,
  options: StatsOptions = {},
): string {
  const stats = columns.map((c): StatsColumn => ({
    nullCount: () => c.nullCount,
    extremes: (type) => {
      const e = c.extremes;
      if (!e) return NONE;
      return { min: rawValue(type, e.min), max: rawValue(type, e.max), unorderable: false };
    },
    child: () => {
      throw new TypeError(`Cannot compute stats: column "${c.field.name}" is not a struct`);
    },
  }));
  return statsJson(fields, stats, numRecords, options);
}

function statsJson(
  fields: readonly StructField[],
  columns: readonly StatsColumn[],
  numRecords: number,
  options: StatsOptions,
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

  const walk = (fs: readonly StructField[], cols: readonly StatsColumn[], path: string[]): Collected => {
    const out: Collected = { min: {}, max: {}, nulls: {} };
    fs.forEach((f, fi) => {
      const col = cols[fi];
      const here = [...path, f.name];
      if (typeof f.type === "object" && f.type.type === "struct") {
        const sub = f.type.fields.map((c, ci) => col.child(ci, c.name));
        const inner = walk(f.type.fields, sub, here);
        if (Object.keys(inner.min).length) out.min[f.name] = inner.min;
        if (Object.keys(inner.max).length) out.max[f.name] = inner.max;
        if (Object.keys(inner.nulls).length) out.nulls[f.name] = inner.nulls;
        return;
      }
      if (budget <= 0 || !wanted(here)) return;
      budget--;
      out.nulls[f.name] = col.nullCount();
      if (!hasMinMax(f.type)) return;
      const type = f.type as string;
      const { min, max, unorderable } = col.extremes(type);
      if (unorderable || min === undefined || max === undefined) return;
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

  const { min, max, nulls } = walk(fields, columns, []);
  return JSON.stringify({ numRecords, minValues: min, maxValues: max, nullCount: nulls });
}

/**
 * The `stats` JSON of a file that gets a deletion vector: the same text with `"tightBounds":false` (its min/max
 * may now cover deleted rows only; numRecords stays the physical row count, as the protocol says). Edited as
 * text so int64 bounds beyond 2^53 keep their digits.
 */
export function withLooseBounds(stats: string | null | undefined): string | null | undefined {
  if (!stats) return stats;
  if (/"tightBounds"\s*:/.test(stats)) {
    return stats.replace(/"tightBounds"\s*:\s*true/, '"tightBounds":false');
  }
  const end = stats.lastIndexOf("}");
  if (end < 0) throw new SyntaxError(`Cannot mark stats ${stats} as loose: not a JSON object`);
  const empty = stats.slice(0, end).trimEnd().endsWith("{");
  return `${stats.slice(0, end)}${empty ? "" : ","}"tightBounds":false${stats.slice(end)}`;
}
