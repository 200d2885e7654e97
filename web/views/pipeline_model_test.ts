import assert from "node:assert/strict";
import type { Row } from "../../pipeline/value/mod.ts";
import { Timestamp } from "../../pipeline/value/mod.ts";
import { PIPELINE_METRICS } from "../../pipeline/stream/pipeline_tables.ts";
import { PipelineModel } from "./pipeline_model.ts";

const NOW = Date.UTC(2026, 4, 1, 12, 30, 0);
const ts = (ms: number) => Timestamp.fromMillis(ms);

/** A `_pipeline_metrics` row as the processor writes it; `latency` null = a batch of quarantined messages only. */
function batch(
  job: string,
  id: number,
  at: number,
  events: number,
  latency: number | null,
  lag: number | null,
): Row {
  return {
    batch_id: BigInt(id),
    job,
    instance: "i-1",
    committed_at: ts(at),
    events: BigInt(events),
    rows_out: BigInt(events),
    quarantined: events === 0 ? 1n : 0n,
    duration_ms: 10n,
    latency_ms: latency === null ? null : BigInt(latency),
    lag_ms: lag === null ? null : BigInt(lag),
    min_source_ts: latency === null ? null : ts(at - latency),
    max_source_ts: lag === null ? null : ts(at - lag),
    tables: "{}",
    replayed: false,
  };
}

Deno.test("batch() rows hold every column of the processor's _pipeline_metrics", () => {
  assert.deepEqual(
    Object.keys(batch("j", 1, NOW, 1, 1, 1)).sort(),
    PIPELINE_METRICS.schema.fields.map((f) => f.name).sort(),
  );
});

Deno.test("PipelineModel skips null latency and lag of quarantine-only batches and keeps the last lag measured", () => {
  const m = new PipelineModel();
  m.addBatches([
    batch("j", 1, NOW - 3000, 100, 300, 80),
    batch("j", 2, NOW - 2000, 50, 100, 40),
    batch("j", 3, NOW - 1000, 0, null, null),
  ]);
  const status = m.status([], NOW, null);
  assert.equal(status.sourceLagMs, 40, "from batch 2: batch 3 measured no lag");
  assert.equal(status.asOf, NOW - 2000 - 40);
  assert.equal(status.eventsPerSecond, Math.round(150 / 60));
  const view = m.view([]);
  assert.deepEqual(view.batches.map((b) => [b.latencyMs, b.lagMs]), [[300, 80], [100, 40], [null, null]]);
  assert.equal(view.latencyP50, 100);
  assert.equal(view.latencyP95, 300);
});

Deno.test("PipelineModel counts only the batches of the job that committed last when several jobs wrote the table", () => {
  const m = new PipelineModel();
  m.addBatches([
    batch("old", 1, NOW - 40_000, 1000, 5000, 4000),
    batch("old", 2, NOW - 30_000, 1000, 5000, 4000),
  ]);
  // The new job starts at batch 1 again, in rows of its own.
  m.addBatches([batch("new", 1, NOW - 20_000, 60, 200, 100), batch("new", 2, NOW - 10_000, 60, 300, 50)]);
  m.addBatches([batch("old", 3, NOW - 25_000, 1000, 5000, 4000)]); // late row of the old job
  const status = m.status([], NOW, null);
  assert.equal(status.eventsPerSecond, Math.round(120 / 60));
  assert.equal(status.sourceLagMs, 50);
  const view = m.view([]);
  assert.deepEqual(view.batches.map((b) => b.at), [NOW - 20_000, NOW - 10_000]);
  assert.equal(view.latencyP95, 300);
});

Deno.test("PipelineModel counts the shards of a sharded job together", () => {
  const m = new PipelineModel();
  m.addBatches([batch("other", 1, NOW - 50_000, 1000, 5000, 4000)]);
  m.addBatches([
    batch("lakestream.sales", 1, NOW - 20_000, 60, 200, 100),
    batch("lakestream.customers_scd2", 1, NOW - 15_000, 40, 400, 300),
    batch("lakestream.sales", 2, NOW - 10_000, 20, 300, 50),
  ]);
  assert.equal(m.status([], NOW, null).eventsPerSecond, Math.round(120 / 60));
  assert.deepEqual(m.view([]).batches.map((b) => b.at), [NOW - 20_000, NOW - 15_000, NOW - 10_000]);
});
