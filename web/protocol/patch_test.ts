import assert from "node:assert/strict";
import { applyPatch, FEED_LIMIT, isEmptyPatch, mergePatches, type Patch } from "./patch.ts";
import { emptyDoc } from "./empty_doc.ts";
import type { FeedItem } from "./views.ts";

function item(n: number): FeedItem {
  return { id: `f${n}`, table: "orders", op: "c", key: `order_id=${n}`, at: n, version: n, fields: [] };
}

Deno.test("applyPatch() replaces, upserts and removes, keeping unchanged topics by identity", () => {
  const doc = emptyDoc();
  const p1: Patch = { sales: { "60000": { t: 60000, orders: 1, units: 2, revenue: 3 } } };
  const d1 = applyPatch(doc, p1);
  assert.equal(d1.kpis, doc.kpis);
  assert.notEqual(d1.sales, doc.sales);
  assert.deepEqual(Object.keys(d1.sales), ["60000"]);
  const d2 = applyPatch(d1, { sales: { "60000": null }, set: { funnel: { stages: [], total: 3 } } });
  assert.deepEqual(d2.sales, {});
  assert.equal(d2.funnel.total, 3);
  assert.deepEqual(Object.keys(d1.sales), ["60000"], "input not mutated");
});

Deno.test("applyPatch() keeps only the newest feed items", () => {
  let doc = emptyDoc();
  for (let i = 0; i < FEED_LIMIT + 5; i++) doc = applyPatch(doc, { feed: [item(i)] });
  assert.equal(doc.feed.length, FEED_LIMIT);
  assert.equal(doc.feed[0].id, "f5");
  assert.equal(doc.feed.at(-1)?.id, `f${FEED_LIMIT + 4}`);
});

Deno.test("mergePatches() has the effect of applying both in order", () => {
  const patches: Patch[] = [
    { sales: { "1": { t: 1, orders: 1, units: 1, revenue: 1 } }, feed: [item(1)] },
    {
      set: { funnel: { stages: [], total: 1 } },
      sales: { "1": null, "2": { t: 2, orders: 2, units: 2, revenue: 2 } },
    },
    {
      set: { funnel: { stages: [], total: 2 } },
      feed: Array.from({ length: FEED_LIMIT }, (_, i) => item(i + 10)),
    },
  ];
  const stepwise = patches.reduce(applyPatch, emptyDoc());
  const merged = applyPatch(emptyDoc(), patches.reduce(mergePatches, {}));
  assert.deepEqual(merged, stepwise);
});

Deno.test("isEmptyPatch() is true only for patches without changes", () => {
  assert.equal(isEmptyPatch({}), true);
  assert.equal(isEmptyPatch({ set: {}, sales: {}, feed: [] }), true);
  assert.equal(isEmptyPatch({ feed: [item(1)] }), false);
});
