import assert from "node:assert/strict";
import { eventLatencies, quantile, summarizeLatency } from "./latency.ts";

Deno.test("eventLatencies() spreads a batch's events evenly between its oldest and newest commit", () => {
  const all = eventLatencies([{ events: 4, minTs: 1000, maxTs: 1400, start: 1500, end: 2000 }], 0);
  assert.deepEqual([...all], [650, 750, 850, 950]);
});

Deno.test("summarizeLatency() leaves out batches with events from before the load", () => {
  const s = summarizeLatency([
    { events: 10, minTs: 0, maxTs: 100, start: 150, end: 200 },
    { events: 2, minTs: 1000, maxTs: 1000, start: 1100, end: 1300 },
  ], 500);
  assert.deepEqual(s, { events: 2, batches: 1, p50: 300, p99: 300, max: 300, worstBatch: 300 });
});

Deno.test("quantile() takes the nearest rank", () => {
  const v = Float64Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(quantile(v, 0.5), 50);
  assert.equal(quantile(v, 0.99), 99);
  assert.ok(Number.isNaN(quantile(new Float64Array(), 0.5)));
});
