/**
 * Live feed items from net row changes: an insert, update or delete per key, with the changed columns (or the
 * first columns of an inserted or deleted row) as display text.
 *
 * @module
 */
import type { Row } from "../../pipeline/value/mod.ts";
import { valuesEqual } from "../../pipeline/value/mod.ts";
import type { FeedItem } from "../protocol/mod.ts";
import type { RowChange } from "./keyed_rows.ts";
import { textOf } from "./row_values.ts";

/** Columns that change with every update and say nothing on their own. */
const NOISE = new Set(["updated_at", "source_position", "source_commit_ts"]);
const MAX_FIELDS = 4;
const MAX_TEXT = 60;

function clip(v: string | null): string | null {
  return v !== null && v.length > MAX_TEXT ? `${v.slice(0, MAX_TEXT - 1)}…` : v;
}

function fields(before: Row | null, after: Row | null, key: readonly string[]): FeedItem["fields"] {
  const row = (after ?? before)!;
  const columns = Object.keys(row).filter((c) => !key.includes(c) && !NOISE.has(c));
  const picked = before && after
    ? columns.filter((c) => !valuesEqual(before[c] ?? null, after[c] ?? null))
    : columns;
  return picked.slice(0, MAX_FIELDS).map((column) => ({
    column,
    before: before ? clip(textOf(before[column])) : null,
    after: after ? clip(textOf(after[column])) : null,
  }));
}

/** Feed items for one commit's changes (at most `limit`, the last ones), ids from `nextId`. */
export function feedItems(
  table: string,
  version: number,
  at: number,
  key: readonly string[],
  changes: readonly RowChange[],
  nextId: () => string,
  limit: number,
): FeedItem[] {
  return changes.slice(-limit).map((c) => ({
    id: nextId(),
    table,
    op: c.before === null ? "c" : c.after === null ? "d" : "u",
    key: c.key,
    at,
    version,
    fields: fields(c.before, c.after, key),
  }));
}
