/**
 * `customers_scd2`: SCD Type 2 history of a source table, at the level of Databricks AUTO CDC.
 *
 * @module
 */
import type { TableDef } from "../../catalog/mod.ts";
import { catalogTable } from "./catalog_table.ts";
import type { ChangeEvent } from "../../cdc/change_event.ts";
import { type JsonValue, type Row, Timestamp } from "../../value/mod.ts";
import { encodeValue } from "./value_codec.ts";
import { EventChecker } from "./event_check.ts";
import { type Key, type KeyCodec, keyCodec, readKey, writeKey } from "./key_codec.ts";
import { utc } from "./mirror_operator.ts";
import {
  APPLY_CHECKED,
  INPUT_DEFS,
  type OutputTable,
  READ_REBUILD_STATE,
  READ_STATE,
  type RebuildableOperator,
  type TableChanges,
  WRITE_REBUILD_STATE,
  WRITE_STATE,
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
import type { ByteReader, ByteWriter } from "./byte_buffer.ts";
import { readHeader, restoreFrom, snapshotOf, writeHeader } from "./state_format.ts";

const STATE_KIND = "scd2/1";
const REBUILD_KIND = "scd2-rebuild/1";
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
 * applied to the version: its last upsert, or the delete that closed it). Keyed by the source key plus
 * `version`.
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
 *   `valid_to` = the delete's commit time, `source_position` = the delete's); no row is added, so a deleted key
 *   has no current row. A later upsert (re-insert) opens a new version.
 * - A change that arrives late is placed where its position puts it: the neighbouring versions' validity and
 *   all later version numbers are corrected in the same batch's output. A change at a position already applied
 *   for that key is a no-op.
 *
 * State per key: its applied changes in one compact JSON text (kept so a late change can be placed exactly).
 */
export class Scd2Operator implements RebuildableOperator {
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
      const floor = old.find((c) => c.op === "f")?.position;
      let merged: Scd2Change[] | null = null;
      for (const e of list) {
        if (floor !== undefined && e.position <= floor) continue;
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
    return snapshotOf(this);
  }

  restore(state: Uint8Array): void {
    restoreFrom(this, state);
  }

  [WRITE_STATE](w: ByteWriter): void {
    writeHeader(w, STATE_KIND, this.name).string(this.#shape()).u32(this.#state.size);
    for (const [k, history] of this.#state) {
      writeKey(w, k);
      w.string(history);
    }
  }

  /** Nothing: the table gives every key's versions and newest position back. */
  [WRITE_REBUILD_STATE](w: ByteWriter): void {
    writeHeader(w, REBUILD_KIND, this.name).string(this.#shape());
  }

  [READ_REBUILD_STATE](r: ByteReader): void {
    readHeader(r, REBUILD_KIND, this.name);
    this.#checkShape(r.string());
    this.#state = new Map();
  }

  #checkShape(shape: string): void {
    if (shape !== this.#shape()) {
      throw new RangeError(
        `Cannot restore state of operator "${this.name}": it was taken with ${shape}, not ${this.#shape()}`,
      );
    }
  }

  [READ_STATE](r: ByteReader): void {
    readHeader(r, STATE_KIND, this.name);
    this.#checkShape(r.string());
    const next = new Map<Key, string>();
    for (let n = r.u32(); n > 0; n--) next.set(readKey(r), r.string());
    this.#state = next;
  }

  /**
   * Replaces the state with one rebuilt from the SCD2 table's own rows, read as they stream in, in any order
   * (cheaper than a checkpoint when the table is at hand). The table reproduces exactly: each version becomes
   * its changes (an upsert at its `source_position` and `valid_from`; for a deleted version an upsert just
   * after the previous version and the delete at its `source_position` and `valid_to`). The newest
   * `source_position` of a key is its floor: changes at or before it count as applied already (Debezium
   * redelivers, and one key's changes arrive in order within a partition), so only newer changes change the
   * table. The state changes only once all rows are read and their versions are 1…n per key.
   */
  async rebuildFromRows(rows: Iterable<Row> | AsyncIterable<Row>): Promise<void> {
    // Per key, its version rows as one JSON array text until all rows are in (rows arrive in any order).
    const pending = new Map<Key, string>();
    for await (const v of rows) {
      const k = this.#codec.keyOf(v);
      const { source_position: position, valid_from: from, valid_to: to, version } = v;
      const problem = typeof position !== "string"
        ? "a row has no source_position"
        : !(from instanceof Timestamp)
        ? "a row has no valid_from"
        : !Number.isInteger(version)
        ? "a row has no version"
        : v.is_deleted === true && !(to instanceof Timestamp)
        ? "a deleted version has no valid_to"
        : null;
      if (problem) throw new TypeError(`${this.#rebuildError(k)}: ${problem}`);
      const record = JSON.stringify([
        version as number,
        position as string,
        encodeValue(from),
        encodeValue(to),
        v.is_deleted === true,
        ...this.#columns.map((c) => encodeValue(v[c])),
      ]);
      const list = pending.get(k);
      pending.set(k, list === undefined ? `[${record}]` : `${list.slice(0, -1)},${record}]`);
    }
    // Each key's records are replaced by its history in place, so the rows never take twice the memory.
    for (const [k, text] of pending) {
      const records = (JSON.parse(text) as JsonValue[][]).sort((a, b) => (a[0] as number) - (b[0] as number));
      if (records.some((r, i) => r[0] !== i + 1)) {
        throw new TypeError(
          `${this.#rebuildError(k)}: versions ${records.map((r) => r[0])} are not 1…${records.length}`,
        );
      }
      // The history text is assembled from the records' already encoded values (the encodeHistory layout).
      const changes: JsonValue[][] = [];
      let previous = "";
      for (const [, position, from, to, deleted, ...values] of records) {
        if (deleted) {
          // The upsert's own position is not in the table; "\0" sorts right after the previous version's
          // position and before any later real position.
          changes.push([previous + "\0", from, "u", ...values], [position, to, "d"]);
        } else changes.push([position, from, "u", ...values]);
        previous = position as string;
      }
      changes.push([previous, changes[0][1], "f"]);
      pending.set(k, JSON.stringify(changes));
    }
    this.#state = pending;
  }

  #rebuildError(k: Key): string {
    return `Cannot rebuild "${this.name}" for key ${JSON.stringify(this.#codec.rowOf(k))}`;
  }
}
