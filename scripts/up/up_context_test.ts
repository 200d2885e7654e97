import assert from "node:assert/strict";
import { createUpContext } from "./up_context.ts";

const io = { line: () => {}, status: null };

Deno.test("createUpContext() stops the duration after markLive()", async () => {
  const ctx = createUpContext({ io, durationSeconds: 0.05 });
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(ctx.stopRequested(), false);
  ctx.markLive();
  ctx.markLive();
  const t0 = performance.now();
  await ctx.sleep(10_000);
  assert.ok(ctx.stopRequested() && !ctx.forced());
  assert.ok(performance.now() - t0 < 5_000);
  ctx.dispose();
});

Deno.test("createUpContext() follows the caller's signals; a forced stop is also a stop", async () => {
  const signal = new AbortController();
  const force = new AbortController();
  const ctx = createUpContext({ io, signal: signal.signal, force: force.signal });
  signal.abort();
  assert.ok(ctx.stopRequested() && !ctx.forced());
  // After a graceful stop, a drain's sleep ignores it and wakes only on the forced stop.
  const draining = ctx.sleep(10_000, false);
  force.abort();
  await draining;
  assert.ok(ctx.forced());
  ctx.dispose();

  const forcedFirst = createUpContext({ io, force: AbortSignal.abort() });
  assert.ok(forcedFirst.stopRequested() && forcedFirst.forced());
  forcedFirst.dispose();
});

Deno.test("UpContext.dispose() removes the duration timer", () => {
  // The test sanitizer fails this test if the 1-hour timer is left behind.
  const ctx = createUpContext({ io, durationSeconds: 3600 });
  ctx.markLive();
  ctx.dispose();
});
