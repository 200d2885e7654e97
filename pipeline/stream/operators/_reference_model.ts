/**
 * The simple reference model operator tests compare with: all events at once, sorted by position, duplicates
 * dropped, replayed naively row by row. Deliberately written without the operators' code paths.
 *
 * @module
 */
import type { TableDef } from "../../catalog/mod.ts";
import type { ChangeEvent } from "../../cdc/change_event.ts";
import { type Row, Timestamp, valuesEqual } from "../../value/mod.ts";

function keyText(def: TableDef, e: ChangeEvent): string {
  return JSON.stringify(def.key.map((k) => String(e.key[k])));
}

/** The events of one table, sorted by position, each (key, position) once. */
export function sortedUnique(def: TableDef, events: readonly ChangeEvent[]): ChangeEvent[] {
  const seen = new Set<string>();
  const out: ChangeEvent[] = [];
  for (const e of events) {
    if (e.table !== def.name) continue;
    const id = keyText(def, e) + "@" + e.position;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(e);
  }
  return out.sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0));
}

function utc(ts: Timestamp): Timestamp {
  return new Timestamp(ts.epochNanos, ts.digits, true);
}

/** The mirror table after replaying every event of `def`'s table in position order. */
export function referenceMirror(def: TableDef, events: readonly ChangeEvent[]): Row[] {
  const rows = new Map<string, Row>();
  for (const e of sortedUnique(def, events)) {
    const k = keyText(def, e);
    if (e.op === "d") rows.delete(k);
    else rows.set(k, { ...e.after, source_position: e.position, source_commit_ts: utc(e.commitTs) });
  }
  return [...rows.values()];
}

/** The SCD2 table after replaying every event of `def`'s table in position order, one change at a time. */
export function referenceScd2(
  def: TableDef,
  events: readonly ChangeEvent[],
  tracked: readonly string[],
): Row[] {
  const versions = new Map<string, Row[]>();
  const cols = def.columns.map((c) => c.name);
  for (const e of sortedUnique(def, events)) {
    const k = keyText(def, e);
    const list = versions.get(k) ?? [];
    versions.set(k, list);
    const current = list.find((v) => v.is_current === true);
    const ts = utc(e.commitTs);
    if (e.op === "d") {
      if (current) {
        Object.assign(current, {
          is_current: false,
          is_deleted: true,
          valid_to: ts,
          source_position: e.position,
        });
      }
      continue;
    }
    const after = e.after!;
    if (current && tracked.every((c) => valuesEqual(current[c], after[c]))) {
      for (const c of cols) current[c] = after[c];
      current.source_position = e.position;
      continue;
    }
    if (current) Object.assign(current, { is_current: false, valid_to: ts });
    const row: Row = {};
    for (const c of cols) row[c] = after[c];
    Object.assign(row, {
      valid_from: ts,
      valid_to: null,
      is_current: true,
      is_deleted: false,
      version: list.length + 1,
      source_position: e.position,
    });
    list.push(row);
  }
  return [...versions.values()].flat();
}

/** order_id → commit time of the last insert not followed by a delete, replaying the orders' events in order. */
export function referenceOrderInsertCommits(
  def: TableDef,
  events: readonly ChangeEvent[],
): Map<number, Timestamp> {
  const out = new Map<number, Timestamp>();
  for (const e of sortedUnique(def, events)) {
    const id = e.key.order_id as number;
    if (e.op === "c") out.set(id, e.commitTs);
    if (e.op === "d") out.delete(id);
  }
  return out;
}
