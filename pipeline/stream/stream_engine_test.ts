import assert from "node:assert/strict";
import type { ChangeEvent } from "../cdc/change_event.ts";
import { quarantineRecord } from "../cdc/quarantine.ts";
import { MemorySource } from "../cdc/source/memory_source.ts";
import type { ChangeSource, SourceBatch, SourceCheckpoint } from "../cdc/source/change_source.ts";
import type { ObjectStore } from "../delta/storage/object_store.ts";
import { optimizeTable } from "../delta/write/optimize_table.ts";
import { Timestamp } from "../value/mod.ts";
import { tableRows } from "./_lake_rows.ts";
import { assertLakeEquals, drain, expected, history, logOf, options } from "./_engine_fixture.ts";
import { FencedError } from "./fenced_error.ts";
import { type Lake, memoryLake } from "./lake.ts";
import { Prng } from "./operators/_prng.ts";
import { PIPELINE_METRICS, QUARANTINE } from "./pipeline_tables.ts";
import { type EngineOptions, StreamEngine } from "./stream_engine.ts";

Deno.test("StreamEngine writes the operators' tables, one commit per changed table per batch", async () => {
  const events = history(1);
  const log = logOf(events);
  const lake = memoryLake();
  const engine = await StreamEngine.open(options(lake, log));
  let batches = 0;
  for (;;) {
    const step = await engine.step();
    if (step.kind === "idle") break;
    batches++;
    assert.ok(step.info.records <= 40, "a batch never exceeds maxBatchEvents");
  }
  await engine.close();
  await assertLakeEquals(lake, expected(events));
  assert.equal(engine.lastBatch, batches);
  assert.equal(batches, Math.ceil(events.length / 40));
  // Every batch wrote one metrics row, and each table's txn is at its last changed batch.
  const metrics = await tableRows(lake.open(PIPELINE_METRICS.name), PIPELINE_METRICS.key);
  assert.deepEqual(
    metrics.map((r) => r.batch_id).sort((x, y) => Number(x) - Number(y)),
    Array.from({ length: batches }, (_, i) => BigInt(i + 1)),
  );
  assert.equal(metrics.reduce((n, r) => n + Number(r.events), 0), events.length);
  const orders = engine.sinks.get("orders")!.snapshot!;
  assert.ok(orders.txnVersion("job")! <= batches);
  assert.equal(orders.properties["delta.enableChangeDataFeed"], "true", "mirrors have CDF on");
  assert.equal(orders.protocol.minWriterVersion, 4);
  const sales = engine.sinks.get("sales_per_minute")!.snapshot!;
  assert.equal(sales.protocol.minWriterVersion, 2, "aggregates have CDF off");
});

Deno.test("StreamEngine after a graceful stop reopens with nothing to replay and continues", async () => {
  const events = history(2);
  const log = logOf(events.slice(0, 200));
  const lake = memoryLake();
  const sources: MemorySource[] = [];
  const open = options(lake, log, {
    openSource: (from) => {
      const s = new MemorySource(log, { from, pollIntervalMs: 1 });
      sources.push(s);
      return s;
    },
  });
  await drain(await StreamEngine.open(open));
  assert.deepEqual(sources[0].committed.at(-1), { memory: "200" }, "the source acknowledged the final state");
  log.append(...events.slice(200).map((event) => ({ kind: "change" as const, event })));
  const engine = await StreamEngine.open(open);
  assert.deepEqual(engine.position, { memory: "200" });
  assert.deepEqual(await engine.log.entriesAfter(engine.lastBatch), []);
  await drain(engine);
  await assertLakeEquals(lake, expected(events));
});

Deno.test("StreamEngine starts with firstBatchEvents and doubles each batch up to maxBatchEvents", async () => {
  const events = history(1);
  const log = logOf(events);
  const lake = memoryLake();
  const engine = await StreamEngine.open(
    options(lake, log, { firstBatchEvents: 5, maxBatchEvents: 40, maxBatchMs: 200 }),
  );
  const sizes: number[] = [];
  for (;;) {
    const step = await engine.step();
    if (step.kind === "idle") break;
    sizes.push(step.info.records);
  }
  await engine.close();
  assert.ok(events.length > 5 + 10 + 20 + 40, `${events.length} events fill the slow start`);
  assert.deepEqual(sizes.slice(0, 5), [5, 10, 20, 40, 40]);
  await assertLakeEquals(lake, expected(events));
});

Deno.test("StreamEngine with a stop signal commits the records gathered so far", async () => {
  const events = history(3);
  const log = logOf(events.slice(0, 10));
  const lake = memoryLake();
  const engine = await StreamEngine.open(options(lake, log, { maxBatchMs: 60_000, maxBatchEvents: 1000 }));
  const stop = new AbortController();
  setTimeout(() => stop.abort(), 50);
  const step = await engine.step(stop.signal);
  assert.equal(step.kind, "batch");
  assert.equal(step.kind === "batch" && step.info.events, 10);
  await engine.close();
  await assertLakeEquals(lake, expected(events.slice(0, 10)));
});

class Crash extends Error {
  override name = "Crash";
}

/** A lake whose stores die after `budget` writes in total (before or after performing the write). */
function crashingLake(lake: Lake, budget: number, rng: Prng): Lake {
  let left = budget;
  const gate = async <T>(write: () => Promise<T>): Promise<T> => {
    if (--left > 0) return await write();
    if (rng.chance(0.5)) await write();
    throw new Crash("crashed");
  };
  return {
    url: lake.url,
    open(path: string): ObjectStore {
      const s = lake.open(path);
      return {
        url: s.url,
        get: (k, r) => s.get(k, r),
        head: (k) => s.head(k),
        list: (p, o) => s.list(p, o),
        put: (k, b) => gate(() => s.put(k, b)),
        putIfAbsent: (k, b) => gate(() => s.putIfAbsent(k, b)),
        delete: (k) => gate(() => s.delete(k)),
      };
    },
  };
}

/**
 * Runs the job to the end, crashing it at random writes: `crashes` times at small write budgets (mid-recovery
 * too), then with budgets it may finish within. Returns how many runs crashed.
 */
async function runWithCrashes(
  lake: Lake,
  log: ReturnType<typeof logOf>,
  rng: Prng,
  crashes: number,
  extra: (rng: Prng) => Partial<EngineOptions> = () => ({}),
): Promise<number> {
  let crashed = 0;
  for (let run = 0;; run++) {
    assert.ok(run < 20 * crashes, "the job finishes");
    const budget = crashed < crashes ? rng.between(1, 40) : rng.between(40, 400);
    try {
      await drain(await StreamEngine.open(options(crashingLake(lake, budget, rng), log, extra(rng))));
      return crashed;
    } catch (e) {
      if (!(e instanceof Crash)) throw e;
      crashed++;
    }
  }
}

Deno.test("StreamEngine killed at random writes (mid-batch, mid-state) ends with the same tables as one run", async () => {
  const events = history(4, 200);
  const log = logOf(events);
  const lake = memoryLake();
  const crashes = await runWithCrashes(
    lake,
    log,
    new Prng(7),
    24,
    (rng) => ({ maxBatchEvents: rng.between(5, 60) }),
  );
  assert.ok(crashes >= 20, `only ${crashes} crashes`);
  await assertLakeEquals(lake, expected(events));
  // Each batch has one metrics row however often it was replayed.
  const metrics = await tableRows(lake.open(PIPELINE_METRICS.name), PIPELINE_METRICS.key);
  assert.equal(new Set(metrics.map((r) => r.batch_id)).size, metrics.length);
});

Deno.test("StreamEngine with deletion vectors, killed at random writes, ends with the same tables as copy-on-write", async () => {
  const events = history(5, 200);
  const log = logOf(events);
  const lake = memoryLake();
  const crashes = await runWithCrashes(lake, log, new Prng(11), 12, () => ({ deletionVectors: true }));
  assert.ok(crashes >= 10, `only ${crashes} crashes`);
  await assertLakeEquals(lake, expected(events));
  const engine = await StreamEngine.open(options(lake, log, { deletionVectors: true }));
  await drain(engine);
  const scd2 = await engine.sinks.get("customers_scd2")!.reload();
  assert.deepEqual(scd2?.protocol.readerFeatures, ["deletionVectors"]);
  assert.ok(scd2!.files.some((f) => f.deletionVector), "closed versions are marked in vectors");
  const metrics = await engine.sinks.get(PIPELINE_METRICS.name)!.reload();
  assert.equal(metrics?.protocol.minReaderVersion, 1, "append-only tables stay at reader version 1");
});

Deno.test("StreamEngine fences a stale instance: only one claims each batch, and the result is that of one", async () => {
  const events = history(5);
  const log = logOf(events);
  const lake = memoryLake();
  const open = (instance: string) => StreamEngine.open(options(lake, log, { instance, maxBatchEvents: 25 }));
  const a = await open("a");
  let b = await open("b");
  await a.step();
  await assert.rejects(b.step(), FencedError, "b read the same range but a claimed batch 1");
  await b.close({ saveState: false });
  // b re-synchronises through recovery (replaying a's batch 1) and becomes the active one.
  b = await open("b");
  assert.equal(b.lastBatch, 1);
  await b.step();
  await assert.rejects(a.step(), FencedError);
  await a.close({ saveState: false });
  await drain(b);
  await assertLakeEquals(lake, expected(events));
});

Deno.test("StreamEngine retries a table's commit on a fresh snapshot after a conflict with compaction", async () => {
  const events = history(6);
  const log = logOf(events);
  const lake = memoryLake();
  const engine = await StreamEngine.open(options(lake, log, { maxBatchEvents: 10 }));
  for (let i = 0; i < 8; i++) await engine.step();
  // Compact the inventory mirror behind the engine's back: its held snapshot now lists removed files.
  const store = lake.open("inventory");
  const optimized = await optimizeTable(store, {});
  assert.notEqual(optimized.version, null);
  await drain(engine);
  await assertLakeEquals(lake, expected(events));
  assert.ok(engine.metrics.conflicts.get({ table: "inventory" }) > 0, "a conflict was retried");
});

Deno.test("StreamEngine quarantines undecodable messages and events the operators reject, and applies the rest", async () => {
  const events = history(8, 40);
  const log = logOf(events.slice(0, 20));
  const at = Timestamp.fromMillis(Date.UTC(2024, 0, 1));
  log.appendQuarantined(
    quarantineRecord({ topic: "t", offset: 7 }, { key: null, value: "{bad" }, new SyntaxError("x"), at),
  );
  const bad: ChangeEvent = {
    ...events[0],
    position: "999999999999",
    after: { ...events[0].after, extra_column: 1 },
  };
  log.append({ kind: "change", event: bad });
  log.append(...events.slice(20).map((event) => ({ kind: "change" as const, event })));
  const lake = memoryLake();
  const engine = await StreamEngine.open(options(lake, log, { maxBatchEvents: 1000 }));
  await drain(engine);
  await assertLakeEquals(lake, expected(events));
  const q = await tableRows(lake.open(QUARANTINE.name), QUARANTINE.key);
  assert.deepEqual(q.map((r) => r.topic).sort(), [`operators:${bad.table}`, "t"]);
  assert.equal(engine.metrics.quarantined.get(), 2);
});

Deno.test("StreamEngine fails recovery naming the job and batch when the source lost a recorded range", async () => {
  const events = history(9, 40);
  const log = logOf(events);
  const lake = memoryLake();
  const engine = await StreamEngine.open(options(lake, log, { stateEveryBatches: 1000, maxBatchEvents: 10 }));
  await engine.step();
  await engine.step();
  // Crash without a state snapshot, then the source loses data.
  log.entries.length = 15;
  await assert.rejects(
    StreamEngine.open(options(lake, log, { replayTimeoutMs: 50 })),
    /Cannot recover job "job": the source returned 5 of the 10 records of batch 2/,
  );
});

Deno.test("StreamEngine keeps the records of ranges the source cannot read again in the WAL and replays them from there", async () => {
  const events = history(10, 60);
  const log = logOf(events);
  const lake = memoryLake();
  // Like a snapshot of live tables: reading the same range again would give other records.
  const openSource = Object.assign((from: SourceCheckpoint | null) => new MemorySource(log, { from }), {
    reproducible: (start: SourceCheckpoint) => Number(start.memory ?? 0) >= 50,
  });
  const engine = await StreamEngine.open(
    options(lake, log, { openSource, maxBatchEvents: 20, stateEveryBatches: 1000 }),
  );
  for (let i = 0; i < 4; i++) await engine.step();
  // Crash with batches 1–4 only in the WAL, then the source loses what it served for them.
  const stored = (await Array.fromAsync(lake.open("_checkpoints/job").list("offsets/"))).map((m) => m.key);
  assert.equal(stored.filter((k) => k.endsWith(".records")).length, 3, "batches 1–3 start below 50");
  const lost = (from: number, to: number) => {
    for (let i = from; i < to; i++) log.entries[i] = { record: { kind: "heartbeat", ts: null } };
  };
  lost(0, 80);
  await assert.rejects(
    StreamEngine.open(options(lake, log, { openSource, replayTimeoutMs: 50 })),
    /other records for batch 4 /,
    "batch 4 is read again from the source",
  );
  for (let i = 60; i < 80; i++) log.entries[i] = { record: { kind: "change", event: events[i] } };
  await drain(await StreamEngine.open(options(lake, log, { openSource })));
  await assertLakeEquals(lake, expected(events));
});

Deno.test("StreamEngine state snapshots leave out what the tables give back, and both kinds restore the same tables", async () => {
  const events = history(26, 120);
  const sizes: Record<string, number> = {};
  for (const stateMode of ["rebuild", "full"] as const) {
    const log = logOf(events.slice(0, 300));
    const lake = memoryLake();
    await drain(await StreamEngine.open(options(lake, log, { stateMode })));
    const states = await Array.fromAsync(lake.open("_checkpoints/job").list("state/"));
    sizes[stateMode] = states.filter((m) => m.key.endsWith(".bin")).at(-1)!.size;
    log.append(...events.slice(300).map((event) => ({ kind: "change" as const, event })));
    const engine = await StreamEngine.open(options(lake, log, { stateMode }));
    await drain(engine);
    await assertLakeEquals(lake, expected(events));
  }
  assert.ok(sizes.rebuild < sizes.full, `rebuild ${sizes.rebuild} B, full ${sizes.full} B`);
});

Deno.test("StreamEngine sets each stream's source lag from its own events, and keeps an idle stream's last value", async () => {
  const events = history(3, 20).slice(0, 8);
  const at = (e: ChangeEvent, ms: number): ChangeEvent => ({ ...e, commitTs: Timestamp.fromMillis(ms) });
  const pulls: SourceBatch[] = [
    // Kafka-like: one pull across two partitions, each record's stream named.
    {
      records: events.slice(0, 4).map((e, i) => ({
        kind: "change",
        event: at(e, i % 2 === 0 ? 98_000 + i : 95_000 + i),
      })),
      quarantined: [],
      checkpoint: { "t/0": "2", "t/1": "2" },
      streams: ["t/0", "t/1", "t/0", "t/1"],
    },
    // A pull without `streams`: its records belong to the one stream its checkpoint names.
    {
      records: events.slice(4, 8).map((e, i) => ({ kind: "change", event: at(e, 107_000 + i) })),
      quarantined: [],
      checkpoint: { "t/0": "6" },
    },
  ];
  let clock = 0;
  const source: ChangeSource = {
    next: () => Promise.resolve(pulls.shift() ?? { records: [], quarantined: [], checkpoint: {} }),
    commit: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
  const engine = await StreamEngine.open({
    ...options(memoryLake(), logOf([])),
    openSource: () => source,
    maxBatchEvents: 4,
    now: () => clock,
  });
  const lag = (stream: string) => engine.metrics.sourceLag.get({ stream });
  clock = 100_000;
  assert.equal((await engine.step()).kind, "batch");
  await engine.saveState(); // waits for the batch's metrics tail
  assert.equal(lag("t/0"), 1.998);
  assert.equal(lag("t/1"), 4.997);
  clock = 110_000;
  assert.equal((await engine.step()).kind, "batch");
  assert.equal((await engine.step()).kind, "idle");
  assert.equal(lag("t/0"), 2.997, "from its own newest event, 107.003 s");
  assert.equal(lag("t/1"), 4.997, "no events from t/1 in batch 2: its last value stays");
  await engine.close();
});
