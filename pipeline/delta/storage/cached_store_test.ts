import assert from "node:assert/strict";
import { CachedStore, FileCache } from "./cached_store.ts";
import { MemoryStore } from "./memory_store.ts";
import type { ByteRange } from "./object_store.ts";
import { objectStoreContract } from "./object_store_contract.ts";

Deno.test("CachedStore passes the ObjectStore contract", async (t) => {
  const cache = new FileCache(1 << 20);
  await objectStoreContract(t, () => Promise.resolve(new CachedStore(new MemoryStore(), cache)));
});

/** A memory store recording the gets that reach it. */
class CountingStore extends MemoryStore {
  gets: string[] = [];
  override get(key: string, range?: ByteRange): Promise<Uint8Array> {
    this.gets.push(key);
    return super.get(key, range);
  }
}

Deno.test("CachedStore answers gets of data files it wrote or read from memory, log files never", async () => {
  const inner = new CountingStore();
  const store = new CachedStore(inner, new FileCache(1 << 20));
  await store.put("p=1/part-0.parquet", new Uint8Array([1, 2, 3, 4]));
  await store.putIfAbsent("_delta_log/00000000000000000000.json", new Uint8Array([5]));
  assert.deepEqual(await store.get("p=1/part-0.parquet"), new Uint8Array([1, 2, 3, 4]));
  assert.deepEqual(await store.get("p=1/part-0.parquet", { offset: 1, length: 2 }), new Uint8Array([2, 3]));
  assert.deepEqual(await store.get("_delta_log/00000000000000000000.json"), new Uint8Array([5]));
  assert.deepEqual(inner.gets, ["_delta_log/00000000000000000000.json"]);
  // A returned copy changed by the caller leaves the cache as it was.
  (await store.get("p=1/part-0.parquet"))[0] = 9;
  assert.deepEqual(await store.get("p=1/part-0.parquet"), new Uint8Array([1, 2, 3, 4]));
  await store.delete("p=1/part-0.parquet");
  await assert.rejects(store.get("p=1/part-0.parquet"), /no such object/);
});

Deno.test("FileCache evicts the least recently used files beyond its budget, and skips a file larger than it", () => {
  const cache = new FileCache(10);
  cache.set("a", new Uint8Array(4));
  cache.set("b", new Uint8Array(4));
  cache.get("a");
  cache.set("c", new Uint8Array(4));
  assert.equal(cache.get("b"), undefined, "b was the least recently used");
  assert.ok(cache.get("a") && cache.get("c"));
  assert.equal(cache.bytes, 8);
  cache.set("huge", new Uint8Array(11));
  assert.equal(cache.get("huge"), undefined);
  assert.equal(cache.bytes, 8);
});
