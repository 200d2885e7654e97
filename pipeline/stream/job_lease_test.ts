import assert from "node:assert/strict";
import { MemoryStore } from "../delta/storage/memory_store.ts";
import { JobLease } from "./job_lease.ts";

Deno.test("JobLease: one of two instances gets the lease, the other waits until it lapses", async () => {
  let clock = 0;
  const now = () => clock;
  const store = new MemoryStore();
  const a = new JobLease(store, { instance: "a", ttlMs: 1000, now });
  const b = new JobLease(store, { instance: "b", ttlMs: 1000, now });
  const [ga, gb] = await Promise.all([a.tryAcquire(), b.tryAcquire()]);
  assert.equal(Number(ga) + Number(gb), 1, "exactly one holds it");
  const [holder, standby] = ga ? [a, b] : [b, a];
  clock = 900;
  assert.ok(await holder.renew());
  clock = 1500;
  assert.equal(await standby.tryAcquire(), false, "renewed 600 ms ago: still held");
  clock = 2000;
  assert.ok(await standby.tryAcquire(), "not renewed for 1100 ms: taken over");
  assert.equal(standby.epoch, 2);
  assert.equal(await holder.renew(), false, "the old holder finds the newer epoch and steps down");
  assert.equal(holder.epoch, null);
});

Deno.test("JobLease.release() lets a standby take over at once", async () => {
  let clock = 0;
  const store = new MemoryStore();
  const a = new JobLease(store, { instance: "a", ttlMs: 60_000, now: () => clock });
  const b = new JobLease(store, { instance: "b", ttlMs: 60_000, now: () => clock });
  assert.ok(await a.tryAcquire());
  assert.equal(await b.tryAcquire(), false);
  await a.release();
  clock = 1;
  assert.ok(await b.tryAcquire());
});

Deno.test("JobLease.acquire() waits as standby and stops with its signal", async () => {
  const store = new MemoryStore();
  const a = new JobLease(store, { instance: "a", ttlMs: 60_000 });
  const b = new JobLease(store, { instance: "b", ttlMs: 200 });
  assert.ok(await a.tryAcquire());
  const stop = new AbortController();
  let waited = false;
  const pending = b.acquire(stop.signal, () => waited = true);
  setTimeout(() => stop.abort(), 120);
  assert.equal(await pending, false);
  assert.ok(waited);
});

Deno.test("JobLease keeps only the last two epochs", async () => {
  let clock = 0;
  const store = new MemoryStore();
  for (let i = 0; i < 5; i++) {
    clock += 100_000;
    assert.ok(await new JobLease(store, { instance: `i${i}`, ttlMs: 10, now: () => clock }).tryAcquire());
  }
  const keys = (await Array.fromAsync(store.list("lease/"))).map((m) => m.key);
  assert.deepEqual(keys, ["lease/00000000000000000004.json", "lease/00000000000000000005.json"]);
});
