/**
 * The current rows of a keyed table, maintained from commits: a commit's removed rows leave, its added rows
 * enter, and what a consumer sees is the net change per key (a file rewrite that keeps a row is no change).
 *
 * @module
 */
import { type Row, valuesEqual } from "../../pipeline/value/mod.ts";
import { textOf } from "./row_values.ts";

/** The net change of one key. */
export interface RowChange {
  key: string;
  before: Row | null;
  after: Row | null;
}

/** Keys as text: `order_id=42` or `customer_id=7,version=2`. */
export function keyText(row: Row, columns: readonly string[]): string {
  return columns.map((c) => `${c}=${textOf(row[c]) ?? "null"}`).join(",");
}

/** A keyed table's current rows. */
export class KeyedRows {
  readonly #rows = new Map<string, Row>();

  constructor(readonly keyColumns: readonly string[]) {
    if (keyColumns.length === 0) throw new TypeError("Cannot index rows: no key columns");
  }

  get size(): number {
    return this.#rows.size;
  }

  get(key: string): Row | undefined {
    return this.#rows.get(key);
  }

  values(): IterableIterator<Row> {
    return this.#rows.values();
  }

  /** Applies one commit's removed and added rows; returns the net change per key, in key order of arrival. */
  apply(removed: readonly Row[], added: readonly Row[]): RowChange[] {
    const before = new Map<string, Row | null>();
    for (const row of removed) {
      const key = keyText(row, this.keyColumns);
      if (!before.has(key)) before.set(key, this.#rows.get(key) ?? null);
      this.#rows.delete(key);
    }
    for (const row of added) {
      const key = keyText(row, this.keyColumns);
      if (!before.has(key)) before.set(key, this.#rows.get(key) ?? null);
      this.#rows.set(key, row);
    }
    const changes: RowChange[] = [];
    for (const [key, old] of before) {
      const now = this.#rows.get(key) ?? null;
      if (old === null && now === null) continue;
      if (old !== null && now !== null && valuesEqual(old, now)) continue;
      changes.push({ key, before: old, after: now });
    }
    return changes;
  }
}
