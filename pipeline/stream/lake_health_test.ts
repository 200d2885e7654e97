import assert from "node:assert/strict";
import { loadSnapshot } from "../delta/log/snapshot.ts";
import { assertLakeEquals, drain, expected, history, logOf, options } from "./_engine_fixture.ts";
import { LakeHealth } from "./lake_health.ts";
import { memoryLake } from "./lake.ts";
import { StreamEngine } from "./stream_engine.ts";
import { StreamMetrics } from "./stream_metrics.ts";

Deno.test("LakeHealth checkpoints, compacts and vacuums the engine's tables while batches go on", async () => {
  const events = history(11, 120);
  const log = logOf(events);
  let clock = Date.UTC(2024, 0, 1);
  const now = () => clock;
  const lake = memoryLake({ now });
  const metrics = new StreamMetrics();
  const engine = await StreamEngine.open(options(lake, log, { maxBatchEvents: 8, now, metrics }));
  const health = new LakeHealth(() => engine.sinks.values(), {
    checkpointEvery: 5,
    compactMinFiles: 4,
    vacuumEveryMs: 3_600_000,
    now,
    metrics,
  });
  for (let i = 0; i < 30; i++) {
    if ((await engine.step()).kind === "idle") break;
    clock += 1000;
    if (i % 5 === 4) await health.runOnce();
  }
  const orders = await loadSnapshot(lake.open("orders"));
  assert.notEqual(orders.checkpointVersion, null, "a checkpoint was written and is used to load the table");
  assert.ok(
    metrics.maintenance.get({ table: "orders", task: "compact", outcome: "done" }) +
        metrics.maintenance.get({ table: "order_items", task: "compact", outcome: "done" }) +
        metrics.maintenance.get({ table: "inventory", task: "compact", outcome: "done" }) > 0,
  );
  // Past the retention, VACUUM removes the files that commits and compaction replaced.
  clock += 8 * 86_400_000;
  await health.runOnce();
  assert.ok(metrics.maintenance.get({ table: "orders", task: "vacuum", outcome: "done" }) === 1);
  await drain(engine);
  await assertLakeEquals(lake, expected(events));
});

Deno.test("LakeHealth.run() works next to a running engine and stops with its signal", async () => {
  const events = history(12, 100);
  const lake = memoryLake();
  const engine = await StreamEngine.open(options(lake, logOf(events), { maxBatchEvents: 6 }));
  const health = new LakeHealth(() => engine.sinks.values(), {
    checkpointEvery: 3,
    compactMinFiles: 3,
    intervalMs: 1,
  });
  const stop = new AbortController();
  const running = health.run(stop.signal);
  await drain(engine);
  stop.abort();
  await running;
  await assertLakeEquals(lake, expected(events));
});

Deno.test("LakeHealth refuses a vacuum retention below 168 hours unless allowed", () => {
  assert.throws(() => new LakeHealth(() => [], { vacuumRetentionHours: 1 }), /168-hour/);
  new LakeHealth(() => [], { vacuumRetentionHours: 1, allowShortRetention: true });
});
