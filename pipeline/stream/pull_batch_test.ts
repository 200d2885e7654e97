import assert from "node:assert/strict";
import type { ChangeSource, NextOptions, SourceBatch } from "../cdc/source/change_source.ts";
import { MemoryLog, MemorySource } from "../cdc/source/memory_source.ts";
import type { SourceRecord } from "../cdc/source_record.ts";
import { Timestamp } from "../value/mod.ts";
import { PendingBatch } from "./pending_batch.ts";
import { pullBatch } from "./pull_batch.ts";

function change(id: number): SourceRecord {
  return {
    kind: "change",
    event: {
      table: "t",
      op: "c",
      key: { id },
      before: null,
      after: { id },
      position: String(id).padStart(5, "0"),
      commitTs: Timestamp.fromMillis(id),
      txId: null,
      snapshot: false,
    },
  };
}

const opts = { maxEvents: 10, maxBatchMs: 50, idleWaitMs: 20, now: () => performance.now() };

Deno.test("pullBatch() stops at maxEvents and resumes where it stopped", async () => {
  const log = new MemoryLog();
  for (let i = 1; i <= 25; i++) log.append(change(i));
  const source = new MemorySource(log);
  const a = await pullBatch(source, opts);
  const b = await pullBatch(source, opts);
  assert.equal(a.size, 10);
  assert.deepEqual(a.checkpoint, { memory: "10" });
  assert.deepEqual(b.checkpoint, { memory: "20" });
  await source.close();
});

Deno.test("pullBatch() returns an empty batch when nothing arrives within the idle wait", async () => {
  const source = new MemorySource(new MemoryLog());
  const t0 = performance.now();
  const batch = await pullBatch(source, opts);
  assert.equal(batch.size, 0);
  assert.ok(performance.now() - t0 >= 15);
  await source.close();
});

/** A source that delivers one record per pull, every `everyMs`. */
class Trickle implements ChangeSource {
  #n = 0;
  constructor(readonly everyMs: number) {}
  async next(options: NextOptions = {}): Promise<SourceBatch> {
    await new Promise((r) => setTimeout(r, Math.min(this.everyMs, options.maxWaitMs ?? 1000)));
    this.#n++;
    return { records: [change(this.#n)], quarantined: [], checkpoint: { s: String(this.#n) } };
  }
  commit(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

Deno.test("pullBatch() closes a batch when the latency budget since its first record is spent", async () => {
  let clock = 0;
  const source = new Trickle(1);
  const batch = await pullBatch(source, {
    maxEvents: 1000,
    maxBatchMs: 5,
    idleWaitMs: 100,
    now: () => clock++,
  });
  // The clock advances 1 ms per reading: the first record at 0, the budget ends at 5.
  assert.ok(batch.size >= 2 && batch.size <= 6, `got ${batch.size}`);
  assert.deepEqual(batch.checkpoint, { s: String(batch.size) });
});

Deno.test("pullBatch() continues a carried batch", async () => {
  const log = new MemoryLog();
  for (let i = 1; i <= 5; i++) log.append(change(i));
  const source = new MemorySource(log);
  const carry = new PendingBatch();
  carry.add({ records: [change(100)], quarantined: [], checkpoint: { other: "1" } }, performance.now());
  const batch = await pullBatch(source, opts, carry);
  assert.equal(batch.size, 6);
  assert.deepEqual(batch.checkpoint, { other: "1", memory: "5" });
  await source.close();
});

Deno.test("pullBatch() returns what it gathered when the signal is aborted", async () => {
  const log = new MemoryLog();
  log.append(change(1), change(2));
  const source = new MemorySource(log);
  const controller = new AbortController();
  setTimeout(() => controller.abort(new Error("stop")), 20);
  const batch = await pullBatch(source, {
    ...opts,
    maxEvents: 100,
    maxBatchMs: 60_000,
    idleWaitMs: 60_000,
    signal: controller.signal,
  });
  assert.equal(batch.size, 2);
  assert.deepEqual(batch.checkpoint, { memory: "2" });
  await source.close();
});
