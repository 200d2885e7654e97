import assert from "node:assert/strict";
import { Decimal, LocalDate, type Row, Timestamp } from "../../value/mod.ts";
import type { Action, FileStats } from "../log/actions.ts";
import { readCommit } from "../log/snapshot.ts";
import { loadSnapshot } from "../log/snapshot.ts";
import type { StructType } from "../schema/types.ts";
import { MemoryStore } from "../storage/memory_store.ts";
import type { ColumnBatch } from "./column_batch.ts";
import { CommitConflictError } from "./commit_conflict_error.ts";
import { readFileRows } from "./file_rows.ts";
import { vacuumTable } from "./vacuum_table.ts";
import { createTable, writeTable } from "./write_table.ts";

const schema: StructType = {
  type: "struct",
  fields: [
    { name: "id", type: "long", nullable: false, metadata: {} },
    { name: "amount", type: "decimal(18,2)", nullable: true, metadata: {} },
    { name: "ts", type: "timestamp", nullable: true, metadata: {} },
    { name: "day", type: "date", nullable: true, metadata: {} },
  ],
};
const row = (id: number, day = "2024-01-01"): Row => ({
  id: BigInt(id),
  amount: Decimal.parse(`${id}.50`),
  ts: Timestamp.parse("2024-01-01T10:00:00.123456Z"),
  day: LocalDate.parse(day),
});

let clock = 1_700_000_000_000;
const now = () => clock++;

async function allRows(store: MemoryStore): Promise<Row[]> {
  const s = await loadSnapshot(store);
  const rows: Row[] = [];
  for (const f of s.files) rows.push(...await readFileRows(store, s.schema, s.partitionColumns, f));
  return rows.sort((a, b) => Number((a.id as bigint) - (b.id as bigint)));
}

Deno.test("writeTable() creates a (1,2) table with commitInfo first and exact stats", async () => {
  const store = new MemoryStore();
  const r = await writeTable(store, [row(1), row(2)], { create: { schema }, now });
  assert.equal(r.version, 0);
  const actions = await readCommit(store, 0);
  assert.ok("commitInfo" in actions[0]);
  const info = (actions[0] as Extract<Action, { commitInfo: unknown }>).commitInfo;
  assert.equal(info.operation, "WRITE");
  assert.equal(info.operationParameters?.mode, "ErrorIfExists");
  assert.equal(typeof info.txnId, "string");
  assert.equal(info.readVersion, undefined);
  const s = await loadSnapshot(store);
  assert.deepEqual(s.protocol, { minReaderVersion: 1, minWriterVersion: 2 });
  assert.equal(s.files.length, 1);
  const stats = JSON.parse(s.files[0].stats!) as FileStats;
  assert.deepEqual(stats, {
    numRecords: 2,
    minValues: { id: 1, amount: 1.5, ts: "2024-01-01T10:00:00.123Z", day: "2024-01-01" },
    maxValues: { id: 2, amount: 2.5, ts: "2024-01-01T10:00:00.123Z", day: "2024-01-01" },
    nullCount: { id: 0, amount: 0, ts: 0, day: 0 },
  });
  assert.deepEqual(await allRows(store), [row(1), row(2)]);
});

Deno.test("writeTable() appends, overwrites and partitions with Hive folders", async () => {
  const store = new MemoryStore();
  await createTable(store, { schema, partitionColumns: ["day"] }, { now });
  await writeTable(store, [row(1, "2024-01-01"), row(2, "2024-01-02")], { now });
  await writeTable(store, [row(3, "2024-01-01")], { now });
  let s = await loadSnapshot(store);
  assert.equal(s.version, 2);
  assert.equal(s.files.length, 3);
  assert.ok(s.files.every((f) => f.path.startsWith(`day=${f.partitionValues.day}/part-`)));
  assert.deepEqual((await allRows(store)).map((r) => r.id), [1n, 2n, 3n]);
  await writeTable(store, [row(9, "2024-02-02")], { now, mode: "overwrite" });
  s = await loadSnapshot(store);
  assert.deepEqual((await allRows(store)).map((r) => r.id), [9n]);
  assert.equal(s.tombstones.length, 3);
  const removes = (await readCommit(store, 3)).flatMap((a) => "remove" in a ? [a.remove] : []);
  assert.ok(
    removes.every((r) => r.dataChange && r.extendedFileMetadata && r.size! > 0 && r.partitionValues?.day),
  );
});

/** The rows of `row(id, day)` as a column batch (amount null where `id % 4 === 1`). */
function batchOf(ids: number[], day: (id: number) => string): ColumnBatch {
  return {
    length: ids.length,
    columns: {
      id: { values: BigInt64Array.from(ids, BigInt) },
      amount: {
        values: BigInt64Array.from(ids, (id) => BigInt(id) * 100n + 50n),
        valid: Uint8Array.from(ids, (id) => (id % 4 === 1 ? 0 : 1)),
      },
      ts: {
        values: BigInt64Array.from(ids, () => Timestamp.parse("2024-01-01T10:00:00.123456Z").epochMicros),
      },
      day: { values: Int32Array.from(ids, (id) => LocalDate.parse(day(id)).days) },
    },
  };
}

Deno.test("writeTable() writes a column batch as it writes the same rows: partitions, file splits, stats", async () => {
  const ids = Array.from({ length: 23 }, (_, i) => i);
  const day = (id: number) => (id % 3 === 0 ? "2024-01-01" : "2024-01-02");
  const rows = ids.map((id) => ({ ...row(id, day(id)), amount: id % 4 === 1 ? null : row(id).amount }));
  const files = async (store: MemoryStore) =>
    (await loadSnapshot(store)).files.map((f) => [f.path.replace(/[^/]*$/, ""), f.stats]).sort();
  const table = { schema, partitionColumns: ["day"] };
  const [a, b] = [new MemoryStore(), new MemoryStore()];
  await writeTable(a, rows, { create: table, now, maxRowsPerFile: 4 });
  const r = await writeTable(b, batchOf(ids, day), { create: table, now, maxRowsPerFile: 4 });
  assert.equal(r.numOutputRows, 23);
  assert.equal(r.numAddedFiles, 6); // 8 rows in day=2024-01-01, 15 in day=2024-01-02, at most 4 per file
  assert.deepEqual(await files(b), await files(a));
  assert.deepEqual(await allRows(b), rows);
  // Unpartitioned, one file: the same stats as the rows.
  const [c, d] = [new MemoryStore(), new MemoryStore()];
  await writeTable(c, rows, { create: { schema }, now });
  await writeTable(d, batchOf(ids, day), { create: { schema }, now });
  assert.deepEqual(await files(d), await files(c));
});

Deno.test("writeTable() overwrites with a column batch, writes zstd batches and rejects unknown columns", async () => {
  const store = new MemoryStore();
  await writeTable(store, [row(1)], { create: { schema }, now });
  await writeTable(store, batchOf([7, 8], () => "2024-03-01"), { now, mode: "overwrite" });
  await writeTable(store, batchOf([9], () => "2024-03-02"), { now, compression: "zstd" });
  const s = await loadSnapshot(store);
  assert.ok(s.files.some((f) => f.path.endsWith(".zstd.parquet")));
  assert.deepEqual((await allRows(store)).map((r) => [r.id, r.amount?.toString() ?? null, String(r.day)]), [
    [7n, "7.50", "2024-03-01"],
    [8n, "8.50", "2024-03-01"],
    [9n, null, "2024-03-02"],
  ]);
  const extra = batchOf([10], () => "2024-03-03");
  await assert.rejects(
    writeTable(store, { length: 1, columns: { ...extra.columns, note: { values: ["x"] } } }, { now }),
    /the batch has column "note", which is not in the table schema/,
  );
  await assert.rejects(
    writeTable(store, { length: 2, columns: extra.columns }, { now }),
    /column "id": 1 values for a batch of 2 rows/,
  );
  assert.equal((await loadSnapshot(store)).version, 2);
});

Deno.test("writeTable() skips a streaming batch whose txn version is already committed", async () => {
  const store = new MemoryStore();
  await createTable(store, { schema }, { now });
  const a = await writeTable(store, [row(1)], { now, txn: { appId: "sink-0", version: 5 } });
  const again = await writeTable(store, [row(1)], { now, txn: { appId: "sink-0", version: 5 } });
  const older = await writeTable(store, [row(1)], { now, txn: { appId: "sink-0", version: 4 } });
  const next = await writeTable(store, [row(2)], { now, txn: { appId: "sink-0", version: 6 } });
  assert.equal(a.version, 1);
  assert.equal(again.skipped, true);
  assert.equal(older.skipped, true);
  assert.equal(next.version, 2);
  assert.equal((await loadSnapshot(store)).txnVersion("sink-0"), 6);
  assert.deepEqual((await allRows(store)).map((r) => r.id), [1n, 2n]);
});

Deno.test("writeTable() merges new nullable columns and rejects unknown ones without merge", async () => {
  const store = new MemoryStore();
  await writeTable(store, [row(1)], { create: { schema }, now });
  await assert.rejects(
    writeTable(store, [{ ...row(2), note: "x" }], { now }),
    /row 0 has column "note", which is not in the table schema/,
  );
  const wider: StructType = {
    type: "struct",
    fields: [...schema.fields, { name: "note", type: "string", nullable: true, metadata: {} }],
  };
  await writeTable(store, [{ ...row(2), note: "x" }], { now, schema: wider, mergeSchema: true });
  const rows = await allRows(store);
  assert.equal(rows[0].note, null);
  assert.equal(rows[1].note, "x");
  await assert.rejects(
    writeTable(store, [row(3)], {
      now,
      mergeSchema: true,
      schema: { type: "struct", fields: [{ name: "id", type: "string", nullable: false, metadata: {} }] },
    }),
    /column "id" is long in the table but string in the data/,
  );
});

Deno.test("writeTable() leaves the table unchanged when it fails before the commit", async () => {
  const store = new MemoryStore();
  await writeTable(store, [row(1)], { create: { schema }, now });
  await assert.rejects(
    writeTable(store, [row(2), { ...row(3), id: null }], { now }),
    /null in a non-nullable column/,
  );
  const s = await loadSnapshot(store);
  assert.equal(s.version, 0);
  assert.deepEqual((await allRows(store)).map((r) => r.id), [1n]);
});

Deno.test("createTable() declares (1,4) with Change Data Feed and refuses to create twice", async () => {
  const store = new MemoryStore();
  await createTable(store, { schema, enableChangeDataFeed: true }, { now });
  const s = await loadSnapshot(store);
  assert.deepEqual(s.protocol, { minReaderVersion: 1, minWriterVersion: 4 });
  assert.equal(s.properties["delta.enableChangeDataFeed"], "true");
  await assert.rejects(createTable(store, { schema }, { now }), CommitConflictError);
});

const ntzSchema: StructType = {
  type: "struct",
  fields: [...schema.fields, { name: "local", type: "timestamp_ntz", nullable: true, metadata: {} }],
};
const ntzRow = (id: number): Row => ({
  ...row(id),
  local: Timestamp.parse("2024-01-01T10:00:00.123456", { zoned: false }),
});

Deno.test("writeTable() declares (3,7) with timestampNtz for a timestamp_ntz column and writes to it again", async () => {
  const store = new MemoryStore();
  await writeTable(store, [ntzRow(1)], { create: { schema: ntzSchema, enableChangeDataFeed: true }, now });
  const expected = {
    minReaderVersion: 3,
    minWriterVersion: 7,
    readerFeatures: ["timestampNtz"],
    writerFeatures: ["appendOnly", "invariants", "changeDataFeed", "timestampNtz"],
  };
  assert.deepEqual((await loadSnapshot(store)).protocol, expected);
  const r = await writeTable(store, [ntzRow(2)], { now });
  assert.equal(r.version, 1);
  const s = await loadSnapshot(store);
  assert.deepEqual(s.protocol, expected);
  assert.deepEqual(await allRows(store), [ntzRow(1), ntzRow(2)]);
});

Deno.test("writeTable() upgrades the protocol in the merge commit that adds a timestamp_ntz column", async () => {
  const store = new MemoryStore();
  await writeTable(store, [row(1)], { create: { schema }, now });
  const r = await writeTable(store, [ntzRow(2)], { now, schema: ntzSchema, mergeSchema: true });
  const actions = await readCommit(store, r.version!);
  const protocol = actions.find((a) => "protocol" in a);
  assert.deepEqual(protocol, {
    protocol: {
      minReaderVersion: 3,
      minWriterVersion: 7,
      readerFeatures: ["timestampNtz"],
      writerFeatures: ["appendOnly", "invariants", "timestampNtz"],
    },
  });
  assert.ok(actions.some((a) => "metaData" in a));
  assert.deepEqual(await allRows(store), [{ ...row(1), local: null }, ntzRow(2)]);
  // A later merge that adds a plain column keeps the protocol as it is.
  const wider: StructType = {
    type: "struct",
    fields: [...ntzSchema.fields, { name: "note", type: "string", nullable: true, metadata: {} }],
  };
  const next = await writeTable(store, [{ ...ntzRow(3), note: "x" }], {
    now,
    schema: wider,
    mergeSchema: true,
  });
  assert.ok(!(await readCommit(store, next.version!)).some((a) => "protocol" in a));
});

Deno.test("concurrent blind appends all commit exactly once with contiguous versions", async () => {
  const store = new MemoryStore();
  await createTable(store, { schema }, { now });
  const results = await Promise.all(
    Array.from({ length: 12 }, (_, i) => writeTable(store, [row(i)], { now, checkpointInterval: 0 })),
  );
  assert.deepEqual(
    results.map((r) => r.version).sort((a, b) => a! - b!),
    Array.from({ length: 12 }, (_, i) => i + 1),
  );
  assert.equal((await allRows(store)).length, 12);
});

Deno.test("writeTable() writes a checkpoint every delta.checkpointInterval commits that loads the same state", async () => {
  const store = new MemoryStore();
  await createTable(store, {
    schema,
    partitionColumns: ["day"],
    properties: { "delta.checkpointInterval": "3" },
  }, {
    now,
  });
  for (let i = 1; i <= 4; i++) {
    await writeTable(store, [row(i, `2024-01-0${i}`)], { now, txn: { appId: "a", version: i } });
  }
  await writeTable(store, [row(7)], { now, mode: "overwrite" });
  await writeTable(store, [row(8)], { now });
  const last = JSON.parse(new TextDecoder().decode(await store.get("_delta_log/_last_checkpoint")));
  assert.equal(last.version, 6);
  assert.equal(last.numOfAddFiles, 2);
  const s = await loadSnapshot(store);
  assert.equal(s.checkpointVersion, 6);
  assert.equal(s.txnVersion("a"), 4);
  assert.equal(s.tombstones.length, 4);
  assert.deepEqual((await allRows(store)).map((r) => r.id), [7n, 8n]);
});

/** A real store whose process "dies" at the commit while `crashing`: data files land, the commit never does. */
class CrashAtCommitStore extends MemoryStore {
  crashing = false;
  override putIfAbsent(key: string, bytes: Uint8Array): Promise<void> {
    if (this.crashing && /^_delta_log\/\d{20}\.json$/.test(key)) {
      return Promise.reject(new Error("process killed"));
    }
    return super.putIfAbsent(key, bytes);
  }
}

/** A store whose checkpoint writes (or log deletions) fail, as a full or read-only volume would. */
class FailingMaintenanceStore extends MemoryStore {
  failCheckpoints = true;
  failDeletes = false;
  override put(key: string, bytes: Uint8Array): Promise<void> {
    if (this.failCheckpoints && key.includes(".checkpoint")) {
      return Promise.reject(new Error(`Cannot put "${key}": disk full`));
    }
    return super.put(key, bytes);
  }
  override delete(key: string): Promise<void> {
    if (this.failDeletes) return Promise.reject(new Error(`Cannot delete "${key}": read-only`));
    return super.delete(key);
  }
}

Deno.test("writeTable() reports a failed checkpoint as a warning and the committed write as done", async () => {
  const store = new FailingMaintenanceStore();
  const warnings: Error[] = [];
  const options = { now, checkpointInterval: 2, onWarning: (w: Error) => warnings.push(w) };
  await writeTable(store, [row(1)], { ...options, create: { schema } });
  await writeTable(store, [row(2)], options);
  const r = await writeTable(store, [row(3)], options);
  assert.equal(r.version, 2);
  assert.equal(warnings.length, 1);
  assert.equal(
    warnings[0].message,
    `Committed version 2 to "${store.url}" but its checkpoint failed: ` +
      `Cannot put "_delta_log/00000000000000000002.checkpoint.parquet": disk full`,
  );
  assert.match((warnings[0].cause as Error).message, /disk full/);
  const s = await loadSnapshot(store);
  assert.equal(s.version, 2);
  assert.equal(s.checkpointVersion, null);
  assert.deepEqual((await allRows(store)).map((r) => r.id), [1n, 2n, 3n]);
});

Deno.test("writeTable() reports a failed expired-log cleanup as a warning after the checkpoint", async () => {
  // Each clock reading is 40 days after the last: every commit is past the log retention at the checkpoint.
  let t = 1_700_000_000_000;
  const later = () => (t += 40 * 86_400_000);
  const store = new FailingMaintenanceStore({ now: later });
  store.failCheckpoints = false;
  const warnings: Error[] = [];
  const options = {
    now: later,
    checkpointInterval: 3,
    onWarning: (w: Error) => warnings.push(w),
  };
  await writeTable(store, [row(1)], { ...options, create: { schema } });
  store.failDeletes = true;
  for (let i = 2; i <= 4; i++) await writeTable(store, [row(i)], options);
  assert.equal(warnings.length, 1);
  assert.match(
    warnings[0].message,
    new RegExp(
      `^Committed version 3 to "${store.url}" but expired log cleanup failed: Cannot delete "_delta_log/`,
    ),
  );
  assert.equal((await loadSnapshot(store)).checkpointVersion, 3);
  assert.deepEqual((await allRows(store)).map((r) => r.id), [1n, 2n, 3n, 4n]);
});

Deno.test("a crash between writing data files and committing leaves the table unchanged; VACUUM removes the orphans", async () => {
  let t = 1_700_000_000_000;
  const clock = () => t;
  const store = new CrashAtCommitStore({ now: clock });
  await writeTable(store, [row(1)], { create: { schema }, now: clock });
  const before = (await Array.fromAsync(store.list(""))).map((m) => m.key);
  store.crashing = true;
  await assert.rejects(writeTable(store, [row(2), row(3)], { now: clock }), /process killed/);
  store.crashing = false;
  const s = await loadSnapshot(store);
  assert.equal(s.version, 0);
  assert.deepEqual((await allRows(store)).map((r) => r.id), [1n]);
  const orphans = (await Array.fromAsync(store.list(""))).map((m) => m.key).filter((k) =>
    !before.includes(k)
  );
  assert.equal(orphans.length, 1);
  t += 8 * 24 * 3_600_000;
  const { deleted } = await vacuumTable(store, { now: clock });
  assert.deepEqual(deleted, orphans);
  assert.deepEqual((await allRows(store)).map((r) => r.id), [1n]);
});
