/**
 * Mirrors: the current state of one source table in the lake, deletes applied.
 *
 * @module
 */
import type { TableDef } from "../../catalog/mod.ts";
import type { ChangeEvent } from "../../cdc/change_event.ts";
import type { Row, Timestamp } from "../../value/mod.ts";
import { EventChecker } from "./event_check.ts";
import { type Key, type KeyCodec, keyCodec, readKey, writeKey } from "./key_codec.ts";
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
import { catalogFields, field, struct } from "./schema_fields.ts";
import { readHeader, restoreFrom, snapshotOf, writeHeader } from "./state_format.ts";
import type { ByteReader, ByteWriter } from "./byte_buffer.ts";

const STATE_KIND = "mirror/1";
const TOMBSTONES_KIND = "mirror-tombstones/1";

/**
 * The lake table mirroring `def`: its columns as in the source (snake_case), then
 * `source_position` (position of the change the row comes from) and `source_commit_ts` (that change's commit
 * time at the source, UTC), both for lineage and for measuring freshness. Keyed like the source.
 */
export function mirrorTable(def: TableDef): OutputTable {
  return {
    name: def.name,
    key: def.key,
    schema: struct([
      ...catalogFields(def),
      field("source_position", "string", false),
      field("source_commit_ts", "timestamp", false),
    ]),
  };
}

/** A commit time as a UTC instant, the type of `timestamp` lake columns. */
export function utc(ts: Timestamp): Timestamp {
  return ts.zoned ? ts : ts.with({ zoned: true });
}

/**
 * Keeps a lake table equal to the current state of a source table: per key the change with the highest source
 * position wins (snapshot reads are upserts); a change older than the one applied, or a repeat of it, is
 * ignored; a delete removes the row and leaves a tombstone (the delete's position) so an older change that
 * arrives later cannot bring the row back.
 *
 * State per key: the winning position (live rows and tombstones). Tombstones are kept for the life of the
 * state.
 */
export class MirrorOperator implements RebuildableOperator {
  readonly name: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly OutputTable[];
  readonly [INPUT_DEFS]: readonly TableDef[];
  readonly #table: string;
  readonly #codec: KeyCodec;
  readonly #checker: EventChecker;
  #live = new Map<Key, string>();
  #deleted = new Map<Key, string>();

  constructor(def: TableDef) {
    this.name = def.name;
    this.#table = def.name;
    this.inputs = [def.name];
    this.outputs = [mirrorTable(def)];
    this.#codec = keyCodec(def.key.map((k) => def.columns.find((c) => c.name === k)!));
    this.#checker = new EventChecker(def);
    this[INPUT_DEFS] = [def];
  }

  /** Number of live rows (the mirror table's row count). */
  get rowCount(): number {
    return this.#live.size;
  }

  apply(events: readonly ChangeEvent[]): TableChanges {
    this.#checker.assertAll(events);
    return this[APPLY_CHECKED](events);
  }

  [APPLY_CHECKED](events: readonly ChangeEvent[]): TableChanges {
    const winners = new Map<Key, ChangeEvent>();
    for (const e of events) {
      if (e.table !== this.#table) continue;
      const k = this.#codec.keyOf(e.key);
      const w = winners.get(k);
      const applied = w?.position ?? this.#live.get(k) ??
        (this.#deleted.size === 0 ? undefined : this.#deleted.get(k));
      if (applied !== undefined && applied >= e.position) continue;
      winners.set(k, e);
    }
    const changes: TableChanges = new Map();
    if (winners.size === 0) return changes;
    const upserts: Row[] = [];
    const deletes: Row[] = [];
    for (const [k, e] of winners) {
      if (e.op === "d") {
        if (this.#live.delete(k)) deletes.push(this.#codec.rowOf(k));
        this.#deleted.set(k, e.position);
      } else {
        if (this.#deleted.size > 0) this.#deleted.delete(k);
        this.#live.set(k, e.position);
        upserts.push({ ...e.after, source_position: e.position, source_commit_ts: utc(e.commitTs) });
      }
    }
    changes.set(this.#table, { upserts, deletes });
    return changes;
  }

  snapshotState(): Uint8Array {
    return snapshotOf(this);
  }

  restore(state: Uint8Array): void {
    restoreFrom(this, state);
  }

  [WRITE_STATE](w: ByteWriter): void {
    writeHeader(w, STATE_KIND, this.name);
    writePositions(w, this.#live);
    writePositions(w, this.#deleted);
  }

  [READ_STATE](r: ByteReader): void {
    readHeader(r, STATE_KIND, this.name);
    const live = readPositions(r);
    this.#deleted = readPositions(r);
    this.#live = live;
  }

  /** Tombstones: the table has no trace of deleted rows. */
  [WRITE_REBUILD_STATE](w: ByteWriter): void {
    writeHeader(w, TOMBSTONES_KIND, this.name);
    writePositions(w, this.#deleted);
  }

  [READ_REBUILD_STATE](r: ByteReader): void {
    readHeader(r, TOMBSTONES_KIND, this.name);
    this.#deleted = readPositions(r);
    this.#live = new Map();
  }

  /**
   * Replaces the state with one rebuilt from the mirror table's own rows, read as they stream in (cheaper than a
   * checkpoint when the table is at hand; only the key and `source_position` of each row are kept). The state
   * changes only once all rows are read. Tombstones already in the state (restored from a checkpoint that left
   * this mirror out, `OperatorSet.restore`) are kept: the table has no trace of deleted rows, and without them a
   * redelivered change older than a delete would bring the row back.
   */
  async rebuildFromRows(rows: Iterable<Row> | AsyncIterable<Row>): Promise<void> {
    const live = new Map<Key, string>();
    for await (const row of rows) {
      const pos = row.source_position;
      if (typeof pos !== "string" || pos === "") {
        throw new TypeError(`Cannot rebuild mirror "${this.name}": a row has no source_position`);
      }
      live.set(this.#codec.keyOf(row), pos);
    }
    for (const k of live.keys()) this.#deleted.delete(k);
    this.#live = live;
  }
}

function writePositions(w: ByteWriter, map: Map<Key, string>): void {
  w.u32(map.size);
  for (const [k, pos] of map) {
    writeKey(w, k);
    w.string(pos);
  }
}

function readPositions(r: ByteReader): Map<Key, string> {
  const map = new Map<Key, string>();
  for (let n = r.u32(); n > 0; n--) map.set(readKey(r), r.string());
  return map;
}
