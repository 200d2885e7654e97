import assert from "node:assert/strict";
import type { Row } from "../../value/mod.ts";
import { loadSnapshot, readCommit } from "../log/snapshot.ts";
import type { StructType } from "../schema/types.ts";
import { MemoryStore } from "../storage/memory_store.ts";
import { deleteByKey, deleteRows } from "./delete_rows.ts";
import { deletionVectorKey, readDeletionVector } from "../read/deletion_vector.ts";
import { readFileRows } from "./file_rows.ts";
import { optimizeTable, planBins } from "./optimize_table.ts";
import { cleanupExpiredLogs } from "./log_cleanup.ts";
import { vacuumTable } from "./vacuum_table.ts";
import { createTable, writeTable } from "./write_table.ts";

const schema: StructType = {
  type: "struct",
  fields: [
    { name: "id", type: "long", nullable: false, metadata: {} },
    { name: "p", type: "string", nullable: true, metadata: {} },
  ],
};
const HOUR = 3_600_000;

Deno.test("optimizeTable() bin-packs small files per partition with dataChange false", async () => {
  let clock = 1_700_000_000_000;
  const now = () => clock++;
  const store = new MemoryStore();
  await createTable(store, { schema, partitionColumns: ["p"] }, { now });
  for (let i = 0; i < 6; i++) await writeTable(store, [{ id: BigInt(i), p: i % 2 ? "a" : "b" }], { now });
  const r = await optimizeTable(store, { now, targetSizeBytes: 1 << 20 });
  assert.equal(r.numFilesRemoved, 6);
  assert.equal(r.numFilesAdded, 2);
  const actions = await readCommit(store, r.version!);
  for (const a of actions) {
    if ("add" in a) assert.equal(a.add.dataChange, false);
    if ("remove" in a) assert.equal(a.remove.dataChange, false);
  }
  const s = await loadSnapshot(store);
  const ids: bigint[] = [];
  for (const f of s.files) {
    ids.push(...(await readFileRows(store, s.schema, s.partitionColumns, f)).map((x: Row) => x.id as bigint));
  }
  assert.deepEqual(ids.sort(), [0n, 1n, 2n, 3n, 4n, 5n]);
  assert.equal((await optimizeTable(store, { now, targetSizeBytes: 1 << 20 })).version, null);
});

Deno.test("planBins() leaves large files and lone small files alone", () => {
  const f = (path: string, size: number, p = "x") => ({
    path,
    size,
    partitionValues: { p },
    modificationTime: 0,
    dataChange: true,
  });
  assert.deepEqual(planBins([f("a", 10), f("b", 500)], 100), []);
  assert.deepEqual(planBins([f("a", 10), f("b", 20), f("c", 90)], 100).map((b) => b.map((x) => x.path)), [[
    "a",
    "b",
  ]]);
});

Deno.test("planBins() with maxRows packs files up to that many rows and leaves full files alone", () => {
  const f = (path: string, rows: number) => ({
    path,
    size: rows,
    partitionValues: {},
    modificationTime: 0,
    dataChange: true,
    stats: JSON.stringify({ numRecords: rows }),
  });
  const files = [f("full", 100), f("a", 30), f("b", 40), f("c", 50), f("d", 60)];
  const paths = (bins: { path: string }[][]) => bins.map((b) => b.map((x) => x.path));
  // By size alone (target 1000) no file is large: one bin of all five, smallest first.
  assert.deepEqual(paths(planBins(files, 1000)), [["a", "b", "c", "d", "full"]]);
  // With 100 rows at most: "full" is left alone, a+b (70) then c alone (c+d = 110) is dropped, d alone too.
  assert.deepEqual(paths(planBins(files, 1000, 100)), [["a", "b"]]);
});

Deno.test("vacuumTable() deletes orphans and expired removed files, honours dry run and the safety limit", async () => {
  let clock = 1_700_000_000_000;
  const now = () => clock;
  const store = new MemoryStore({ now });
  await writeTable(store, [{ id: 1n, p: "a" }], { create: { schema }, now });
  await writeTable(store, [{ id: 2n, p: "a" }], { now });
  await store.put("part-orphan.parquet", new Uint8Array([1]));
  await deleteRows(store, { description: "id = 1", test: (r) => r.id === 1n }, { now });
  await assert.rejects(vacuumTable(store, { now, retentionHours: 1 }), /below the 168-hour safety limit/);
  clock += 2 * HOUR;
  const early = await vacuumTable(store, { now, retentionHours: 1, allowShortRetention: true, dryRun: true });
  // The tombstone is 2 h old (expired for a 1 h retention); the orphan too.
  assert.equal(early.deleted.length, 2);
  assert.ok(early.deleted.includes("part-orphan.parquet"));
  assert.ok(await store.head("part-orphan.parquet"));
  clock += 200 * HOUR;
  const r = await vacuumTable(store, { now });
  assert.deepEqual(r.deleted.sort(), early.deleted.sort());
  const s = await loadSnapshot(store);
  for (const f of s.files) assert.ok(await store.head(decodeURIComponent(f.path)));
  assert.equal(await store.head("part-orphan.parquet"), null);
});

Deno.test("cleanupExpiredLogs() deletes commits only below a checkpoint older than the retention", async () => {
  let clock = Date.UTC(2024, 0, 1);
  const now = () => clock;
  const store = new MemoryStore({ now });
  await createTable(store, {
    schema,
    properties: { "delta.checkpointInterval": "5", "delta.enableExpiredLogCleanup": "false" },
  }, { now });
  for (let i = 1; i <= 12; i++) {
    clock += 24 * HOUR;
    await writeTable(store, [{ id: BigInt(i), p: "a" }], { now });
  }
  clock += 40 * 24 * HOUR;
  const deleted = await cleanupExpiredLogs(store, { now });
  // Checkpoints at 5 and 10; all are older than 30 days, so everything below 10 goes.
  assert.ok(deleted.includes("_delta_log/00000000000000000000.json"));
  assert.ok(deleted.includes("_delta_log/00000000000000000005.checkpoint.parquet"));
  assert.ok(!deleted.some((k) => k.includes("00000000000000000010")));
  const s = await loadSnapshot(store);
  assert.equal(s.version, 12);
  assert.equal(s.files.length, 12);
});

/** A DV table of two files (ids 0–9 and 10–19) whose ids in `deleted` are removed by deletion vectors. */
async function dvTable(deleted: number[], now: () => number, store = new MemoryStore({ now })) {
  await createTable(store, { schema, enableDeletionVectors: true }, { now });
  for (let f = 0; f < 2; f++) {
    await writeTable(store, Array.from({ length: 10 }, (_, i) => ({ id: BigInt(f * 10 + i), p: "a" })), {
      now,
    });
  }
  await deleteByKey(store, deleted.map((id) => ({ id: BigInt(id) })), ["id"], { now });
  return store;
}

const liveIds = async (store: MemoryStore) => {
  const s = await loadSnapshot(store);
  const ids: bigint[] = [];
  for (const f of s.files) {
    ids.push(...(await readFileRows(store, s.schema, s.partitionColumns, f)).map((x: Row) => x.id as bigint));
  }
  return ids.sort((a, b) => Number(a - b));
};

Deno.test("optimizeTable() purges a file whose deletion vector deletes at least 20 % of its rows, even alone", async () => {
  let clock = 1_700_000_000_000;
  const now = () => clock++;
  // File 1 loses 3 of 10 rows (30 %), file 2 one (10 %); both are "large" for the target size.
  const store = await dvTable([1, 2, 3, 15], now);
  const before = await liveIds(store);
  const r = await optimizeTable(store, { now, targetSizeBytes: 1 });
  assert.equal(r.numFilesRemoved, 1);
  assert.equal(r.numFilesAdded, 1);
  const s = await loadSnapshot(store);
  const { removes, adds } = {
    removes: (await readCommit(store, r.version!)).flatMap((a) => "remove" in a ? [a.remove] : []),
    adds: (await readCommit(store, r.version!)).flatMap((a) => "add" in a ? [a.add] : []),
  };
  assert.ok(removes[0].deletionVector, "the remove names the purged file's vector");
  assert.equal(adds[0].deletionVector, undefined);
  assert.equal(JSON.parse(adds[0].stats!).numRecords, 7);
  assert.equal(s.files.filter((f) => f.deletionVector).length, 1, "the file at 10 % keeps its vector");
  assert.deepEqual(await liveIds(store), before);
  // A lower ratio purges the other one too.
  assert.equal(
    (await optimizeTable(store, { now, targetSizeBytes: 1, maxDeletedRowsRatio: 0.05 })).numFilesRemoved,
    1,
  );
  assert.equal((await loadSnapshot(store)).files.filter((f) => f.deletionVector).length, 0);
  assert.deepEqual(await liveIds(store), before);
});

Deno.test("planBins() counts a file with a deletion vector by its live rows, never as full", () => {
  const f = (path: string, rows: number, deleted = 0) => ({
    path,
    size: rows * 10,
    partitionValues: {},
    modificationTime: 0,
    dataChange: true,
    stats: JSON.stringify({ numRecords: rows }),
    ...(deleted
      ? {
        deletionVector: {
          storageType: "u" as const,
          pathOrInlineDv: "x",
          offset: 1,
          sizeInBytes: 1,
          cardinality: deleted,
        },
      }
      : {}),
  });
  // "dv" holds 100 rows (full at maxRows 100) of which 10 are deleted (below the purge ratio): 90 live rows
  // fit with the 10 of "small".
  const paths = (bins: { path: string }[][]) => bins.map((b) => b.map((x) => x.path).sort());
  assert.deepEqual(paths(planBins([f("full", 100), f("dv", 100, 10), f("small", 10)], 1e9, 100)), [[
    "dv",
    "small",
  ]]);
  // Alone and below the ratio it is left as it is; at or above, it is purged alone.
  assert.deepEqual(planBins([f("full", 100), f("dv", 100, 10)], 1e9, 100), []);
  assert.deepEqual(paths(planBins([f("full", 100), f("dv", 100, 20)], 1e9, 100)), [["dv"]]);
});

Deno.test("vacuumTable() keeps deletion vector files of live files and unexpired tombstones, deletes old ones", async () => {
  let clock = 1_700_000_000_000;
  const now = () => clock;
  const store = await dvTable([1], now);
  const dvKeys = async () =>
    (await Array.fromAsync(store.list(""))).map((m) => m.key).filter((k) => k.startsWith("deletion_vector_"));
  const [first] = await dvKeys();
  clock += HOUR;
  // A second delete in the same file replaces its vector; the first one is now only named by a tombstone.
  await deleteByKey(store, [{ id: 2n }], ["id"], { now });
  assert.equal((await dvKeys()).length, 2);
  clock += 2 * HOUR;
  const orphan = "deletion_vector_00000000-0000-0000-0000-000000000000.bin";
  await store.put(orphan, new Uint8Array([1]));
  clock += 2 * HOUR;
  // Retention 3 h: the first vector's tombstone (4 h old) expired, the orphan (2 h) is still recent.
  const r = await vacuumTable(store, { now, retentionHours: 3, allowShortRetention: true });
  assert.ok(r.deleted.includes(first));
  assert.ok(!r.deleted.includes(orphan));
  const live = (await loadSnapshot(store)).files.find((f) => f.deletionVector)!;
  assert.deepEqual(await dvKeys(), [deletionVectorKey(live.deletionVector!, store.url), orphan].sort());
  assert.deepEqual(await liveIds(store), [0n, ...Array.from({ length: 17 }, (_, i) => BigInt(i + 3))]);
  // Once old enough, the orphan goes too; the live vector stays.
  clock += 200 * HOUR;
  const r2 = await vacuumTable(store, { now });
  assert.ok(r2.deleted.includes(orphan));
  assert.deepEqual(await dvKeys(), [deletionVectorKey(live.deletionVector!, store.url)]);
});

Deno.test("vacuumTable() keeps a replaced deletion vector while its tombstone is within the retention", async () => {
  let clock = 1_700_000_000_000;
  const now = () => clock;
  const store = await dvTable([1], now);
  clock += HOUR;
  await deleteByKey(store, [{ id: 2n }], ["id"], { now });
  clock += 2 * HOUR;
  const r = await vacuumTable(store, { now, retentionHours: 3, allowShortRetention: true });
  assert.ok(!r.deleted.some((k) => k.startsWith("deletion_vector_")));
  // Time travel to the version of the first vector still reads.
  const s = await loadSnapshot(store, { version: 3 });
  const f = s.files.find((x) => x.deletionVector)!;
  assert.deepEqual(await readDeletionVector(store, f.deletionVector!), [1]);
});
