/**
 * Matching rows by key for upserts and deletes by key: canonical key strings, and file skipping from the
 * first key column's stats (or partition value) so only files that may hold a touched key are read.
 *
 * @module
 */
import { Decimal, LocalDate, type Row, Timestamp, type Value } from "../../value/mod.ts";
import type { AddFile, FileStats } from "../log/actions.ts";
import { decimalParts, type StructType } from "../schema/types.ts";
import { compareKeys } from "../storage/object_key.ts";
import { parsePartitionValue } from "./partition_values.ts";

function canonical(v: Value | undefined, scale: number | null): unknown {
  if (v === undefined || v === null) return null;
  if (typeof v === "bigint") return `n${v}`;
  if (typeof v === "number") return Number.isInteger(v) ? `n${v}` : v;
  if (v instanceof Decimal) return scale === null ? v.toString() : v.rescale(scale, "half-up").toString();
  if (v instanceof Timestamp) return `t${v.epochMicros}`;
  if (v instanceof LocalDate) return `d${v.days}`;
  if (typeof v === "string" || typeof v === "boolean") return v;
  throw new TypeError(`Cannot use a ${v.constructor?.name ?? typeof v} value as a key`);
}

type Ordered = { kind: "bigint"; values: bigint[] } | { kind: "string"; values: string[] } | {
  kind: "days";
  values: number[];
};

/** The keys of a batch of rows and a file filter for them. */
export class KeyIndex {
  readonly columns: readonly string[];
  readonly #scales: (number | null)[];
  readonly #firstType: string;
  readonly #isPartition: boolean;
  readonly #schema: StructType;
  #ordered: Ordered | null = null;

  constructor(schema: StructType, partitionColumns: readonly string[], columns: readonly string[]) {
    if (columns.length === 0) throw new TypeError("Cannot match rows by key: no key columns given");
    this.#scales = columns.map((c) => {
      const f = schema.fields.find((x) => x.name === c);
      if (!f) throw new TypeError(`Cannot match rows by key: column "${c}" is not in the table schema`);
      if (typeof f.type !== "string") {
        throw new TypeError(`Cannot match rows by key: column "${c}" is ${f.type.type}`);
      }
      return decimalParts(f.type)?.scale ?? null;
    });
    this.columns = columns;
    this.#schema = schema;
    this.#firstType = schema.fields.find((x) => x.name === columns[0])!.type as string;
    this.#isPartition = partitionColumns.includes(columns[0]);
  }

  /** The canonical key of a row; a TypeError when a key column is null. */
  keyOf(row: Row): string {
    if (this.columns.length === 1) {
      // One key column (the usual case): its canonical form is the key, no JSON needed.
      const v = canonical(row[this.columns[0]], this.#scales[0]);
      if (v === null) {
        throw new TypeError(`Cannot match rows by key: key column "${this.columns[0]}" is null`);
      }
      return typeof v === "string" ? v : `#${v}`;
    }
    const parts = this.columns.map((c, i) => {
      const v = canonical(row[c], this.#scales[i]);
      if (v === null) {
        throw new TypeError(
          `Cannot match rows by key: key column "${c}" is null in ${JSON.stringify(Object.keys(row))}`,
        );
      }
      return v;
    });
    return JSON.stringify(parts);
  }

  /** Remembers the first key column of `rows` for {@linkcode mayContain}. */
  index(rows: readonly Row[]): void {
    const first = this.columns[0];
    const t = this.#firstType;
    if (t === "long" || t === "integer" || t === "short" || t === "byte") {
      const values = rows.map((r) => BigInt(r[first] as number | bigint)).sort((
        a,
        b,
      ) => (a < b ? -1 : a > b ? 1 : 0));
      this.#ordered = { kind: "bigint", values };
    } else if (t === "string") {
      this.#ordered = { kind: "string", values: rows.map((r) => r[first] as string).sort(compareKeys) };
    } else if (t === "date") {
      this.#ordered = {
        kind: "days",
        values: rows.map((r) => (r[first] as LocalDate).days).sort((a, b) => a - b),
      };
    } else this.#ordered = null;
  }

  /**
   * A cheap test of a row's first key column against the indexed keys (false only when the row certainly has
   * none of them), for scanning a file's key column without building key strings; undefined when the first
   * key column's type has no such test. Null is let through (the key check then reports it).
   */
  prefilter(): { column: string; mayChange(value: Value): boolean } | undefined {
    const o = this.#ordered;
    if (!o) return undefined;
    let set: Set<unknown>;
    let mayChange: (value: Value) => boolean;
    if (o.kind === "bigint") {
      // Long columns decode to bigint, narrower integers to numbers.
      set = new Set<unknown>(this.#firstType === "long" ? o.values : o.values.map(Number));
      mayChange = (v) => (typeof v === "bigint" || typeof v === "number" ? set.has(v) : v == null);
    } else if (o.kind === "string") {
      set = new Set<unknown>(o.values);
      mayChange = (v) => (typeof v === "string" ? set.has(v) : v == null);
    } else {
      set = new Set<unknown>(o.values);
      mayChange = (v) => (v instanceof LocalDate ? set.has(v.days) : v == null);
    }
    return { column: this.columns[0], mayChange };
  }

  /** False only when the file certainly holds none of the indexed keys (by partition value or min/max stats). */
  mayContain(add: AddFile): boolean {
    const o = this.#ordered;
    if (!o) return true;
    const col = this.columns[0];
    let lo: unknown;
    let hi: unknown;
    if (this.#isPartition) {
      const f = this.#schema.fields.find((x) => x.name === col)!;
      const v = parsePartitionValue(f.type, add.partitionValues[col], col);
      if (v === null) return false;
      lo = hi = v instanceof LocalDate ? v.toString() : typeof v === "bigint" ? Number(v) : v;
    } else {
      if (!add.stats) return true;
      const stats = JSON.parse(add.stats) as FileStats;
      lo = stats.minValues?.[col];
      hi = stats.maxValues?.[col];
      if (stats.numRecords === 0) return false;
    }
    if (lo === undefined || hi === undefined || lo === null || hi === null) return true;
    if (o.kind === "bigint") {
      if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi)) return true;
      return anyBetween(
        o.values,
        BigInt(lo as number),
        BigInt(hi as number),
        (a, b) => (a < b ? -1 : a > b ? 1 : 0),
      );
    }
    if (o.kind === "string") {
      if (typeof lo !== "string" || typeof hi !== "string") return true;
      return anyBetween(o.values, lo, hi, compareKeys);
    }
    if (typeof lo !== "string" || typeof hi !== "string") return true;
    return anyBetween(o.values, LocalDate.parse(lo).days, LocalDate.parse(hi).days, (a, b) => a - b);
  }
}

/** Whether the sorted `values` have one in [lo, hi]. */
function anyBetween<T>(values: readonly T[], lo: T, hi: T, cmp: (a: T, b: T) => number): boolean {
  let a = 0;
  let b = values.length;
  while (a < b) {
    const m = (a + b) >> 1;
    if (cmp(values[m], lo) < 0) a = m + 1;
    else b = m;
  }
  return a < values.length && cmp(values[a], hi) <= 0;
}
