import assert from "node:assert/strict";
import type { Row } from "../../value/mod.ts";
import { loadSnapshot, readCommit } from "../log/snapshot.ts";
import type { StructType } from "../schema/types.ts";
import { MemoryStore } from "../storage/memory_store.ts";
import { deleteRows } from "./delete_rows.ts";
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
