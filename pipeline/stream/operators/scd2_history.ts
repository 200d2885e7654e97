/**
 * SCD Type 2 history of one key: its source changes in position order, folded into versions, and a compact
 * text form of those changes for operator state.
 *
 * @module
 */
import type { ChangeOp } from "../../cdc/change_event.ts";
import { type JsonValue, type Row, type Timestamp, valuesEqual } from "../../value/mod.ts";
import { decodeValue, encodeValue } from "./value_codec.ts";

/**
 * One applied source change of a key; or, with op `"f"` (floor), the newest position of a key rebuilt from its
 * table: changes at or before it were applied before the rebuild.
 */
export interface Scd2Change {
  position: string;
  commitTs: Timestamp;
  op: ChangeOp | "f";
  /** The row image (source columns); null for deletes and floors. */
  row: Row | null;
}

/** One version of a key; its number is its index + 1. */
export interface Scd2Version {
  /** Source columns as of the last change merged into this version. */
  row: Row;
  /** Commit time of the change that opened the version. */
  validFrom: Timestamp;
  /** Commit time of the change that closed it (the next version's opening change or a delete); null while current. */
  validTo: Timestamp | null;
  /** Whether a delete closed it. */
  isDeleted: boolean;
  /** Position of the last change applied to this version: its last upsert, or the delete that closed it. */
  position: string;
}

/**
 * Folds changes (sorted by position, no two at one position) into versions, as Databricks AUTO CDC SCD2 does
 * with `TRACK HISTORY ON tracked`: an upsert whose tracked columns equal the current version's replaces that
 * version's row in place; any other upsert closes the current version and opens a new one (also after a
 * delete: a re-insert); a delete closes the current version and marks it deleted; a delete without a current
 * version changes nothing.
 */
export function foldScd2(changes: readonly Scd2Change[], tracked: readonly string[]): Scd2Version[] {
  const versions: Scd2Version[] = [];
  let open: Scd2Version | null = null;
  for (const c of changes) {
    if (c.op === "f") continue;
    if (c.row === null) {
      if (open) {
        open.validTo = c.commitTs;
        open.isDeleted = true;
        open.position = c.position;
        open = null;
      }
      continue;
    }
    if (open && tracked.every((col) => valuesEqual(open!.row[col], c.row![col]))) {
      open.row = c.row;
      open.position = c.position;
      continue;
    }
    if (open) open.validTo = c.commitTs;
    open = { row: c.row, validFrom: c.commitTs, validTo: null, isDeleted: false, position: c.position };
    versions.push(open);
  }
  return versions;
}

/**
 * Drops the in-place changes that no longer matter: an upsert merged into a version in place is dropped when a
 * later upsert is merged into the same version and its commit time is more than `horizonNs` before the newest
 * commit time of the key. The fold result is unchanged (a version shows its last merged change); only a change
 * that arrives later than the horizon and falls inside such a version is placed at version granularity.
 */
export function compactHistory(
  changes: Scd2Change[],
  tracked: readonly string[],
  horizonNs: bigint,
): Scd2Change[] {
  if (changes.length < 3) return changes;
  let newest = changes[0].commitTs.epochNanos;
  for (const c of changes) if (c.commitTs.epochNanos > newest) newest = c.commitTs.epochNanos;
  const cutoff = newest - horizonNs;
  // inPlace[i]: change i was merged into the version open before it.
  const inPlace = new Array<boolean>(changes.length).fill(false);
  let open: Row | null = null;
  changes.forEach((c, i) => {
    if (c.op === "f") return;
    if (c.row === null) open = null;
    else {
      inPlace[i] = open !== null && tracked.every((col) => valuesEqual(open![col], c.row![col]));
      open = c.row;
    }
  });
  const kept = changes.filter((c, i) => !(inPlace[i] && inPlace[i + 1] && c.commitTs.epochNanos < cutoff));
  return kept.length === changes.length ? changes : kept;
}

/** Whether two versions would give the same lake row. */
export function sameVersion(a: Scd2Version, b: Scd2Version, columns: readonly string[]): boolean {
  return a.position === b.position && a.isDeleted === b.isDeleted &&
    a.validFrom.epochNanos === b.validFrom.epochNanos &&
    (a.validTo === null
      ? b.validTo === null
      : b.validTo !== null && a.validTo.epochNanos === b.validTo.epochNanos) &&
    columns.every((col) => valuesEqual(a.row[col], b.row[col]));
}

/** Compare function ordering changes by source position. */
export function byPosition(a: Scd2Change, b: Scd2Change): number {
  return a.position < b.position ? -1 : a.position > b.position ? 1 : 0;
}

/**
 * The changes as one JSON text: per change `[position, commitTs, op, ...values in column order]`, values in the
 * typed state encoding; deletes carry no values.
 */
export function encodeHistory(changes: readonly Scd2Change[], columns: readonly string[]): string {
  return JSON.stringify(changes.map((c) => {
    const out: JsonValue[] = [c.position, encodeValue(c.commitTs), c.op];
    if (c.row !== null) { for (const col of columns) out.push(encodeValue(c.row[col])); }
    return out;
  }));
}

/** The changes of a text written by {@linkcode encodeHistory} with the same columns. */
export function decodeHistory(text: string, columns: readonly string[]): Scd2Change[] {
  return (JSON.parse(text) as JsonValue[][]).map((a) => {
    const op = a[2] as Scd2Change["op"];
    let row: Row | null = null;
    if (op !== "d" && op !== "f") {
      row = {};
      for (let i = 0; i < columns.length; i++) row[columns[i]] = decodeValue(a[3 + i]);
    }
    return { position: a[0] as string, commitTs: decodeValue(a[1]) as Timestamp, op, row };
  });
}
