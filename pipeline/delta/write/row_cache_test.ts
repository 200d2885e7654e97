import assert from "node:assert/strict";
import { RowCache } from "./row_cache.ts";

Deno.test("RowCache.get() returns the rows set for an id, and undefined for others", () => {
  const cache = new RowCache(100);
  const rows = [{ id: 1n, name: "a" }, { id: 2n, name: "b" }];
  cache.set("s3://b/t/part-1.parquet", rows);
  assert.equal(cache.get("s3://b/t/part-1.parquet"), rows);
  assert.equal(cache.get("s3://b/t/part-2.parquet"), undefined);
  assert.equal(cache.cells, 4);
});

Deno.test("RowCache.set() evicts the least recently used entries past maxCells", () => {
  const cache = new RowCache(6);
  const two = (v: bigint) => [{ id: v }, { id: v + 1n }];
  cache.set("a", two(1n));
  cache.set("b", two(3n));
  cache.set("c", two(5n));
  cache.get("a"); // now the most recently used
  cache.set("d", two(7n));
  assert.equal(cache.get("b"), undefined);
  assert.deepEqual(cache.get("a"), two(1n));
  assert.deepEqual(cache.get("c"), two(5n));
  assert.deepEqual(cache.get("d"), two(7n));
  assert.equal(cache.cells, 6);
});

Deno.test("RowCache.set() keeps nothing larger than the whole budget, and delete() frees cells", () => {
  const cache = new RowCache(3);
  cache.set("big", [{ a: 1, b: 2 }, { a: 3, b: 4 }]);
  assert.equal(cache.get("big"), undefined);
  cache.set("small", [{ a: 1, b: 2 }]);
  cache.set("small", [{ a: 1, b: 3 }]);
  assert.equal(cache.cells, 2);
  cache.delete("small");
  assert.equal(cache.cells, 0);
  assert.throws(() => new RowCache(-1), /Cannot create a row cache of -1 cells/);
});
