/**
 * `customers_scd2`: SCD Type 2 history of a source table, at the level of Databricks AUTO CDC.
 *
 * @module
 */
import type { TableDef } from "../../catalog/mod.ts";
import { catalogTable } from "./catalog_table.ts";
import type { ChangeEvent } from "../../cdc/change_event.ts";
import { type Row, Timestamp } from "../../value/mod.ts";
import { EventChecker } from "./event_check.ts";
import { type Key, type KeyCodec, keyCodec, readKey, writeKey } from "./key_codec.ts";
import { utc } from "./mirror_operator.ts";
import {
  APPLY_CHECKED,
  type CheckedOperator,
  INPUT_DEFS,
  type OutputTable,
  type TableChanges,
} from "./operator.ts";
import {
  byPosition,
  compactHistory,
  decodeHistory,
  encodeHistory,
  foldScd2,
  sameVersion,
  type Scd2Change,
  type Scd2Version,
} from "./scd2_history.ts";
import { catalogFields, field, struct } from "./schema_fields.ts";
import { beginState, openState } from "./state_format.ts";

const STATE_KIND = "scd2/1";
const CUSTOMERS = catalogTable("customers");

/** Options of {@linkcode Scd2Operator}. */
export interface Scd2Options {
  /** Source table. @default the catalog's `customers` */
  source?: TableDef;
  /** Lake table name. @default `<source>_scd2` */
  name?: string;
  /**
   * Columns whose changes open a new version (AUTO CDC `TRACK HISTORY ON`); a change to other columns only
   * (e.g. `updated_at` set by a trigger) updates the current version in place.
   * @default ["name", "email", "phone_number"]
   */
  trackHistoryOn?: readonly string[];
  /**
   * How far (source commit time) a late change may fall behind a key's newest change and still be placed
   * exactly among that key's in-place updates; older in-place updates are compacted away so a key's state does
   * not grow with every `updated_at`-only change. A later change still lands in the right version order, at
   * version granularity. `Infinity` keeps every change.
   * @default 86_400_000 (one day)
   */
  exactLatenessMs?: number;
}

/**
 * The SCD2 lake table of `source`: its columns, then `valid_from`, `valid_to` (null while current),
 * `is_current`, `is_deleted`, `version` (1, 2, … per key) and `source_position` (position of the last change
 * merged into the version). Keyed by the source key plus `version`.
 */
export function scd2Table(source: TableDef = CUSTOMERS, name = `${source.name}_scd2`): OutputTable {
  return {
    name,
    key: [...source.key, "version"],
    schema: struct([
      ...catalogFields(source),
      field("valid_from", "timestamp", false),
      field("valid_to", "timestamp", true),
      field("is_current", "boolean", false),
      field("is_deleted", "boolean", false),
      field("version", "integer", false),
      field("source_position", "string", false),
    ]),
  };
}

/**
 * SCD Type 2 over one source table.
 *
 * Semantics (AUTO CDC `KEYS`, `SEQUENCE BY` position, `STORED AS SCD TYPE 2`, `TRACK HISTORY ON`):
 * - Changes are ordered by source position, never by arrival or processing time; validity times are the
 *   source commit times of the changes that open and close a version (two changes in one source transaction
 *   give an empty interval, still ordered by `version`).
 * - Inserts, updates and snapshot reads are upserts: one that changes a tracked column closes the current
 *   version (`valid_to` = its commit time, `is_current` = false) and opens version n + 1; one that does not
 *   updates the current version in place (no new version).
 * - A delete closes the current version and marks it deleted (`is_current` = false, `is_deleted` = true,
 *   `valid_to` = the delete's commit time); no row is added, so a deleted key has no current row. A later
 *   upsert (re-insert) opens a new version.
 * - A change that arrives late is placed where its position puts it: the neighbouring versions' validity and
 *   all later version numbers are corrected in the same batch's output. A change at a position already applied
 *   for that key is a no-op.
 *
 * State per key: its applied changes in one compact JSON text (kept so a late change can be placed exactly).
 */
export class Scd2Operator implements CheckedOperator {
  readonly name: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly OutputTable[];
  readonly [INPUT_DEFS]: readonly TableDef[];
  readonly #source: string;
  readonly #columns: readonly string[];
  readonly #tracked: readonly string[];
  readonly #horizonNs: bigint | null;
  readonly #codec: KeyCodec;
  readonly #checker: EventChecker;
  #state = new Map<Key, string>();

  constructor(options: Scd2Options = {}) {
    const source = options.source ?? CUSTOMERS;
    const table = scd2Table(source, options.name);
    this.name = table.name;
    this.inputs = [source.name];
    this.outputs = [table];
    this.#source = source.name;
    this.#columns = source.columns.map((c) => c.name);
    this.#tracked = options.trackHistoryOn ?? ["name", "email", "phone_number"];
    const lateness = options.exactLatenessMs ?? 86_400_000;
    if (!(lateness >= 0)) {
      throw new RangeError(`Cannot use exactLatenessMs ${lateness}: it must be 0 or more`);
    }
    this.#horizonNs = Number.isFinite(lateness) ? BigInt(Math.round(lateness)) * 1_000_000n : null;
    for (const col of this.#tracked) {
      if (!this.#columns.includes(col)) {
        throw new RangeError(`Cannot track history on "${col}": "${source.name}" has no such column`);
      }
    }
    this.#codec = keyCodec(source.key.map((k) => source.columns.find((c) => c.name === k)!));
    this.#checker = new EventChecker(source);
    this[INPUT_DEFS] = [source];
  }

  /** Number of keys with history. */
  get keyCount(): number {
    return this.#state.size;
  }

  apply(events: readonly ChangeEvent[]): TableChanges {
    this.#checker.assertAll(events);
    return this[APPLY_CHECKED](events);
  }

  [APPLY_CHECKED](events: readonly ChangeEvent[]): TableChanges {
    const byKey = new Map<Key, ChangeEvent[]>();
    for (const e of events) {
      if (e.table !== this.#source) continue;
      const k = this.#codec.keyOf(e.key);
      const list = byKey.get(k);
      if (list) list.push(e);
      else byKey.set(k, [e]);
    }
    const upserts: Row[] = [];
    const deletes: Row[] = [];
    for (const [k, list] of byKey) {
      const stored = this.#state.get(k);
      const old = stored === undefined ? [] : decodeHistory(stored, this.#columns);
      let merged: Scd2Change[] | null = null;
      for (const e of list) {
        // Histories are short: a scan finds a repeated position without building a set.
        if ((merged ?? old).some((c) => c.position === e.position)) continue;
        (merged ??= [...old]).push({
          position: e.position,
          commitTs: utc(e.commitTs),
          op: e.op,
          row: e.op === "d" ? null : e.after,
        });
      }
      if (merged === null) continue;
      merged.sort(byPosition);
      this.#diff(k, foldScd2(old, this.#tracked), foldScd2(merged, this.#tracked), upserts, deletes);
      const kept = this.#horizonNs === null ? merged : compactHistory(merged, this.#tracked, this.#horizonNs);
      this.#state.set(k, encodeHistory(kept, this.#columns));
    }
    const changes: TableChanges = new Map();
    if (upserts.length > 0 || deletes.length > 0) changes.set(this.name, { upserts, deletes });
    return changes;
  }

  #diff(k: Key, before: Scd2Version[], after: Scd2Version[], upserts: Row[], deletes: Row[]): void {
    for (let i = 0; i < after.length; i++) {
      if (i < before.length && sameVersion(before[i], after[i], this.#columns)) continue;
      upserts.push(this.#row(after[i], i + 1));
    }
    for (let i = after.length; i < before.length; i++) {
      deletes.push({ ...this.#codec.rowOf(k), version: i + 1 });
    }
  }

  #row(v: Scd2Version, version: number): Row {
    const row: Row = {};
    for (const col of this.#columns) row[col] = v.row[col];
    row.valid_from = v.validFrom;
    row.valid_to = v.validTo;
    row.is_current = v.validTo === null;
    row.is_deleted = v.isDeleted;
    row.version = version;
    row.source_position = v.position;
    return row;
  }

  /** What a snapshot depends on besides its changes: columns and tracked columns. */
  #shape(): string {
    return JSON.stringify({ columns: this.#columns, tracked: this.#tracked });
  }

  snapshotState(): Uint8Array {
    const w = beginState(STATE_KIND, this.name).string(this.#shape()).u32(this.#state.size);
    for (const [k, history] of this.#state) {
      writeKey(w, k);
      w.string(history);
    }
    return w.finish();
  }

  restore(state: Uint8Array): void {
    const r = openState(state, STATE_KIND, this.name);
    const shape = r.string();
    if (shape !== this.#shape()) {
      throw new RangeError(
        `Cannot restore state of operator "${this.name}": it was taken with ${shape}, not ${this.#shape()}`,
      );
    }
    const next = new Map<Key, string>();
    for (let n = r.u32(); n > 0; n--) next.set(readKey(r), r.string());
    r.end();
    this.#state = next;
  }

  /**
   * Replaces the state with one rebuilt from the SCD2 table's own rows (cheaper than a snapshot when the table is
   * at hand). Each version becomes one change at its `source_position` and `valid_from`, and a deleted version a
   * delete just after it at its `valid_to`, so the rebuilt state reproduces the table exactly and continues
   * exactly for changes newer than the table's. A late change older than a version's last merged change is
   * placed at version granularity (the merged changes inside a version are not in the table).
   */
  rebuildFromRows(rows: Iterable<Row>): void {
    const byKey = new Map<Key, Row[]>();
    for (const row of rows) {
      const k = this.#codec.keyOf(row);
      const list = byKey.get(k);
      if (list) list.push(row);
      else byKey.set(k, [row]);
    }
    const next = new Map<Key, string>();
    for (const [k, list] of byKey) {
      list.sort((a, b) => (a.version as number) - (b.version as number));
      const changes: Scd2Change[] = [];
      list.forEach((v, i) => {
        const where = `Cannot rebuild "${this.name}" for key ${JSON.stringify(this.#codec.rowOf(k))}`;
        if (v.version !== i + 1) throw new TypeError(`${where}: versions are not 1…${list.length}`);
        const { source_position: position, valid_from: from, valid_to: to } = v;
        if (typeof position !== "string") throw new TypeError(`${where}: a row has no source_position`);
        if (!(from instanceof Timestamp)) throw new TypeError(`${where}: a row has no valid_from`);
        const row: Row = {};
        for (const col of this.#columns) row[col] = v[col];
        changes.push({ position, commitTs: from, op: "u", row });
        if (v.is_deleted === true) {
          if (!(to instanceof Timestamp)) throw new TypeError(`${where}: a deleted version has no valid_to`);
          // The delete's own position is not in the table; "\0" sorts right after the version's position and
          // before any later real position.
          changes.push({ position: position + "\0", commitTs: to, op: "d", row: null });
        }
      });
      next.set(k, encodeHistory(changes, this.#columns));
    }
    this.#state = next;
  }
}
