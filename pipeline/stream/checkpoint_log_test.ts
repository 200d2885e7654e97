import assert from "node:assert/strict";
import { MemoryStore } from "../delta/storage/memory_store.ts";
import { CheckpointLog, decodeState, encodeState } from "./checkpoint_log.ts";
import { FencedError } from "./fenced_error.ts";
import type { WalEntry } from "./wal_entry.ts";

const entry = (batch: number, instance = "a"): WalEntry => ({
  job: "job",
  batch,
  start: { s: String(batch - 1) },
  end: { s: String(batch) },
  records: 1,
  digest: "00000001",
  instance,
  createdAt: 0,
});

Deno.test("CheckpointLog.claim() lets one instance claim a batch and fences the other", async () => {
  const log = new CheckpointLog(new MemoryStore(), "job");
  const results = await Promise.allSettled([log.claim(entry(1, "a")), log.claim(entry(1, "b"))]);
  assert.equal(results.filter((r) => r.status === "fulfilled").length, 1);
  const lost = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
  assert.ok(lost.reason instanceof FencedError);
  assert.equal(lost.reason.batch, 1);
  assert.match(lost.reason.message, /batch 1 of job "job"/);
});

Deno.test("CheckpointLog.claim() of the same entry again succeeds (retry after an unknown outcome)", async () => {
  const log = new CheckpointLog(new MemoryStore(), "job");
  await log.claim(entry(1));
  await log.claim(entry(1));
  await assert.rejects(log.claim({ ...entry(1), records: 2 }), FencedError);
});

Deno.test("CheckpointLog.entriesAfter() lists later entries in order and rejects gaps", async () => {
  const store = new MemoryStore();
  const log = new CheckpointLog(store, "job");
  for (const b of [1, 2, 3, 4]) await log.claim(entry(b));
  assert.deepEqual((await log.entriesAfter(2)).map((e) => e.batch), [3, 4]);
  assert.deepEqual(await log.entriesAfter(4), []);
  await store.delete("offsets/00000000000000000003.json");
  await assert.rejects(log.entriesAfter(2), /expected WAL entry 3/);
});

Deno.test("CheckpointLog.latestState() follows the pointer, falls back to listing, and is null at first", async () => {
  const store = new MemoryStore();
  const log = new CheckpointLog(store, "job");
  assert.equal(await log.latestState(), null);
  const saved = (batch: number) => ({
    batch,
    checkpoint: { s: String(batch) },
    state: new Uint8Array([batch, 2, 3]),
    rebuild: ["orders"],
    instance: "a",
    createdAt: 5,
  });
  await log.saveState(saved(3));
  await log.saveState(saved(7));
  assert.deepEqual(await log.latestState(), saved(7));
  await store.delete("state/_latest");
  assert.equal((await log.latestState())?.batch, 7);
  await store.delete("state/00000000000000000007.bin");
  await store.put(
    "state/_latest",
    new TextEncoder().encode('{"batch":7,"key":"state/00000000000000000007.bin"}'),
  );
  assert.equal((await log.latestState())?.batch, 3, "a pointer to a missing object is ignored");
});

Deno.test("CheckpointLog.prune() deletes objects of older batches only", async () => {
  const store = new MemoryStore();
  const log = new CheckpointLog(store, "job");
  // Commit markers (`commits/`) are no longer written, but lakes of earlier versions hold some.
  for (const b of [1, 2, 3]) {
    await log.claim(entry(b));
    await store.put(`commits/${String(b).padStart(20, "0")}.json`, new Uint8Array());
    await log.saveState({
      batch: b,
      checkpoint: {},
      state: new Uint8Array(),
      rebuild: [],
      instance: "a",
      createdAt: 0,
    });
  }
  assert.equal(await log.prune(3), 6);
  const keys = (await Array.fromAsync(store.list(""))).map((m) => m.key);
  assert.deepEqual(keys, [
    "commits/00000000000000000003.json",
    "offsets/00000000000000000003.json",
    "state/00000000000000000003.bin",
    "state/_latest",
  ]);
});

Deno.test("decodeState() rejects truncated objects and other jobs' state", () => {
  const bytes = encodeState("job", {
    batch: 1,
    checkpoint: {},
    state: new Uint8Array([9]),
    rebuild: [],
    instance: "a",
    createdAt: 0,
  });
  assert.deepEqual(decodeState(bytes, "job", "x").state, new Uint8Array([9]));
  assert.throws(() => decodeState(bytes.subarray(0, 10), "job", "x"), /truncated/);
  assert.throws(() => decodeState(bytes, "other", "x"), /belongs to job "job"/);
});
