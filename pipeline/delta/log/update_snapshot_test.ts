import assert from "node:assert/strict";
import { MemoryStore } from "../storage/memory_store.ts";
import type { Action, Metadata } from "./actions.ts";
import { commitKey } from "./log_path.ts";
import { loadSnapshot } from "./snapshot.ts";
import { updateSnapshot } from "./update_snapshot.ts";
import { writeCheckpoint } from "../write/checkpoint_write.ts";
import type { ByteRange, ObjectMeta } from "../storage/object_store.ts";

const metadata: Metadata = {
  id: "t",
  format: { provider: "parquet", options: {} },
  schemaString: '{"type":"struct","fields":[{"name":"id","type":"long","nullable":true,"metadata":{}}]}',
  partitionColumns: [],
  configuration: {},
};
const add = (path: string): Action => ({
  add: { path, partitionValues: {}, size: 1, modificationTime: 0, dataChange: true },
});
const bytes = (actions: Action[]) =>
  new TextEncoder().encode(actions.map((a) => JSON.stringify(a)).join("\n"));

/** A MemoryStore that records which keys are read and which listings start where. */
class CountingStore extends MemoryStore {
  gets: string[] = [];
  lists: (string | undefined)[] = [];
  override get(key: string, range?: ByteRange): Promise<Uint8Array> {
    this.gets.push(key);
    return super.get(key, range);
  }
  override list(prefix: string, options: { startAfter?: string } = {}): AsyncIterable<ObjectMeta> {
    this.lists.push(options.startAfter);
    return super.list(prefix, options);
  }
}

Deno.test("updateSnapshot() returns the same snapshot after one listing when nothing changed", async () => {
  const store = new CountingStore({ url: "memory://t" });
  await store.putIfAbsent(
    commitKey(0),
    bytes([{ protocol: { minReaderVersion: 1, minWriterVersion: 2 } }, { metaData: metadata }]),
  );
  const s0 = await loadSnapshot(store);
  store.gets = [];
  store.lists = [];
  const u = await updateSnapshot(store, s0);
  assert.equal(u.snapshot, s0);
  assert.deepEqual(u.commits, []);
  assert.deepEqual(store.gets, []);
  assert.deepEqual(store.lists, ["_delta_log/00000000000000000001"]);
});

Deno.test("updateSnapshot() reads only the new commits and returns their actions", async () => {
  const clock = { now: 1000 };
  const store = new CountingStore({ url: "memory://t", now: () => clock.now });
  await store.putIfAbsent(
    commitKey(0),
    bytes([{ protocol: { minReaderVersion: 1, minWriterVersion: 2 } }, { metaData: metadata }, add("a")]),
  );
  const s0 = await loadSnapshot(store);
  clock.now = 2000;
  await store.putIfAbsent(commitKey(1), bytes([add("b"), { txn: { appId: "app", version: 4 } }]));
  clock.now = 3000;
  await store.putIfAbsent(commitKey(2), bytes([{ remove: { path: "a", dataChange: true } }]));
  store.gets = [];
  const u = await updateSnapshot(store, s0);
  assert.deepEqual(store.gets.sort(), [commitKey(1), commitKey(2)]);
  assert.deepEqual(u.commits.map((c) => [c.version, c.timestamp, c.actions.length]), [[1, 2000, 2], [
    2,
    3000,
    1,
  ]]);
  assert.equal(u.snapshot.version, 2);
  assert.equal(u.snapshot.timestamp, 3000);
  assert.deepEqual(u.snapshot.files.map((f) => f.path), ["b"]);
  assert.equal(u.snapshot.txnVersion("app"), 4);
  assert.equal(u.reloaded, false);
  // The old snapshot is unchanged.
  assert.deepEqual(s0.files.map((f) => f.path), ["a"]);
  assert.equal(s0.version, 0);
});

Deno.test("updateSnapshot() reloads from the checkpoint when the commits after the snapshot were cleaned up", async () => {
  const store = new MemoryStore({ url: "memory://t" });
  await store.putIfAbsent(
    commitKey(0),
    bytes([{ protocol: { minReaderVersion: 1, minWriterVersion: 2 } }, { metaData: metadata }]),
  );
  const s0 = await loadSnapshot(store);
  await store.putIfAbsent(commitKey(1), bytes([add("b")]));
  await store.putIfAbsent(commitKey(2), bytes([add("c")]));
  await writeCheckpoint(store, await loadSnapshot(store));
  await store.delete(commitKey(0));
  await store.delete(commitKey(1));
  const u = await updateSnapshot(store, s0);
  assert.equal(u.reloaded, true);
  assert.deepEqual(u.commits, []);
  assert.equal(u.snapshot.version, 2);
  assert.equal(u.snapshot.checkpointVersion, 2);
  assert.deepEqual(u.snapshot.files.map((f) => f.path).sort(), ["b", "c"]);
});
