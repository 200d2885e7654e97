import assert from "node:assert/strict";
import type {
  ChangeSource,
  NextOptions,
  SourceBatch,
  SourceCheckpoint,
} from "../cdc/source/change_source.ts";
import { MemoryLog, MemorySource } from "../cdc/source/memory_source.ts";
import type { SourceRecord } from "../cdc/source_record.ts";
import { Timestamp } from "../value/mod.ts";
import { PendingBatch } from "./pending_batch.ts";
import { compareCheckpointValues, RangeReader } from "./range_reader.ts";
import type { WalEntry } from "./wal_entry.ts";

function change(table: string, n: number): SourceRecord {
  return {
    kind: "change",
    event: {
      table,
      op: "c",
      key: { id: n },
      before: null,
      after: { id: n },
      position: `${table}/${String(n).padStart(6, "0")}`,
      commitTs: Timestamp.fromMillis(n),
      txId: null,
      snapshot: false,
    },
  };
}

/** Several streams (like Kafka partitions) whose pulls interleave differently on every read. */
class Streams implements ChangeSource {
  readonly #next: Map<string, number>;
  #seed: number;
  constructor(readonly data: Record<string, SourceRecord[]>, from: SourceCheckpoint, seed: number) {
    this.#next = new Map(Object.keys(data).map((s) => [s, Number(from[s] ?? 0)]));
    this.#seed = seed;
  }
  #random(): number {
    this.#seed = (Math.imul(this.#seed, 1103515245) + 12345) >>> 0;
    return this.#seed / 2 ** 32;
  }
  next(options: NextOptions = {}): Promise<SourceBatch> {
    const batch: SourceBatch = { records: [], quarantined: [], checkpoint: {} };
    const max = options.maxRecords ?? 10;
    while (batch.records.length < max) {
      const open = [...this.#next].filter(([s, n]) => n < this.data[s].length);
      if (open.length === 0) break;
      const [s, n] = open[Math.floor(this.#random() * open.length)];
      batch.records.push(this.data[s][n]);
      this.#next.set(s, n + 1);
      batch.checkpoint[s] = String(n + 1);
      if (this.#random() < 0.3) break;
    }
    return Promise.resolve(batch);
  }
  commit(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** Reads `source` into WAL entries the way the engine records them. */
async function record(
  source: ChangeSource,
  sizes: number[],
): Promise<{ entries: WalEntry[]; sets: string[][] }> {
  const entries: WalEntry[] = [];
  const sets: string[][] = [];
  let position: SourceCheckpoint = {};
  for (const [i, size] of sizes.entries()) {
    const b = new PendingBatch();
    while (b.size < size) b.add(await source.next({ maxRecords: size - b.size, maxWaitMs: 10 }), 0);
    const end = { ...position, ...b.checkpoint };
    entries.push({
      job: "j",
      batch: i + 1,
      start: position,
      end,
      records: b.size,
      digest: b.digest.value,
      instance: "x",
      createdAt: 0,
    });
    sets.push(b.records.map((r) => r.kind === "change" ? r.event.position : "").sort());
    position = end;
  }
  return { entries, sets };
}

Deno.test("RangeReader reads back each entry's records from a multi-stream source that interleaves differently", async () => {
  const data = {
    "t/0": Array.from({ length: 40 }, (_, i) => change("a", i)),
    "t/1": Array.from({ length: 30 }, (_, i) => change("b", i)),
    "t/2": Array.from({ length: 20 }, (_, i) => change("c", i)),
  };
  const { entries, sets } = await record(new Streams(data, {}, 1), [7, 13, 20, 5, 11]);
  // Recover from after entry 1: the source restarts at entry 1's end.
  const reader = new RangeReader(new Streams(data, entries[0].end, 99), "j", entries.slice(1));
  for (let i = 1; i < entries.length; i++) {
    const got = await reader.read();
    assert.deepEqual(got.records.map((r) => r.kind === "change" ? r.event.position : "").sort(), sets[i]);
  }
  const overflow = reader.takeOverflow();
  const rest = new Streams(data, entries[entries.length - 1].end, 5);
  const after = new Set<string>();
  for (;;) {
    const b = await rest.next({ maxRecords: 100 });
    if (b.records.length === 0) break;
    for (const r of b.records) if (r.kind === "change") after.add(r.event.position);
  }
  // Records read past the last entry are kept for the next batch: exactly records after the last range.
  for (const r of overflow.records) assert.ok(r.kind === "change" && after.has(r.event.position));
});

Deno.test("RangeReader with multiStream reads back entries that name one stream while the source has several", async () => {
  // The first batches held only partition t/0 (its records were fetched first); re-read from the start, the
  // source interleaves t/1 too: counting records would mix them in.
  const data = {
    "t/0": Array.from({ length: 30 }, (_, i) => change("a", i)),
    "t/1": Array.from({ length: 30 }, (_, i) => change("b", i)),
  };
  const first = new Streams({ "t/0": data["t/0"] }, {}, 1);
  const { entries, sets } = await record(first, [10, 10]);
  const reader = new RangeReader(new Streams(data, {}, 7), "j", entries, { multiStream: true });
  for (let i = 0; i < entries.length; i++) {
    const got = await reader.read();
    assert.deepEqual(got.records.map((r) => r.kind === "change" ? r.event.position : "").sort(), sets[i]);
  }
  assert.ok(reader.takeOverflow().records.every((r) => r.kind === "change" && r.event.table === "b"));
});

Deno.test("RangeReader asks a single-stream source for exactly each entry's count", async () => {
  const log = new MemoryLog();
  for (let i = 0; i < 30; i++) log.append(change("a", i));
  const { entries, sets } = await record(new MemorySource(log), [10, 10, 10]);
  const reader = new RangeReader(new MemorySource(log, { from: entries[0].end }), "j", entries.slice(1));
  for (let i = 1; i < 3; i++) {
    const got = await reader.read();
    assert.deepEqual(got.records.map((r) => r.kind === "change" ? r.event.position : "").sort(), sets[i]);
  }
  assert.equal(reader.takeOverflow().size, 0);
});

Deno.test("RangeReader fails naming the job, batch and range when the source returns other records", async () => {
  const log = new MemoryLog();
  for (let i = 0; i < 20; i++) log.append(change("a", i));
  const { entries } = await record(new MemorySource(log), [10, 10]);
  log.entries[15] = { record: change("a", 999) };
  const reader = new RangeReader(new MemorySource(log, { from: entries[0].end }), "j", entries.slice(1));
  await assert.rejects(reader.read(), /job "j": the source returned other records for batch 2 \(range/);
});

Deno.test("RangeReader fails when the source cannot return the whole range in time", async () => {
  const log = new MemoryLog();
  for (let i = 0; i < 20; i++) log.append(change("a", i));
  const { entries } = await record(new MemorySource(log), [10, 10]);
  log.entries.length = 15;
  const reader = new RangeReader(new MemorySource(log, { from: entries[0].end }), "j", entries.slice(1), {
    timeoutMs: 30,
  });
  await assert.rejects(reader.read(), /returned 5 of the 10 records of batch 2/);
});

Deno.test("compareCheckpointValues() orders offsets numerically and positions as text", () => {
  assert.equal(compareCheckpointValues("9", "10"), -1);
  assert.equal(
    compareCheckpointValues("00000000000000000002/0000000000", "00000000000000000010/0000000000"),
    -1,
  );
  assert.equal(compareCheckpointValues("5", "5"), 0);
});
