import assert from "node:assert/strict";
import { MemoryStore } from "./memory_store.ts";
import { objectStoreContract } from "./object_store_contract.ts";

Deno.test("MemoryStore passes the ObjectStore contract", async (t) => {
  await objectStoreContract(t, () => Promise.resolve(new MemoryStore()));
});

Deno.test("MemoryStore.put() copies the bytes, so later changes by the caller do not leak in", async () => {
  const store = new MemoryStore({ now: () => 1234 });
  const bytes = new Uint8Array([1, 2, 3]);
  await store.put("k", bytes);
  bytes[0] = 9;
  assert.deepEqual(await store.get("k"), new Uint8Array([1, 2, 3]));
  assert.equal((await store.head("k"))?.lastModified, 1234);
});
