/**
 * Reading lake tables back for tests: every row of a table, sorted by its key, and a row-by-row comparison
 * that names the first difference.
 *
 * @module
 */
import { loadSnapshot } from "../delta/log/snapshot.ts";
import { scanAll } from "../delta/read/scan.ts";
import type { ObjectStore } from "../delta/storage/object_store.ts";
import { loadSnapshotOrNull } from "../delta/write/run_commit.ts";
import type { StructType } from "../delta/schema/types.ts";
import { type Row, rowToJson, Timestamp, valuesEqual } from "../value/mod.ts";
import { sortRows } from "./operators/_table_image.ts";

/** Every row of the table in `store` sorted by `key` (empty when the table does not exist). */
export async function tableRows(store: ObjectStore, key: readonly string[]): Promise<Row[]> {
  if (!await loadSnapshotOrNull(store)) return [];
  return sortRows(await scanAll(store, await loadSnapshot(store)), key);
}

/** Null when the two sorted row lists are equal by value, else a description of the first difference. */
export function rowsDiffer(actual: readonly Row[], expected: readonly Row[], what: string): string | null {
  const n = Math.max(actual.length, expected.length);
  for (let i = 0; i < n; i++) {
    const a = actual[i];
    const e = expected[i];
    if (a === undefined || e === undefined || !valuesEqual(a, e)) {
      return `${what}: ${actual.length} rows vs ${expected.length} expected; first difference at row ${i}:\n` +
        `  actual:   ${a ? rowToJson(a) : "(none)"}\n  expected: ${e ? rowToJson(e) : "(none)"}`;
    }
  }
  return null;
}

/**
 * Rows as a table of `schema` stores them: `timestamp` values are instants (zoned), `timestamp_ntz` values
 * wall-clock times (not zoned), whatever the zone flag the producer set, and both to the microsecond (Delta's
 * precision).
 */
export function asStored(rows: readonly Row[], schema: StructType): Row[] {
  const zoned = new Map<string, boolean>();
  for (const f of schema.fields) {
    if (f.type === "timestamp" || f.type === "timestamp_ntz") zoned.set(f.name, f.type === "timestamp");
  }
  return rows.map((row) => {
    const out = { ...row };
    for (const [name, z] of zoned) {
      const v = out[name];
      if (v instanceof Timestamp && (v.zoned !== z || v.epochNanos % 1000n !== 0n)) {
        out[name] = new Timestamp(v.epochMicros * 1000n, Math.min(v.digits, 6), z);
      }
    }
    return out;
  });
}
