/**
 * Checks that change events fit their catalog table before an operator touches its state, so a bad event is
 * reported clearly (and can be quarantined by the engine) instead of corrupting state or a lake table.
 *
 * @module
 */
import type { TableDef } from "../../catalog/mod.ts";
import type { ChangeEvent } from "../../cdc/change_event.ts";
import { decimalParts, type PrimitiveType } from "../../delta/schema/types.ts";
import { Decimal, LocalDate, type Row, Timestamp, type Value, valuesEqual } from "../../value/mod.ts";

type Check = (v: Value) => boolean;

function typeCheck(type: PrimitiveType): Check {
  const dec = decimalParts(type);
  if (dec) {
    const max = 10n ** BigInt(dec.precision);
    // Fits when it has no non-zero digits beyond the column's scale and no more than its precision.
    return (v) => {
      if (!(v instanceof Decimal)) return false;
      let u = v.unscaled;
      if (v.scale < dec.scale) u *= 10n ** BigInt(dec.scale - v.scale);
      else if (v.scale > dec.scale) {
        const div = 10n ** BigInt(v.scale - dec.scale);
        if (u % div !== 0n) return false;
        u /= div;
      }
      return u < max && -u < max;
    };
  }
  switch (type) {
    case "string":
      return (v) => typeof v === "string";
    case "integer":
    case "short":
    case "byte":
      return (v) => Number.isInteger(v);
    case "long":
      return (v) => typeof v === "bigint";
    case "float":
    case "double":
      return (v) => typeof v === "number";
    case "boolean":
      return (v) => typeof v === "boolean";
    case "binary":
      return (v) => v instanceof Uint8Array;
    case "date":
      return (v) => v instanceof LocalDate;
    case "timestamp":
    case "timestamp_ntz":
      return (v) => v instanceof Timestamp;
    default:
      return () => true;
  }
}

function describe(v: Value): string {
  if (v === null) return "null";
  if (typeof v === "string") return `string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + "…" : v)}`;
  if (typeof v === "object") return v.constructor?.name ?? "object";
  return `${typeof v} ${String(v)}`;
}

/** Checks events of one catalog table: op, position, commit time, key, and every column of the row image. */
export class EventChecker {
  readonly #def: TableDef;
  readonly #checks: { name: string; nullable: boolean; type: PrimitiveType; ok: Check }[];
  readonly #keyChecks: { name: string; type: PrimitiveType; ok: Check }[];
  readonly #names: Set<string>;

  constructor(def: TableDef) {
    this.#def = def;
    this.#checks = def.columns.map((c) => ({ ...c, ok: typeCheck(c.type) }));
    this.#keyChecks = def.key.map((k) => this.#checks.find((c) => c.name === k)!);
    this.#names = new Set(def.columns.map((c) => c.name));
  }

  /** Why the event cannot be applied, or null when it can. */
  problem(e: ChangeEvent): string | null {
    const op = e.op;
    if (op !== "c" && op !== "u" && op !== "d" && op !== "r") {
      return `op ${JSON.stringify(op)} is not one of c, u, d, r`;
    }
    if (typeof e.position !== "string" || e.position === "") return "the source position is empty";
    if (!(e.commitTs instanceof Timestamp)) return "the commit time is not a timestamp";
    if (e.key === null || typeof e.key !== "object") return "the key is missing";
    for (const c of this.#keyChecks) {
      const v = e.key[c.name];
      if (v === null || v === undefined || !c.ok(v)) {
        return `key column "${c.name}" expects ${c.type}, got ${describe(v ?? null)}`;
      }
    }
    if (e.op === "d") return null;
    const row = e.after;
    if (row === null || typeof row !== "object") return `op "${e.op}" has no row image`;
    return this.#rowProblem(row, e.key);
  }

  #rowProblem(row: Row, key: Row): string | null {
    for (const c of this.#checks) {
      const v = row[c.name];
      if (v === undefined) return `column "${c.name}" is missing`;
      if (v === null ? !c.nullable : !c.ok(v)) {
        return `column "${c.name}" expects ${c.nullable ? "" : "non-null "}${c.type}, got ${describe(v)}`;
      }
    }
    // Every catalog column is present, so more keys means an unknown column (then find it for the message).
    let n = 0;
    for (const _ in row) n++;
    if (n !== this.#checks.length) {
      for (const name in row) {
        if (!this.#names.has(name)) return `column "${name}" is not in the catalog`;
      }
    }
    for (const { name } of this.#keyChecks) {
      const [a, b] = [row[name], key[name]];
      if (a !== b && !valuesEqual(a, b)) return `key column "${name}" of the row differs from the event key`;
    }
    return null;
  }

  /** Throws a TypeError describing the first event of this table that cannot be applied. */
  assertAll(events: readonly ChangeEvent[]): void {
    for (const e of events) {
      if (e.table !== this.#def.name) continue;
      const p = this.problem(e);
      if (p !== null) {
        throw new TypeError(
          `Cannot apply change at position ${JSON.stringify(e.position)} to "${this.#def.name}": ${p}`,
        );
      }
    }
  }
}
