import assert from "node:assert/strict";
import { Backoff, sleep } from "./backoff.ts";

Deno.test("Backoff.next() grows exponentially within [cap/2, cap] up to maxMs, and reset() starts over", () => {
  const lows = new Backoff({ initialMs: 100, maxMs: 1000, random: () => 0 });
  assert.deepEqual([1, 2, 3, 4, 5].map(() => lows.next()), [50, 100, 200, 400, 500]);
  const highs = new Backoff({ initialMs: 100, maxMs: 1000, random: () => 0.999999 });
  assert.deepEqual([1, 2, 3, 4, 5].map(() => highs.next()), [100, 200, 400, 800, 1000]);
  assert.equal(highs.attempts, 5);
  highs.reset();
  assert.equal(highs.next(), 100);
});

Deno.test("sleep() rejects with the abort reason as soon as the signal aborts", async () => {
  const ac = new AbortController();
  const t0 = performance.now();
  const p = sleep(10_000, ac.signal);
  ac.abort(new DOMException("stop", "AbortError"));
  await assert.rejects(p, (e) => e instanceof DOMException && e.name === "AbortError");
  assert.ok(performance.now() - t0 < 1000);
  await sleep(1);
});
