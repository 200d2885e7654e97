import assert from "node:assert/strict";
import { RateMeter } from "./rate_meter.ts";

Deno.test("RateMeter.rate() is null until two samples at different times exist", () => {
  const meter = new RateMeter(1000);
  assert.equal(meter.rate(), null);
  meter.sample(5, 100);
  assert.equal(meter.rate(), null);
  meter.sample(5, 100);
  assert.equal(meter.rate(), null);
});

Deno.test("RateMeter.rate() measures over the last window only", () => {
  const meter = new RateMeter(1000);
  meter.sample(0, 0);
  meter.sample(1000, 500);
  assert.equal(meter.rate(), 2000);
  // A burst long ago no longer counts: from t=1000 on, 10 per second.
  for (let t = 1000; t <= 3000; t += 250) meter.sample(1000 + (t - 1000) / 100, t);
  assert.equal(meter.rate(), 10);
});

Deno.test("new RateMeter() rejects a window that is not positive", () => {
  assert.throws(() => new RateMeter(0), /Cannot measure a rate over 0 ms: use a window > 0/);
});
