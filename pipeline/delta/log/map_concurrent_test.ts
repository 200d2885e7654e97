import assert from "node:assert/strict";
import { mapConcurrent } from "./map_concurrent.ts";

Deno.test("mapConcurrent() keeps input order and never runs more than the limit at once", async () => {
  let running = 0;
  let peak = 0;
  const out = await mapConcurrent([5, 1, 4, 2, 3], 2, async (x) => {
    running++;
    peak = Math.max(peak, running);
    await new Promise((r) => setTimeout(r, x));
    running--;
    return x * 10;
  });
  assert.deepEqual(out, [50, 10, 40, 20, 30]);
  assert.equal(peak, 2);
});

Deno.test("mapConcurrent() rejects with the first error", async () => {
  await assert.rejects(
    mapConcurrent([1, 2, 3], 2, (x) => x === 2 ? Promise.reject(new Error("boom")) : Promise.resolve(x)),
    { message: "boom" },
  );
  assert.deepEqual(await mapConcurrent([], 4, (x: number) => Promise.resolve(x)), []);
});
