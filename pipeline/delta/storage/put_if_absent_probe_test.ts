import assert from "node:assert/strict";
import { MemoryStore } from "./memory_store.ts";
import { ensurePutIfAbsent, probePutIfAbsent, PutIfAbsentUnsupportedError } from "./put_if_absent_probe.ts";

/** A real store behind a server that drops the If-None-Match header: putIfAbsent silently overwrites. */
class HeaderDroppingStore extends MemoryStore {
  override putIfAbsent(key: string, bytes: Uint8Array): Promise<void> {
    return this.put(key, bytes);
  }
}

Deno.test("probePutIfAbsent() passes on an honest store and leaves nothing behind", async () => {
  const store = new MemoryStore();
  assert.equal(await probePutIfAbsent(store), true);
  assert.deepEqual(await Array.fromAsync(store.list("")), []);
});

Deno.test("probePutIfAbsent() detects a store that ignores put-if-absent", async () => {
  const store = new HeaderDroppingStore({ url: "s3://old-minio/lake" });
  assert.equal(await probePutIfAbsent(store), false);
  assert.deepEqual(await Array.fromAsync(store.list("")), []);
});

Deno.test("ensurePutIfAbsent() refuses concurrent writing on such a store unless singleWriter is set", async () => {
  const store = new HeaderDroppingStore({ url: "s3://old-minio/lake" });
  await assert.rejects(ensurePutIfAbsent(store), (e: unknown) => {
    assert.ok(e instanceof PutIfAbsentUnsupportedError);
    assert.match(
      e.message,
      /Cannot write concurrently to "s3:\/\/old-minio\/lake": the store ignores put-if-absent/,
    );
    return true;
  });
  await ensurePutIfAbsent(store, { singleWriter: true });
  await ensurePutIfAbsent(new MemoryStore());
});
