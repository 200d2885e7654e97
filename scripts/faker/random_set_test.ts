import assert from "node:assert/strict";
import { RandomSet } from "./random_set.ts";

Deno.test("RandomSet keeps every item reachable by id and by position after removals", () => {
  const s = new RandomSet<{ id: number; v: string }>();
  for (let i = 1; i <= 5; i++) s.add({ id: i, v: `v${i}` });
  assert.equal(s.remove(2)?.v, "v2");
  assert.equal(s.remove(2), undefined);
  assert.equal(s.size, 4);
  assert.deepEqual([...s.values()].map((x) => x.id).sort(), [1, 3, 4, 5]);
  for (let i = 0; i < s.size; i++) assert.equal(s.get(s.at(i).id), s.at(i));
  s.add({ id: 3, v: "new" });
  assert.equal(s.size, 4);
  assert.equal(s.get(3)?.v, "new");
  assert.throws(() => s.at(4), RangeError);
});
