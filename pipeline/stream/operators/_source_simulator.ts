/**
 * A simulated source database for operator tests and benchmarks: applies inserts, updates, deletes and
 * snapshots to in-memory tables and records the change events a CDC source would emit for them, with
 * increasing source positions and commit times. Also delivers those events the way a real source may:
 * duplicated, reordered and split into batches.
 *
 * @module
 */
import type { TableDef } from "../../catalog/mod.ts";
import { catalogTable } from "./catalog_table.ts";
import type { ChangeEvent, ChangeOp } from "../../cdc/change_event.ts";
import { decimalParts } from "../../delta/schema/types.ts";
import { Decimal, type Row, Timestamp, type Value } from "../../value/mod.ts";
import type { Prng } from "./_prng.ts";

/** The catalog table named `name`. */
export const tableDef = catalogTable;

/** Fixed-width position text that sorts in sequence order. */
export function position(seq: number): string {
  return String(seq).padStart(12, "0");
}

/** Source tables and the change events that produced them. All catalog tables have one integer key column. */
export class SourceSimulator {
  /** Every change event emitted, in source order. */
  readonly events: ChangeEvent[] = [];
  readonly #tables = new Map<string, Map<number, Row>>();
  #seq = 0;
  #nowMs: number;

  constructor(startMs = Date.UTC(2024, 0, 1)) {
    this.#nowMs = startMs;
  }

  /** The source clock: commit time of the next change. */
  get now(): Timestamp {
    return Timestamp.fromMillis(this.#nowMs);
  }

  /** Advances the source clock by `ms` milliseconds (changes between two ticks share a commit time). */
  tick(ms: number): void {
    this.#nowMs += ms;
  }

  /** Current rows of a table. */
  rows(table: string): Row[] {
    return [...(this.#tables.get(table)?.values() ?? [])];
  }

  /** Current row of a table by key value, if any. */
  get(table: string, id: number): Row | undefined {
    return this.#tables.get(table)?.get(id);
  }

  /** Current rows of every table that has had a row, by lake name. */
  contents(): Record<string, Row[]> {
    const out: Record<string, Row[]> = {};
    for (const [name, rows] of this.#tables) out[name] = [...rows.values()];
    return out;
  }

  #table(name: string): Map<number, Row> {
    let t = this.#tables.get(name);
    if (!t) this.#tables.set(name, t = new Map());
    return t;
  }

  #emit(table: string, op: ChangeOp, id: number, before: Row | null, after: Row | null, pos?: string): void {
    const keyCol = tableDef(table).key[0];
    this.events.push({
      table,
      op,
      key: { [keyCol]: id },
      before,
      after,
      position: pos ?? position(++this.#seq),
      commitTs: this.now,
      txId: null,
      snapshot: op === "r",
    });
  }

  /** Loads a row without a change event: it existed before capture began (a snapshot will read it). */
  seed(table: string, row: Row): void {
    this.#table(table).set(row[tableDef(table).key[0]] as number, row);
  }

  /** Inserts a complete row (key column included). */
  insert(table: string, row: Row): void {
    const id = row[tableDef(table).key[0]] as number;
    const t = this.#table(table);
    if (t.has(id)) throw new RangeError(`Row ${id} of "${table}" exists`);
    t.set(id, row);
    this.#emit(table, "c", id, null, row);
  }

  /** Updates columns of an existing row. */
  update(table: string, id: number, patch: Row): void {
    const t = this.#table(table);
    const before = t.get(id);
    if (!before) throw new RangeError(`Row ${id} of "${table}" does not exist`);
    const after = { ...before, ...patch };
    t.set(id, after);
    this.#emit(table, "u", id, before, after);
  }

  delete(table: string, id: number): void {
    const t = this.#table(table);
    const before = t.get(id);
    if (!before) throw new RangeError(`Row ${id} of "${table}" does not exist`);
    t.delete(id);
    this.#emit(table, "d", id, before, null);
  }

  /** Emits a snapshot read of every current row of `table`, all at one new position (as SQL Server does). */
  snapshot(table: string): void {
    const pos = position(++this.#seq);
    for (const [id, row] of this.#table(table)) this.#emit(table, "r", id, null, row, pos);
  }
}

const WORDS = ["alpha", "beta", "gamma", "delta", "~tilde", "Zoë", "北京"];

/**
 * A random row for `def` with key `id`: values from small domains (so updates often repeat values), nulls in
 * nullable columns, timestamps at `now`.
 */
export function randomRow(def: TableDef, id: number, rng: Prng, now: Timestamp): Row {
  const row: Row = {};
  for (const c of def.columns) {
    let v: Value;
    const dec = decimalParts(c.type);
    if (def.key.includes(c.name)) v = id;
    else if (c.nullable && rng.chance(0.2)) v = null;
    else if (dec) v = new Decimal(BigInt(rng.int(100_000)), dec.scale);
    else if (c.type === "integer") v = rng.int(5);
    else if (c.type === "boolean") v = rng.chance(0.5);
    else if (c.type === "timestamp") v = new Timestamp(now.epochNanos, 6, false);
    else v = rng.pick(WORDS);
    row[c.name] = v;
  }
  return row;
}

/**
 * Random inserts, updates, deletes, re-inserts and snapshots of `def`'s table over keys 1…keys, `steps` times.
 */
export function randomHistory(
  sim: SourceSimulator,
  def: TableDef,
  rng: Prng,
  keys: number,
  steps: number,
): void {
  for (let i = 0; i < steps; i++) {
    if (rng.chance(0.3)) sim.tick(rng.int(90_000));
    const id = rng.between(1, keys);
    const row = sim.get(def.name, id);
    if (rng.chance(0.02)) sim.snapshot(def.name);
    else if (!row) sim.insert(def.name, randomRow(def, id, rng, sim.now));
    else if (rng.chance(0.15)) sim.delete(def.name, id);
    else {
      const next = randomRow(def, id, rng, sim.now);
      const patch: Row = {};
      for (const c of def.columns) if (rng.chance(0.4)) patch[c.name] = next[c.name];
      sim.update(def.name, id, patch);
    }
  }
}

/** How {@linkcode deliver} disturbs the event stream. */
export interface DeliveryOptions {
  /** Share of events delivered twice. */
  duplicates: number;
  /** "shuffle": any order; "local": each event moves up to `window` places. */
  order: "shuffle" | "local" | "in-order";
  window?: number;
  /** Largest batch size; batch sizes are uniform in 1…maxBatch. */
  maxBatch: number;
}

/**
 * The events as a source may deliver them: some twice (a redelivery comes after the original, as with
 * at-least-once Kafka consumers and Debezium restarts), reordered, in batches of random sizes.
 */
export function deliver(events: readonly ChangeEvent[], rng: Prng, o: DeliveryOptions): ChangeEvent[][] {
  const n = events.length;
  const placed = events.map((e, i) => ({ e, at: i }));
  events.forEach((e, i) => {
    if (rng.chance(o.duplicates)) placed.push({ e, at: i + 0.5 + rng.next() * (n - i) });
  });
  if (o.order === "local") { for (const p of placed) p.at += rng.next() * (o.window ?? 10); }
  let list = placed.sort((a, b) => a.at - b.at).map((p) => p.e);
  if (o.order === "shuffle") list = rng.shuffle(list);
  const batches: ChangeEvent[][] = [];
  for (let i = 0; i < list.length;) {
    const n = rng.between(1, o.maxBatch);
    batches.push(list.slice(i, i + n));
    i += n;
  }
  return batches;
}
