/**
 * In-memory lake tables that apply operator output the way the engine's Delta sink will (upsert by key, delete
 * by key), checking the output contract on the way; for tests and benchmarks.
 *
 * @module
 */
import type { StructField } from "../../delta/schema/types.ts";
import { type Row, rowToJson, valuesEqual } from "../../value/mod.ts";
import type { OutputTable, TableChanges } from "./operator.ts";
import { encodeValue } from "./value_codec.ts";

/** The current rows of each output table. */
export class TableImage {
  readonly #outputs = new Map<string, OutputTable>();
  readonly #tables = new Map<string, Map<string, Row>>();

  constructor(outputs: readonly OutputTable[]) {
    for (const t of outputs) {
      this.#outputs.set(t.name, t);
      this.#tables.set(t.name, new Map());
    }
  }

  #keyOf(t: OutputTable, row: Row): string {
    return JSON.stringify(t.key.map((k) => encodeValue(row[k] ?? null)));
  }

  /**
   * Applies one batch's changes; throws an Error when they break the contract (unknown table, a key twice in
   * one batch, a row that does not match the schema).
   */
  apply(changes: TableChanges): void {
    for (const [name, delta] of changes) {
      const t = this.#outputs.get(name);
      if (!t) throw new Error(`Output for unknown table "${name}"`);
      const table = this.#tables.get(name)!;
      const seen = new Set<string>();
      for (const row of delta.deletes) {
        const k = this.#keyOf(t, row);
        if (seen.has(k)) throw new Error(`Key ${k} twice in one batch of "${name}"`);
        seen.add(k);
        table.delete(k);
      }
      for (const row of delta.upserts) {
        const k = this.#keyOf(t, row);
        if (seen.has(k)) throw new Error(`Key ${k} twice in one batch of "${name}"`);
        seen.add(k);
        checkRow(name, t.schema.fields, row);
        table.set(k, row);
      }
    }
  }

  /** Rows of a table, sorted by key. */
  rows(name: string): Row[] {
    const table = this.#tables.get(name);
    if (!table) throw new Error(`Unknown table "${name}"`);
    return [...table.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
  }
}

function checkRow(table: string, fields: readonly StructField[], row: Row): void {
  const names = Object.keys(row);
  if (names.length !== fields.length || fields.some((f) => !(f.name in row))) {
    throw new Error(
      `Row of "${table}" has columns ${names.join(", ")}; schema: ${fields.map((f) => f.name)}`,
    );
  }
  for (const f of fields) {
    if (row[f.name] === null && !f.nullable) throw new Error(`Row of "${table}" has null in "${f.name}"`);
  }
}

/** Sorts rows by the JSON text of their key columns. */
export function sortRows(rows: Row[], key: readonly string[]): Row[] {
  const k = (r: Row) => JSON.stringify(key.map((c) => encodeValue(r[c] ?? null)));
  return rows.map((r) => [k(r), r] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) =>
    r
  );
}

/** Throws an Error showing the first difference when two row lists (same order) differ by value. */
export function assertSameRows(actual: readonly Row[], expected: readonly Row[], what: string): void {
  const n = Math.max(actual.length, expected.length);
  for (let i = 0; i < n; i++) {
    const a = actual[i];
    const e = expected[i];
    if (a === undefined || e === undefined || !valuesEqual(a, e)) {
      throw new Error(
        `${what}: ${actual.length} rows vs ${expected.length} expected; first difference at row ${i}:\n` +
          `  actual:   ${a ? rowToJson(a) : "(none)"}\n  expected: ${e ? rowToJson(e) : "(none)"}`,
      );
    }
  }
}
