import assert from "node:assert/strict";
import { MemorySource } from "../cdc/source/memory_source.ts";
import { assertLakeEquals, expected, history, logOf } from "./_engine_fixture.ts";
import { memoryLake } from "./lake.ts";
import { createLogger } from "./logger.ts";
import { runStream } from "./run_stream.ts";
import { StreamEngine } from "./stream_engine.ts";
import { FencedError } from "./fenced_error.ts";
import type { SourceSpec } from "./source_spec.ts";

const quiet = createLogger({ write: () => {} });

Deno.test("runStream() processes a source and stops when idle", async () => {
  const events = history(21, 80);
  const log = logOf(events);
  const lake = memoryLake();
  const report = await runStream({
    source: {
      kind: "custom",
      name: "memory",
      open: (from) => new MemorySource(log, { from, pollIntervalMs: 1 }),
    },
    lake,
    job: "j",
    exitWhenIdleSeconds: 0.2,
    engine: { maxBatchEvents: 50, idleWaitMs: 20 },
    logger: quiet,
    health: { intervalMs: 10, checkpointEvery: 2 },
  });
  assert.equal(report.stoppedBy, "idle");
  assert.equal(report.events, events.length);
  assert.equal(report.lastBatch, Math.ceil(events.length / 50));
  await assertLakeEquals(lake, expected(events));
});

Deno.test("runStream() stops gracefully on its signal, serving /metrics meanwhile", async () => {
  const events = history(22, 40);
  const log = logOf(events);
  const lake = memoryLake();
  const stop = new AbortController();
  let url = "";
  const logger = createLogger({
    format: "json",
    write: (line) => {
      const j = JSON.parse(line);
      if (j.msg === "metrics served") url = j.url;
    },
  });
  const run = runStream({
    source: {
      kind: "custom",
      name: "memory",
      open: (from) => new MemorySource(log, { from, pollIntervalMs: 1 }),
    },
    lake,
    job: "j",
    metricsPort: 0,
    engine: { idleWaitMs: 20 },
    logger,
    health: false,
    onBatch: () => setTimeout(() => stop.abort(), 30),
  }, stop.signal);
  const report = await run;
  assert.equal(report.stoppedBy, "signal");
  assert.ok(url.endsWith("/metrics"));
  await assertLakeEquals(lake, expected(events));
  // The final state snapshot makes a reopen replay nothing.
  const engine = await StreamEngine.open({
    job: "j",
    lake,
    openSource: (from) => new MemorySource(log, { from }),
  });
  assert.deepEqual(await engine.log.entriesAfter(engine.lastBatch), []);
  await engine.close();
});

/**
 * A source whose first pull lets another instance claim and commit the next batch first, so the instance
 * reading it is stale by the time it claims.
 */
function raced(log: ReturnType<typeof logOf>, lake: ReturnType<typeof memoryLake>): SourceSpec {
  let raced = false;
  return {
    kind: "custom",
    name: "raced memory",
    open: (from) => {
      const source = new MemorySource(log, { from, pollIntervalMs: 1 });
      const next = source.next.bind(source);
      source.next = async (options) => {
        if (!raced) {
          raced = true;
          const other = await StreamEngine.open({
            job: "j",
            lake,
            openSource: (f) => new MemorySource(log, { from: f }),
            instance: "other",
            maxBatchEvents: 30,
            idleWaitMs: 10,
          });
          await other.step();
          await other.close({ saveState: false });
        }
        return await next(options);
      };
      return source;
    },
  };
}

Deno.test("runStream() exits with the FencedError when another instance claimed its next batch", async () => {
  const log = logOf(history(23, 60));
  const lake = memoryLake();
  await assert.rejects(
    runStream({
      source: raced(log, lake),
      lake,
      job: "j",
      logger: quiet,
      health: false,
      engine: { maxBatchEvents: 10, idleWaitMs: 10 },
    }),
    FencedError,
  );
});

Deno.test("runStream() with onFenced recover re-synchronises through recovery and finishes the job", async () => {
  const events = history(24, 60);
  const log = logOf(events);
  const lake = memoryLake();
  const report = await runStream({
    source: raced(log, lake),
    lake,
    job: "j",
    logger: quiet,
    health: false,
    onFenced: "recover",
    exitWhenIdleSeconds: 0.1,
    engine: { maxBatchEvents: 10, idleWaitMs: 10 },
  });
  assert.equal(report.stoppedBy, "idle");
  assert.equal(report.restarts, 1);
  await assertLakeEquals(lake, expected(events));
});

Deno.test("runStream() with ha: a standby waits, takes over when the active instance stops, and finishes the job", async () => {
  const events = history(25, 80);
  const log = logOf(events.slice(0, 150));
  const lake = memoryLake();
  const run = (instance: string) =>
    runStream({
      source: {
        kind: "custom",
        name: "m",
        open: (from) => new MemorySource(log, { from, pollIntervalMs: 1 }),
      },
      lake,
      job: "j",
      logger: quiet,
      health: false,
      ha: { ttlMs: 1000 },
      exitWhenIdleSeconds: 0.3,
      engine: { maxBatchEvents: 40, idleWaitMs: 20, instance },
    });
  const first = run("a");
  await new Promise((r) => setTimeout(r, 50));
  const second = run("b");
  const reportA = await first;
  log.append(...events.slice(150).map((event) => ({ kind: "change" as const, event })));
  const reportB = await second;
  // A slow renewal can let b take over while a still runs; a then stands by: still each event once.
  assert.equal(reportA.events + reportB.events, events.length, "each event processed once, by one of them");
  assert.ok(reportB.events > 0, "the standby took over and processed the rest");
  await assertLakeEquals(lake, expected(events));
});
