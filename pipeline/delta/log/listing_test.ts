import assert from "node:assert/strict";
import { MemoryStore } from "../storage/memory_store.ts";
import type { ObjectMeta } from "../storage/object_store.ts";
import { listLog } from "./listing.ts";
import { commitKey, formatVersion } from "./log_path.ts";

class ListCounter extends MemoryStore {
  calls: string[] = [];
  override list(prefix: string, options: { startAfter?: string } = {}): AsyncIterable<ObjectMeta> {
    this.calls.push(prefix);
    return super.list(prefix, options);
  }
}

async function logWith(versions: number[]): Promise<ListCounter> {
  const store = new ListCounter();
  for (const v of versions) await store.put(commitKey(v), new Uint8Array(1));
  return store;
}

Deno.test("listLog() from a version sees every later commit across 100-version blocks", async () => {
  const store = await logWith(Array.from({ length: 251 }, (_, i) => i));
  const listing = await listLog(store, 150);
  assert.deepEqual(
    [...listing.commits.keys()].sort((a, b) => a - b),
    Array.from({ length: 101 }, (_, i) => 150 + i),
  );
  assert.equal(listing.latestCommit, 250);
  // Blocks 1xx and 2xx; the 2xx block ends before 299, so no third listing.
  assert.deepEqual(store.calls, ["_delta_log/000000000000000001", "_delta_log/000000000000000002"]);
});

Deno.test("listLog() continues into the next block when a block ends exactly at its last version", async () => {
  const store = await logWith(Array.from({ length: 200 }, (_, i) => i));
  const listing = await listLog(store, 120);
  assert.equal(listing.latestCommit, 199);
  assert.equal(store.calls.length, 2);
});

Deno.test("listLog() groups checkpoints: complete multi-part sets only, newest first", async () => {
  const store = await logWith([0, 1, 2, 3]);
  const put = (name: string) => store.put(`_delta_log/${name}`, new Uint8Array(1));
  await put(`${formatVersion(1)}.checkpoint.parquet`);
  await put(`${formatVersion(2)}.checkpoint.0000000001.0000000002.parquet`);
  await put(`${formatVersion(2)}.checkpoint.0000000002.0000000002.parquet`);
  await put(`${formatVersion(3)}.checkpoint.0000000001.0000000002.parquet`);
  await put(`${formatVersion(3)}.checkpoint.1b2c86ab-c775-4122-8aca-71ea355cde97.json`);
  await put(`${formatVersion(0)}.${formatVersion(2)}.compacted.json`);
  const listing = await listLog(store, 0);
  assert.deepEqual(listing.checkpoints.map((c) => [c.version, c.kind, c.keys.length]), [
    [3, "v2", 1],
    [2, "multipart", 2],
    [1, "classic", 1],
  ]);
  assert.deepEqual(listing.compactions.map((c) => [c.start, c.end]), [[0, 2]]);
});
