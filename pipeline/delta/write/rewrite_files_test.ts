import assert from "node:assert/strict";
import { contents, key, keyedTable, now, recordingReads, row } from "./_keyed_table.ts";
import { Decimal, type Row } from "../../value/mod.ts";
import type { AddFile, RemoveFile } from "../log/actions.ts";
import { loadSnapshot, readCommit } from "../log/snapshot.ts";
import { goldenCopy } from "../golden/golden_tables.ts";
import { readChanges } from "../read/changes.ts";
import { deletionVectorKey, readDeletionVector } from "../read/deletion_vector.ts";
import { scanAll } from "../read/scan.ts";
import { MemoryStore } from "../storage/memory_store.ts";
import type { ObjectStore } from "../storage/object_store.ts";
import { CommitConflictError } from "./commit_conflict_error.ts";
import { deleteByKey } from "./delete_rows.ts";
import { mergeRows, type MergeRowsOptions } from "./merge_rows.ts";
import { writeCheckpoint } from "./checkpoint_write.ts";
import { RowCache } from "./row_cache.ts";
import { upsertRows } from "./upsert_rows.ts";

/** The keyed table with Change Data Feed, with or without deletion vectors. */
const table = (dv: boolean, store = new MemoryStore()) => keyedTable(store, { cdf: true, dv });

async function changes(store: ObjectStore, fromVersion: number): Promise<string[]> {
  return (await Array.fromAsync(readChanges(store, { fromVersion }))).flat()
    .map((r) => `${r._commit_version}:${r._change_type}:${r.id}:${r.name}`).sort();
}

const merge = (store: ObjectStore, upserts: Row[], deletes: Row[], extra: Partial<MergeRowsOptions> = {}) =>
  mergeRows(store, { upserts, deletes, keyColumns: ["id"], now, checkpointInterval: 0, ...extra });

const files = async (store: ObjectStore, v: number) => {
  const actions = await readCommit(store, v);
  return {
    adds: actions.flatMap((a) => ("add" in a ? [a.add] : [])) as AddFile[],
    removes: actions.flatMap((a) => ("remove" in a ? [a.remove] : [])) as RemoveFile[],
  };
};

Deno.test("createTable() with enableDeletionVectors declares (3,7) with the deletionVectors feature", async () => {
  const store = await table(true);
  const s = await loadSnapshot(store);
  assert.deepEqual(s.protocol, {
    minReaderVersion: 3,
    minWriterVersion: 7,
    readerFeatures: ["deletionVectors"],
    writerFeatures: ["appendOnly", "invariants", "changeDataFeed", "deletionVectors"],
  });
  assert.equal(s.metadata.configuration["delta.enableDeletionVectors"], "true");
  assert.deepEqual((await loadSnapshot(await table(false))).protocol, {
    minReaderVersion: 1,
    minWriterVersion: 4,
  });
});

Deno.test("mergeRows() on a DV table marks removed rows with a deletion vector instead of rewriting the file", async () => {
  const dv = await table(true);
  const cow = await table(false);
  const batch: [Row[], Row[]] = [[row(5, "five"), row(31, "new")], [key(7), key(99)]];
  const result = await merge(dv, ...batch);
  await merge(cow, ...batch);
  assert.equal(result.version, 4);
  assert.deepEqual([result.numUpdatedRows, result.numInsertedRows, result.numDeletedRows], [1, 1, 1]);
  assert.deepEqual(await contents(dv), await contents(cow));
  assert.equal((await contents(dv)).find((r) => r.id === 5n)?.name, "five");
  // The same change feed as copy-on-write: only the changed rows.
  assert.deepEqual(await changes(dv, 4), await changes(cow, 4));
  assert.deepEqual(await changes(dv, 4), [
    "4:delete:7:n7",
    "4:insert:31:new",
    "4:update_postimage:5:five",
    "4:update_preimage:5:n5",
  ]);
  const { adds, removes } = await files(dv, 4);
  assert.equal(removes.length, 1);
  const old = (await loadSnapshot(dv, { version: 3 })).files.find((f) => f.path === removes[0].path)!;
  assert.equal(removes[0].deletionVector, undefined, "the file had no vector before");
  const marked = adds.find((a) => a.path === removes[0].path)!;
  assert.equal(marked.size, old.size);
  assert.equal(marked.dataChange, true);
  assert.deepEqual(marked.partitionValues, old.partitionValues);
  const stats = JSON.parse(marked.stats!);
  assert.equal(stats.numRecords, 10, "numRecords stays the physical count");
  assert.equal(stats.tightBounds, false);
  // Ids 5 and 7 are rows 4 and 6 of the file of ids 1–10.
  assert.deepEqual(await readDeletionVector(dv, marked.deletionVector!), [4, 6]);
  assert.equal(marked.deletionVector!.storageType, "u");
  assert.ok((await dv.head(deletionVectorKey(marked.deletionVector!, dv.url))) !== null);
  // Two new files: the insert and the new version of id 5 (the rewritten file is not among them).
  assert.equal(adds.length, 3);
  assert.equal(result.numRemovedFiles, 1);
  const commitInfo = (await readCommit(dv, 4)).find((a) => "commitInfo" in a)!;
  assert.equal(
    (commitInfo as { commitInfo: { operationMetrics: Record<string, string> } }).commitInfo.operationMetrics
      .numTargetDeletionVectorsAdded,
    "1",
  );
  assert.equal((await loadSnapshot(dv)).numRecords, 30);
});

Deno.test("mergeRows() unites a file's new deletion vector with its old one and removes the old descriptor", async () => {
  const dv = await table(true);
  const cow = await table(false);
  for (
    const [up, del] of [[[row(2, "two")], [key(3)]], [[row(4, "four"), row(2, "again")], [key(9)]]] as const
  ) {
    await merge(dv, [...up], [...del]);
    await merge(cow, [...up], [...del]);
  }
  assert.deepEqual(await contents(dv), await contents(cow));
  assert.deepEqual(await changes(dv, 4), await changes(cow, 4));
  const first = (await files(dv, 4)).adds.find((a) => a.deletionVector)!;
  const { adds, removes } = await files(dv, 5);
  const remove = removes.find((r) => r.path === first.path)!;
  assert.deepEqual(remove.deletionVector, first.deletionVector, "the remove names the vector it replaces");
  const marked = adds.find((a) => a.path === first.path)!;
  // Rows 1 (id 2) and 2 (id 3) from the first merge, rows 3 (id 4) and 8 (id 9) now.
  assert.deepEqual(await readDeletionVector(dv, marked.deletionVector!), [1, 2, 3, 8]);
  // The second update of id 2 replaced its copy in the one-row file the first merge wrote: a plain remove.
  assert.equal(removes.length, 2);
  assert.equal(removes.find((r) => r.path !== first.path)?.deletionVector, undefined);
  const s = await loadSnapshot(dv);
  assert.equal(s.files.filter((f) => f.path === first.path).length, 1);
  assert.equal(s.numRecords, 28);
});

Deno.test("mergeRows() removes a file without a vector when all its rows are deleted", async () => {
  const dv = await table(true);
  await merge(dv, [], [key(11), key(12)]);
  const ids = Array.from({ length: 8 }, (_, i) => key(13 + i));
  const result = await merge(dv, [], ids);
  const { adds, removes } = await files(dv, result.version!);
  assert.equal(adds.length, 0);
  assert.equal(removes.length, 1);
  assert.ok(removes[0].deletionVector, "the remove names the file's live vector");
  const s = await loadSnapshot(dv);
  assert.ok(!s.files.some((f) => f.path === removes[0].path));
  assert.equal((await contents(dv)).length, 20);
});

Deno.test("upsertRows() and deleteByKey() write deletion vectors on a DV table", async () => {
  const dv = await table(true);
  const cow = await table(false);
  for (const s of [dv, cow]) {
    await upsertRows(s, [row(15, "fifteen"), row(40)], ["id"], { now });
    await deleteByKey(s, [key(16), key(25)], ["id"], { now });
  }
  assert.deepEqual(await contents(dv), await contents(cow));
  assert.deepEqual(await changes(dv, 4), await changes(cow, 4));
  assert.equal((await files(dv, 5)).adds.filter((a) => a.deletionVector).length, 2);
});

Deno.test("mergeRows() with a row cache on a DV table keeps physical rows cached and fetches each file once", async () => {
  const plain = await table(true);
  const cachedStore = await table(true);
  const cache = new RowCache(10_000);
  const { store: counting, reads } = recordingReads(cachedStore);
  const batches: [Row[], Row[]][] = [
    [[row(5, "five"), row(31, "new")], [key(7)]],
    [[row(5, "again"), row(8, "eight")], [key(31)]],
    [[row(7, "back"), row(12, "twelve")], [key(2), key(1)]],
    [[{ id: 12n, amount: Decimal.parse("9.5") }], [key(3)]],
  ];
  for (const [i, [up, del]] of batches.entries()) {
    await merge(plain, up, del);
    await merge(counting, up, del, { rowCache: cache });
    assert.deepEqual(await contents(cachedStore), await contents(plain), `after batch ${i}`);
  }
  assert.deepEqual(reads, [...new Set(reads)], "no data file fetched twice");
  assert.equal(reads.length, 2, "only the files of ids 1–10 and 11–20 written before the cache existed");
  assert.deepEqual(await changes(cachedStore, 4), await changes(plain, 4));
});

Deno.test("mergeRows() with deletion vectors keeps files larger than a quarter of the row cache out of it", async () => {
  const plain = await table(true);
  const dv = await table(true);
  // 10 rows × 3 columns = 30 cells per file: above a quarter of 100, so those files are not cached.
  const cache = new RowCache(100);
  await merge(plain, [row(5, "five")], [key(12)]);
  await merge(dv, [row(5, "five")], [key(12)], { rowCache: cache });
  assert.deepEqual(await contents(dv), await contents(plain));
  assert.deepEqual(await changes(dv, 4), await changes(plain, 4));
  assert.equal(cache.cells, 3, "only the new file (the replaced row) is cached");
  // With room for them, the files read are kept for the next batch.
  const roomy = new RowCache(1_000);
  const again = await table(true);
  await merge(again, [row(5, "five")], [key(12)], { rowCache: roomy });
  assert.equal(roomy.cells, 3 + 2 * 30, "the new file and both files read");
});

Deno.test("mergeRows() on a stale snapshot conflicts with a concurrent merge that marked the same file", async () => {
  const dv = await table(true);
  const snapshot = await loadSnapshot(dv);
  await merge(dv, [row(2, "first")], [], { snapshot });
  await assert.rejects(merge(dv, [], [key(3)], { snapshot }), (e) => {
    assert.ok(e instanceof CommitConflictError);
    assert.ok(["concurrent-delete-delete", "concurrent-delete-read"].includes(e.kind), e.kind);
    return true;
  });
  // The loser's deletion vector file was cleaned up; the winner's stays referenced.
  const s = await loadSnapshot(dv);
  const referenced = new Set(
    s.files.flatMap((f) => f.deletionVector ? [deletionVectorKey(f.deletionVector, dv.url)] : []),
  );
  const dvFiles = (await Array.fromAsync(dv.list(""))).map((m) => m.key).filter((k) =>
    k.startsWith("deletion_vector_")
  );
  assert.deepEqual(dvFiles, [...referenced]);
  // Retried on the new snapshot it lands, and both changes are there.
  await merge(dv, [], [key(3)]);
  const rows = await contents(dv);
  assert.equal(rows.find((r) => r.id === 2n)?.name, "first");
  assert.ok(!rows.some((r) => r.id === 3n));
});

Deno.test("mergeRows() merges into Spark's table-with-dv-small, uniting with Spark's vector", async () => {
  const store = await goldenCopy("table-with-dv-small");
  assert.deepEqual((await scanAll(store, await loadSnapshot(store))).map((r) => r.value), [
    1,
    2,
    3,
    4,
    5,
    6,
    7,
    8,
  ]);
  const result = await mergeRows(store, {
    upserts: [{ value: 4 }, { value: 20 }],
    deletes: [{ value: 6 }],
    keyColumns: ["value"],
    now,
    checkpointInterval: 0,
  });
  const s = await loadSnapshot(store);
  const values = (await scanAll(store, s)).map((r) => r.value as number).sort((a, b) => a - b);
  assert.deepEqual(values, [1, 2, 3, 4, 5, 7, 8, 20]);
  const { adds } = await files(store, result.version!);
  const marked = adds.find((a) => a.deletionVector)!;
  // Spark deleted rows 0 and 9; the merge removed 4 (replaced) and 6.
  assert.deepEqual(await readDeletionVector(store, marked.deletionVector!), [0, 4, 6, 9]);
});

Deno.test("writeCheckpoint() carries the deletion vectors of adds and removes: a table read from it is the same", async () => {
  const dv = await table(true);
  await merge(dv, [row(2, "two")], [key(3), key(14)]);
  await merge(dv, [row(4, "four")], [key(15)]);
  const before = await loadSnapshot(dv);
  await writeCheckpoint(dv, before, { now });
  // Without the JSON commits the snapshot can only come from the checkpoint.
  for (let v = 0; v < before.version; v++) await dv.delete(`_delta_log/${String(v).padStart(20, "0")}.json`);
  const after = await loadSnapshot(dv);
  assert.equal(after.checkpointVersion, before.version);
  const ids = (files: readonly (AddFile | RemoveFile)[]) =>
    files.map((f) => `${f.path} ${JSON.stringify(f.deletionVector ?? null)}`).sort();
  assert.deepEqual(ids(after.files), ids(before.files));
  assert.equal(after.files.filter((f) => f.deletionVector).length, 2);
  assert.deepEqual(ids(after.tombstones), ids(before.tombstones));
  assert.ok(after.tombstones.some((t) => t.deletionVector), "a replaced vector's tombstone");
  assert.deepEqual(
    await contents(dv),
    await scanAll(dv, before).then((r) => r.sort((a, b) => Number((a.id as bigint) - (b.id as bigint)))),
  );
  // And merging on top of the checkpointed table still unites vectors.
  await merge(dv, [], [key(5)]);
  assert.ok(!(await contents(dv)).some((r) => r.id === 5n));
});

Deno.test("mergeRows() and deleteByKey() work on Spark's partitioned dv-partitioned-with-checkpoint (vectors from a checkpoint)", async () => {
  const store = await goldenCopy("dv-partitioned-with-checkpoint");
  const col1s = async () =>
    (await scanAll(store, await loadSnapshot(store))).map((r) => r.col1 as number).sort((a, b) => a - b);
  const before = await col1s();
  assert.equal(before.length, 35);
  // col1 is unique: 31 (part 1) updated, 33 (part 3) and 36 (part 6, in the file where Spark deleted 26)
  // deleted, 100 (part 0) inserted, 35 (part 5) deleted by key below; 28 (part 8) was deleted by Spark:
  // deleting it again is a no-op.
  await mergeRows(store, {
    upserts: [{ part: 1, col1: 31, col2: "new" }, { part: 0, col1: 100, col2: "ins" }],
    deletes: [{ col1: 33 }, { col1: 36 }, { col1: 28 }],
    keyColumns: ["col1"],
    now,
    checkpointInterval: 0,
  });
  await deleteByKey(store, [{ col1: 35 }], ["col1"], { now, checkpointInterval: 0 });
  assert.ok(!before.includes(28));
  const expected = [...before.filter((x) => ![33, 35, 36].includes(x)), 100].sort((a, b) => a - b);
  assert.deepEqual(await col1s(), expected);
  const s = await loadSnapshot(store);
  const row31 = (await scanAll(store, s)).find((r) => r.col1 === 31);
  assert.deepEqual(row31, { part: 1, col1: 31, col2: "new" });
  // The file of 36 had Spark's vector (26); ours unites with it.
  const old = await loadSnapshot(store, { version: 15 });
  const united = s.files.filter((f) => f.partitionValues.part === "6" && f.deletionVector?.cardinality === 2);
  assert.equal(united.length, 1);
  assert.equal(old.files.find((f) => f.path === united[0].path)?.deletionVector?.cardinality, 1);
});
