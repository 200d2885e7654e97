import assert from "node:assert/strict";
import { formatStatus, RateMeter, StatusLine, type StatusSnapshot } from "./status_line.ts";

const status: StatusSnapshot = {
  job: "j",
  phase: "running",
  lastBatch: 12,
  eventsPerSecond: 4512,
  p50Ms: 200,
  p99Ms: 1500,
  lagSeconds: 0.25,
  quarantined: 1,
};

Deno.test("formatStatus() shows phase, batch, rate, latency, lag and quarantine on one line", () => {
  assert.equal(
    formatStatus(status),
    "lakestream j │ running │ batch 12 │ 4.5k ev/s │ latency p50 200 ms p99 1.5 s │ lag 0.3 s │ quarantined 1",
  );
  assert.match(
    formatStatus({ ...status, p50Ms: null, p99Ms: null, lagSeconds: null }),
    /p50 – p99 – │ lag –/,
  );
});

Deno.test("StatusLine redraws in place, at most every interval, and keeps log lines above it", () => {
  let t = 0;
  const out: string[] = [];
  const line = new StatusLine((s) => out.push(s), { now: () => t, minIntervalMs: 100 });
  line.update(status);
  t = 50;
  line.update({ ...status, lastBatch: 13 });
  assert.equal(out.length, 1, "throttled");
  const log = line.wrap((l) => out.push(`${l}\n`));
  log("hello");
  assert.deepEqual(out.slice(1), ["\r\x1b[2K", "hello\n", formatStatus(status)]);
  line.clear();
  assert.equal(out.at(-1), "\r\x1b[2K");
});

Deno.test("RateMeter gives the rate over its window", () => {
  const m = new RateMeter(1000);
  assert.equal(m.sample(0, 0), 0);
  assert.equal(m.sample(500, 100), 200);
  assert.equal(m.sample(1000, 200), 200);
  assert.equal(m.sample(3000, 200), 0);
});
