/**
 * The contract test suite every {@linkcode ChangeSource} passes (memory and SQLite in unit tests, Kafka in
 * tests/integration): order, backpressure, resume without skips, at-least-once redelivery, idle waits, abort.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { ChangeEvent } from "../change_event.ts";
import { type ChangeSource, mergeCheckpoints, type SourceCheckpoint } from "./change_source.ts";

/** Drives one source implementation for the contract tests. */
export interface SourceHarness {
  /** Commits `n` inserts of new rows upstream, one transaction each; returns their key values in order. */
  write(n: number): Promise<number[]>;
  /** A new source starting after `from` (null: from the beginning, snapshot included). */
  open(from: SourceCheckpoint | null): ChangeSource | Promise<ChangeSource>;
  /** Releases everything the harness made. */
  dispose(): Promise<void>;
}

function keyNumber(e: ChangeEvent): number {
  const v = Object.values(e.key)[0];
  return Number(v);
}

/**
 * Reads until `count` new rows arrived (inserts, or snapshot reads when the source snapshots first); returns them
 * with the checkpoint after the last batch read.
 */
async function readInserts(
  source: ChangeSource,
  count: number,
  checkpoint: SourceCheckpoint,
  maxRecords = 1000,
): Promise<{ events: ChangeEvent[]; checkpoint: SourceCheckpoint }> {
  const events: ChangeEvent[] = [];
  const deadline = Date.now() + 30_000;
  while (events.length < count) {
    assert.ok(Date.now() < deadline, `only ${events.length} of ${count} changes arrived within 30 s`);
    const batch = await source.next({ maxRecords, maxWaitMs: 200 });
    assert.ok(
      batch.records.length + batch.quarantined.length <= maxRecords,
      "a batch never exceeds maxRecords",
    );
    assert.equal(batch.quarantined.length, 0, batch.quarantined[0]?.error);
    for (const r of batch.records) {
      if (r.kind === "change" && (r.event.op === "c" || r.event.op === "r")) events.push(r.event);
    }
    checkpoint = mergeCheckpoints(checkpoint, batch.checkpoint);
  }
  return { events, checkpoint };
}

/** Registers the contract tests for a source under `name`. */
export function changeSourceContract(name: string, makeHarness: () => Promise<SourceHarness>): void {
  const test = (title: string, fn: (h: SourceHarness) => Promise<void>) =>
    Deno.test(`${name}: ${title}`, async () => {
      const h = await makeHarness();
      try {
        await fn(h);
      } finally {
        await h.dispose();
      }
    });

  test("delivers changes in commit order with ascending positions", async (h) => {
    const source = await h.open(null);
    try {
      const ids = await h.write(25);
      const { events } = await readInserts(source, 25, {}, 7);
      assert.deepEqual(events.map(keyNumber), ids);
      for (let i = 1; i < events.length; i++) assert.ok(events[i - 1].position < events[i].position);
    } finally {
      await source.close();
    }
  });

  test("resumes after a committed checkpoint with nothing skipped or repeated", async (h) => {
    const ids = await h.write(12);
    let source = await h.open(null);
    const first = await readInserts(source, 5, {}, 5);
    await source.commit(first.checkpoint);
    await source.close();
    source = await h.open(first.checkpoint);
    try {
      const more = await h.write(3);
      const rest = await readInserts(source, 10, first.checkpoint);
      assert.deepEqual([...first.events, ...rest.events].map(keyNumber), [...ids, ...more]);
    } finally {
      await source.close();
    }
  });

  test("redelivers what was read but not committed (at least once)", async (h) => {
    const ids = await h.write(6);
    let source = await h.open(null);
    const start = await readInserts(source, 2, {}, 2);
    await source.close();
    source = await h.open(start.checkpoint);
    const uncommitted = await readInserts(source, 4, start.checkpoint, 4);
    await source.close(); // crash before the sink committed: the caller still holds start.checkpoint
    source = await h.open(start.checkpoint);
    try {
      const again = await readInserts(source, 4, start.checkpoint);
      assert.deepEqual(again.events.map(keyNumber), uncommitted.events.map(keyNumber));
      assert.deepEqual(again.events.map(keyNumber), ids.slice(2));
    } finally {
      await source.close();
    }
  });

  test("returns an empty batch after maxWaitMs when nothing changes, and rejects on abort", async (h) => {
    const source = await h.open(null);
    try {
      // Drain whatever exists (a snapshot), then wait on an idle source.
      let batch;
      do batch = await source.next({ maxWaitMs: 300 }); while (batch.records.length > 0);
      const t0 = performance.now();
      batch = await source.next({ maxWaitMs: 300 });
      assert.equal(batch.records.length, 0);
      assert.ok(performance.now() - t0 >= 250, "waited for data");
      const ac = new AbortController();
      const pending = source.next({ maxWaitMs: 30_000, signal: ac.signal });
      ac.abort(new DOMException("stop", "AbortError"));
      await assert.rejects(pending, (e) => e instanceof DOMException && e.name === "AbortError");
    } finally {
      await source.close();
    }
  });
}
