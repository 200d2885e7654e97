import assert from "node:assert/strict";
import { contents, key, keyedTable, now, recordingReads, row, schema } from "./_keyed_table.ts";
import { Decimal, type Row } from "../../value/mod.ts";
import type { Action } from "../log/actions.ts";
import { loadSnapshot, readCommit } from "../log/snapshot.ts";
import { readChanges } from "../read/changes.ts";
import { MemoryStore } from "../storage/memory_store.ts";
import { CommitConflictError } from "./commit_conflict_error.ts";
import { mergeRows } from "./merge_rows.ts";
import { optimizeTable } from "./optimize_table.ts";
import { RowCache } from "./row_cache.ts";

Deno.test("mergeRows() upserts and deletes in one commit, rewriting only files that hold touched keys", async () => {
  const store = new MemoryStore();
  await keyedTable(store);
  const result = await mergeRows(store, {
    upserts: [row(5, "five"), row(31, "new")],
    deletes: [key(7), key(99)],
    keyColumns: ["id"],
    now,
  });
  assert.equal(result.version, 4);
  assert.equal(result.numUpdatedRows, 1);
  assert.equal(result.numInsertedRows, 1);
  assert.equal(result.numDeletedRows, 1);
  assert.equal(result.numRemovedFiles, 1, "only the file of ids 1–10 is rewritten");
  assert.equal(result.numFilesRead, 1, "stats rule out the other files");
  const rows = await contents(store);
  assert.equal(rows.length, 30);
  assert.equal(rows.find((r) => r.id === 5n)?.name, "five");
  assert.equal(rows.find((r) => r.id === 31n)?.name, "new");
  assert.ok(!rows.some((r) => r.id === 7n));
  const commit = await readCommit(store, 4);
  assert.equal(commit.filter((a) => "commitInfo" in a).length, 1, "one commit for both");
});

Deno.test("mergeRows() returns the snapshot after its commit, equal to a reload", async () => {
  const store = new MemoryStore();
  await keyedTable(store);
  let snapshot = await loadSnapshot(store);
  for (let b = 1; b <= 3; b++) {
    const result = await mergeRows(store, {
      upserts: [row(b, `v${b}`)],
      deletes: [key(20 + b)],
      keyColumns: ["id"],
      txn: { appId: "job", version: b },
      snapshot,
      now,
    });
    snapshot = result.snapshot;
  }
  const reloaded = await loadSnapshot(store);
  assert.equal(snapshot.version, reloaded.version);
  assert.deepEqual(
    snapshot.files.map((f) => f.path).sort(),
    reloaded.files.map((f) => f.path).sort(),
  );
  assert.equal(snapshot.txnVersion("job"), 3);
});

Deno.test("mergeRows() skips a batch whose txn version the table already holds", async () => {
  const store = new MemoryStore();
  await keyedTable(store);
  const first = await mergeRows(store, {
    upserts: [row(1, "a")],
    deletes: [],
    keyColumns: ["id"],
    txn: { appId: "job", version: 5 },
    now,
  });
  assert.equal(first.skipped, false);
  for (const version of [5, 4]) {
    const again = await mergeRows(store, {
      upserts: [row(1, "b")],
      deletes: [key(2)],
      keyColumns: ["id"],
      txn: { appId: "job", version },
      now,
    });
    assert.equal(again.skipped, true);
    assert.equal(again.version, null);
  }
  const rows = await contents(store);
  assert.equal(rows.find((r) => r.id === 1n)?.name, "a");
  assert.ok(rows.some((r) => r.id === 2n));
});

Deno.test("mergeRows() with a stale snapshot fails with a concurrent-transaction conflict, then skips on reload", async () => {
  const store = new MemoryStore();
  await keyedTable(store);
  const stale = await loadSnapshot(store);
  await mergeRows(store, {
    upserts: [row(40)],
    deletes: [],
    keyColumns: ["id"],
    txn: { appId: "job", version: 1 },
    now,
  });
  const filesBefore = await Array.fromAsync(store.list(""));
  await assert.rejects(
    mergeRows(store, {
      upserts: [row(40)],
      deletes: [],
      keyColumns: ["id"],
      txn: { appId: "job", version: 1 },
      snapshot: stale,
      now,
    }),
    (e) => e instanceof CommitConflictError,
  );
  const filesAfter = await Array.fromAsync(store.list(""));
  assert.equal(filesAfter.length, filesBefore.length, "the losing attempt's files are deleted");
  const retried = await mergeRows(store, {
    upserts: [row(40)],
    deletes: [],
    keyColumns: ["id"],
    txn: { appId: "job", version: 1 },
    snapshot: await loadSnapshot(store),
    now,
  });
  assert.equal(retried.skipped, true);
  assert.equal((await contents(store)).filter((r) => r.id === 40n).length, 1);
});

Deno.test("mergeRows() commits on top of a compaction it does not overlap and returns the newest snapshot", async () => {
  const store = new MemoryStore();
  await keyedTable(store);
  const held = await loadSnapshot(store);
  // Inserting a new key reads no file, so OPTIMIZE's removes do not conflict with it.
  const optimized = await optimizeTable(store, { now });
  assert.notEqual(optimized.version, null);
  const result = await mergeRows(store, {
    upserts: [row(50, "fifty")],
    deletes: [],
    keyColumns: ["id"],
    snapshot: held,
    now,
  });
  assert.equal(result.version, held.version + 2);
  const reloaded = await loadSnapshot(store);
  assert.equal(result.snapshot.version, reloaded.version);
  assert.deepEqual(result.snapshot.files.map((f) => f.path).sort(), reloaded.files.map((f) => f.path).sort());
  assert.equal((await contents(store)).length, 31);
});

Deno.test("mergeRows() of other keys commits on top of a concurrent upsert; of the same keys it conflicts", async () => {
  const store = new MemoryStore();
  await keyedTable(store);
  const held = await loadSnapshot(store);
  await mergeRows(store, {
    upserts: [row(100)],
    deletes: [],
    keyColumns: ["id"],
    txn: { appId: "a", version: 1 },
    now,
  });
  // Keys 200–201 cannot be in the file holding key 100 (by its stats): no conflict, no retry needed.
  const other = await mergeRows(store, {
    upserts: [row(200), row(201)],
    deletes: [],
    keyColumns: ["id"],
    txn: { appId: "b", version: 1 },
    snapshot: held,
    now,
  });
  assert.equal(other.version, held.version + 2);
  await assert.rejects(
    mergeRows(store, {
      upserts: [row(100, "again")],
      deletes: [],
      keyColumns: ["id"],
      txn: { appId: "c", version: 1 },
      snapshot: held,
      now,
    }),
    (e) => e instanceof CommitConflictError && e.kind === "concurrent-append",
  );
  assert.deepEqual((await contents(store)).map((r) => r.id).slice(-3), [100n, 200n, 201n]);
});

Deno.test("mergeRows() creates a missing table with its first rows in one commit", async () => {
  const store = new MemoryStore();
  const result = await mergeRows(store, {
    upserts: [row(1), row(2)],
    deletes: [key(3)],
    keyColumns: ["id"],
    txn: { appId: "job", version: 1 },
    snapshot: null,
    create: { schema, enableChangeDataFeed: true },
    now,
  });
  assert.equal(result.version, 0);
  const actions: Action[] = await readCommit(store, 0);
  assert.ok(actions.some((a) => "protocol" in a && a.protocol.minWriterVersion === 4));
  assert.ok(actions.some((a) => "txn" in a && a.txn.version === 1));
  assert.equal(result.snapshot.txnVersion("job"), 1);
  assert.equal((await contents(store)).length, 2);
  const changes = await Array.fromAsync(readChanges(store, { fromVersion: 0 }));
  assert.equal(changes.flat().filter((r) => r._change_type === "insert").length, 2);
});

Deno.test("mergeRows() into a table another writer created first merges into that table", async () => {
  const store = new MemoryStore();
  await keyedTable(store);
  const result = await mergeRows(store, {
    upserts: [row(1, "x")],
    deletes: [],
    keyColumns: ["id"],
    snapshot: null,
    create: { schema },
    now,
  });
  assert.equal(result.version, 4);
  assert.equal((await contents(store)).length, 30);
});

Deno.test("mergeRows() writes update, insert and delete change rows when CDF is on", async () => {
  const store = new MemoryStore();
  await keyedTable(store, { cdf: true });
  const { version } = await mergeRows(store, {
    upserts: [row(1, "one")],
    deletes: [key(12)],
    keyColumns: ["id"],
    now,
  });
  const changes = (await Array.fromAsync(readChanges(store, { fromVersion: version! }))).flat();
  const types = changes.map((r) => `${r._change_type}:${r.id}`).sort();
  assert.deepEqual(types, ["delete:12", "update_postimage:1", "update_preimage:1"]);
});

Deno.test("mergeRows() rejects a key that is both upserted and deleted, and unknown columns", async () => {
  const store = new MemoryStore();
  await keyedTable(store);
  await assert.rejects(
    mergeRows(store, { upserts: [row(1)], deletes: [key(1)], keyColumns: ["id"], now }),
    TypeError,
  );
  await assert.rejects(
    mergeRows(store, { upserts: [{ ...row(1), extra: 1 }], deletes: [], keyColumns: ["id"], now }),
    /column "extra"/,
  );
  await assert.rejects(
    mergeRows(new MemoryStore(), { upserts: [row(1)], deletes: [], keyColumns: ["id"], now }),
    /does not exist/,
  );
});

Deno.test("mergeRows() commits nothing when the batch changes nothing", async () => {
  const store = new MemoryStore();
  await keyedTable(store);
  const snapshot = await loadSnapshot(store);
  const result = await mergeRows(store, {
    upserts: [],
    deletes: [key(99)],
    keyColumns: ["id"],
    snapshot,
    now,
  });
  assert.equal(result.version, null);
  assert.equal(result.snapshot, snapshot);
  assert.equal((await loadSnapshot(store)).version, snapshot.version);
});

Deno.test("mergeRows() with a row cache gives the same table and changes, without reading a file twice", async () => {
  const plain = new MemoryStore();
  const cachedStore = new MemoryStore();
  await keyedTable(plain, { cdf: true });
  await keyedTable(cachedStore, { cdf: true });
  const cache = new RowCache(10_000);
  const { store: counting, reads } = recordingReads(cachedStore);
  // Batches that touch the same files again: updates, inserts with a missing column, deletes, re-inserts.
  const batches: { upserts: Row[]; deletes: Row[] }[] = [
    { upserts: [row(5, "five"), row(31, "new")], deletes: [key(7)] },
    { upserts: [row(5, "again"), { id: 32n, name: "no amount" }], deletes: [key(31)] },
    { upserts: [row(7, "back"), row(12, "twelve")], deletes: [key(32), key(1)] },
    { upserts: [{ id: 12n, amount: Decimal.parse("9.5") }], deletes: [] },
  ];
  for (const [i, b] of batches.entries()) {
    await mergeRows(plain, { ...b, keyColumns: ["id"], now });
    await mergeRows(counting, { ...b, keyColumns: ["id"], now, rowCache: cache });
    assert.deepEqual(await contents(cachedStore), await contents(plain), `after batch ${i}`);
  }
  // Each file is fetched once at most: files it wrote or read before come from the cache.
  assert.deepEqual(reads, [...new Set(reads)]);
  assert.equal(reads.length, 2, "the files of ids 1–10 and 11–20 written before the cache existed");
  const changes = async (s: MemoryStore) =>
    (await Array.fromAsync(readChanges(s, { fromVersion: 4 }))).flat().map(({ _commit_timestamp: _, ...r }) =>
      r
    );
  assert.deepEqual(await changes(cachedStore), await changes(plain));
  assert.ok(cache.cells > 0);
});
