import assert from "node:assert/strict";
import { Prng } from "./_prng.ts";

Deno.test("Prng gives the same sequence for the same seed and stays in range", () => {
  const a = new Prng(42);
  const b = new Prng(42);
  const xs = Array.from({ length: 1000 }, () => a.next());
  assert.deepEqual(xs, Array.from({ length: 1000 }, () => b.next()));
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  assert.notDeepEqual(xs.slice(0, 5), Array.from({ length: 5 }, () => new Prng(43).next()));
  const r = new Prng(1);
  for (let i = 0; i < 1000; i++) {
    const v = r.between(3, 5);
    assert.ok(v >= 3 && v <= 5 && Number.isInteger(v));
  }
  assert.deepEqual(new Prng(7).shuffle([1, 2, 3, 4]).sort(), [1, 2, 3, 4]);
});
