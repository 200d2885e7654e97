/**
 * Patches of the dashboard document, shared by the server (publishing, replay, coalescing) and the client
 * (applying): pure functions, so a resumed or coalesced stream is provably the same as the full one.
 *
 * @module
 */
import type { DashboardDoc, FeedItem, ReplaceTopic, SalesPoint } from "./views.ts";

/** How many feed items a document keeps (older ones fall off). */
export const FEED_LIMIT = 50;

/** A change of the document: whole topics replaced, sales minutes upserted or removed, feed items appended. */
export interface Patch {
  set?: Partial<Pick<DashboardDoc, ReplaceTopic>>;
  /** Window start (ms, as text) → point, or null to remove the minute. */
  sales?: Record<string, SalesPoint | null>;
  /** New feed items, oldest first. */
  feed?: FeedItem[];
}

/** Whether a patch changes nothing. */
export function isEmptyPatch(p: Patch): boolean {
  return Object.keys(p.set ?? {}).length === 0 && Object.keys(p.sales ?? {}).length === 0 &&
    (p.feed ?? []).length === 0;
}

function lastN<T>(items: T[], n: number): T[] {
  return items.length > n ? items.slice(items.length - n) : items;
}

/**
 * The document after `patch`. Unchanged topics keep their identity (so the client's per-topic signals fire
 * only for what changed); the input is never mutated.
 */
export function applyPatch(doc: DashboardDoc, patch: Patch): DashboardDoc {
  const next: DashboardDoc = { ...doc, ...patch.set };
  if (patch.sales && Object.keys(patch.sales).length > 0) {
    const sales = { ...doc.sales };
    for (const [k, v] of Object.entries(patch.sales)) {
      if (v === null) delete sales[k];
      else sales[k] = v;
    }
    next.sales = sales;
  }
  if (patch.feed && patch.feed.length > 0) next.feed = lastN([...doc.feed, ...patch.feed], FEED_LIMIT);
  return next;
}

/** One patch with the effect of `a` then `b` (coalescing for slow clients and replay). */
export function mergePatches(a: Patch, b: Patch): Patch {
  const out: Patch = {};
  if (a.set || b.set) out.set = { ...a.set, ...b.set };
  if (a.sales || b.sales) out.sales = { ...a.sales, ...b.sales };
  if (a.feed || b.feed) out.feed = lastN([...(a.feed ?? []), ...(b.feed ?? [])], FEED_LIMIT);
  return out;
}
