/**
 * Interop both ways with Python `deltalake` (delta-rs) and pyspark 3.5 + delta-spark 3.x: tables the engine
 * writes (partitioned and not, every primitive type, upserts, deletes, checkpoints, Change Data Feed) read back
 * with identical rows by both; tables both write read by the engine with identical rows. Deletion vectors: the
 * engine's DV tables (merge and delete as vectors, checkpoints) read by both, with Spark's DESCRIBE DETAIL
 * protocol; Spark's DV table merged into by the engine and read back by Spark as the engine reads it.
 * deltalake 1.6.6 reads DV tables only through its SQL QueryBuilder (to_pyarrow_table() refuses the feature;
 * the test asserts both, so a release that lifts the limit shows up).
 */
import assert from "node:assert/strict";
import { Decimal, LocalDate, type Row, rowToJson, Timestamp } from "../../pipeline/value/mod.ts";
import { loadSnapshot } from "../../pipeline/delta/log/snapshot.ts";
import { scanAll } from "../../pipeline/delta/read/scan.ts";
import { LocalStore } from "../../pipeline/delta/storage/local_store.ts";
import type { StructType } from "../../pipeline/delta/schema/types.ts";
import { deleteRows } from "../../pipeline/delta/write/delete_rows.ts";
import { mergeRows } from "../../pipeline/delta/write/merge_rows.ts";
import { upsertRows } from "../../pipeline/delta/write/upsert_rows.ts";
import type { ColumnBatch } from "../../pipeline/delta/write/column_batch.ts";
import { writeTable } from "../../pipeline/delta/write/write_table.ts";
import { canonical, records, runPython } from "./_python.ts";

const col = (name: string, type: StructType["fields"][number]["type"]) => ({
  name,
  type,
  nullable: true,
  metadata: {},
});
const SCHEMA: StructType = {
  type: "struct",
  fields: [
    col("id", "long"),
    col("b_byte", "byte"),
    col("s_short", "short"),
    col("i_int", "integer"),
    col("f_float", "float"),
    col("d_double", "double"),
    col("bo_bool", "boolean"),
    col("str", "string"),
    col("bin", "binary"),
    col("dt_date", "date"),
    col("ts", "timestamp"),
    col("dec9", "decimal(9,2)"),
    col("dec18", "decimal(18,2)"),
    col("dec38", "decimal(38,10)"),
    col("p_day", "date"),
  ],
};

/** The same rows the Python scripts write (so all three engines share one scenario). */
function rows(ids: number[], tag: string): Row[] {
  return ids.map((i) => ({
    id: i === 4 ? 9007199254740993n : BigInt(i),
    b_byte: -i,
    s_short: i * 100,
    i_int: i * 100000,
    f_float: i + 0.5,
    d_double: i / 3,
    bo_bool: i % 2 === 0,
    str: `${tag}-${i}-ünï`,
    bin: new Uint8Array([i, 255]),
    dt_date: LocalDate.parse(`2024-01-0${i}`),
    ts: Timestamp.parse(`2024-01-0${i}T12:00:00.123456Z`),
    dec9: Decimal.parse(`${i}.25`),
    dec18: Decimal.parse(`-${i}123456789.99`),
    dec38: Decimal.parse(`${i}234567890123456789012345678.0123456789`),
    p_day: LocalDate.parse(`2024-02-0${1 + (i % 2)}`),
  }));
}

/** The rows as a column batch (typed arrays, strings and bytes as arrays, wide decimals as unscaled bigints). */
function columnBatch(rows: Row[]): ColumnBatch {
  const v = <T>(name: string, f: (x: NonNullable<Row[string]>) => T) => rows.map((r) => f(r[name]!));
  const unscaled = (name: string, scale: number) => v(name, (x) => (x as Decimal).rescale(scale).unscaled);
  return {
    length: rows.length,
    columns: {
      id: { values: BigInt64Array.from(v("id", (x) => x as bigint)) },
      b_byte: { values: Int32Array.from(v("b_byte", (x) => x as number)) },
      s_short: { values: Int32Array.from(v("s_short", (x) => x as number)) },
      i_int: { values: Int32Array.from(v("i_int", (x) => x as number)) },
      f_float: { values: Float32Array.from(v("f_float", (x) => x as number)) },
      d_double: { values: Float64Array.from(v("d_double", (x) => x as number)) },
      bo_bool: { values: Uint8Array.from(v("bo_bool", (x) => (x ? 1 : 0))) },
      str: { values: v("str", (x) => x as string) },
      bin: { values: v("bin", (x) => x as Uint8Array) },
      dt_date: { values: Int32Array.from(v("dt_date", (x) => (x as LocalDate).days)) },
      ts: { values: BigInt64Array.from(v("ts", (x) => (x as Timestamp).epochMicros)) },
      dec9: { values: BigInt64Array.from(unscaled("dec9", 2)) },
      dec18: { values: BigInt64Array.from(unscaled("dec18", 2)) },
      dec38: { values: unscaled("dec38", 10) },
      p_day: { values: Int32Array.from(v("p_day", (x) => (x as LocalDate).days)) },
    },
  };
}

/**
 * Writes the scenario: create + 3 rows, append 2 (as a column batch unless `batch` is false), upsert (update 2,
 * insert 6), delete 3; checkpoints every 2.
 */
async function writeScenario(dir: string, partitioned: boolean, batch = true): Promise<void> {
  const store = new LocalStore(dir);
  await writeTable(store, rows([1, 2, 3], "a"), {
    create: {
      schema: SCHEMA,
      partitionColumns: partitioned ? ["p_day"] : [],
      enableChangeDataFeed: true,
      properties: { "delta.checkpointInterval": "2" },
    },
  });
  await writeTable(store, batch ? columnBatch(rows([4, 5], "b")) : rows([4, 5], "b"));
  await upsertRows(store, rows([2, 6], "m"), ["id"]);
  await deleteRows(store, { description: "id = 3", test: (r) => r.id === 3n });
}

async function engineRows(dir: string): Promise<string[]> {
  const store = new LocalStore(dir);
  const snapshot = await loadSnapshot(store);
  return (await scanAll(store, snapshot)).map((r) => canonical(JSON.parse(rowToJson(r)))).sort();
}

const EXPECTED_CHANGES = [
  "0:insert:1",
  "0:insert:2",
  "0:insert:3",
  "1:insert:5",
  "1:insert:9007199254740993",
  "2:insert:6",
  "2:update_postimage:2",
  "2:update_preimage:2",
  "3:delete:3",
];

function changeKeys(stdout: string, op: number): string[] {
  return records(stdout, `CDF${op}`).map((l) => JSON.parse(l))
    .map((r) => `${r._commit_version}:${r._change_type}:${r.id}`).sort();
}

for (const [library, script] of [["deltalake", "deltalake_table.py"], ["Spark", "spark_table.py"]]) {
  // One Python process per library (one JVM for Spark): read two engine tables, write two of its own.
  Deno.test(`${library} and the engine read each other's tables, partitioned and not, with identical rows`, async (t) => {
    const dir = await Deno.makeTempDir({ prefix: "lakestream-interop-" });
    try {
      const ours = [`${dir}/engine-flat`, `${dir}/engine-partitioned`];
      const theirs = [`${dir}/${library}-flat`, `${dir}/${library}-partitioned`];
      await writeScenario(ours[0], false);
      await writeScenario(ours[1], true);
      // The column batch appended the same rows as Row objects would have.
      await writeScenario(`${dir}/engine-rows`, false, false);
      assert.deepEqual(await engineRows(ours[0]), await engineRows(`${dir}/engine-rows`));
      const out = await runPython(script, [
        "read",
        ours[0],
        "read",
        ours[1],
        "write0",
        theirs[0],
        "write1",
        theirs[1],
      ]);
      for (const [i, kind] of [[0, "non-partitioned"], [1, "partitioned"]] as const) {
        await t.step(
          `${library} reads the ${kind} table the engine wrote: same rows, same change feed`,
          async () => {
            const expected = await engineRows(ours[i]);
            assert.equal(expected.length, 5);
            assert.deepEqual(records(out, `ROW${i}`), expected);
            assert.deepEqual(changeKeys(out, i), EXPECTED_CHANGES);
          },
        );
        await t.step(
          `the engine reads the ${kind} table ${library} wrote (merge, delete, checkpoint)`,
          async () => {
            const expected = records(out, `ROW${i + 2}`);
            assert.equal(expected.length, 5);
            assert.deepEqual(await engineRows(theirs[i]), expected);
          },
        );
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

/**
 * The deletion-vector scenario: a DV + CDF table with ids 1–5 (one file per partition), a merge (update 2,
 * insert 6, delete 3) and a delete of 5, both written as deletion vectors (the second united with the first);
 * checkpoints every 2 commits.
 */
async function writeDvScenario(dir: string, partitioned: boolean): Promise<void> {
  const store = new LocalStore(dir);
  await writeTable(store, rows([1, 2, 3, 4, 5], "a"), {
    create: {
      schema: SCHEMA,
      partitionColumns: partitioned ? ["p_day"] : [],
      enableChangeDataFeed: true,
      enableDeletionVectors: true,
      properties: { "delta.checkpointInterval": "2" },
    },
  });
  await mergeDv(store);
  await deleteRows(store, { description: "id = 5", test: (r) => r.id === 5n });
}

/** Merge of the DV scenario: update 2, insert 6, delete 3. */
async function mergeDv(store: LocalStore): Promise<void> {
  await mergeRows(store, { upserts: rows([2, 6], "m"), deletes: [{ id: 3n }], keyColumns: ["id"] });
}

/** Deletion vectors the table's live files carry. */
async function liveVectors(dir: string): Promise<number> {
  return (await loadSnapshot(new LocalStore(dir))).files.filter((f) => f.deletionVector).length;
}

const DV_CHANGES = [
  "0:insert:1",
  "0:insert:2",
  "0:insert:3",
  "0:insert:5",
  "0:insert:9007199254740993",
  "1:delete:3",
  "1:insert:6",
  "1:update_postimage:2",
  "1:update_preimage:2",
  "2:delete:5",
];

Deno.test("deletion vectors: Spark and deltalake read the engine's DV tables, the engine merges into Spark's", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "lakestream-interop-dv-" });
  try {
    const ours = [`${dir}/engine-dv-flat`, `${dir}/engine-dv-partitioned`];
    const theirs = `${dir}/spark-dv`;
    await writeDvScenario(ours[0], false);
    await writeDvScenario(ours[1], true);
    assert.equal(
      await liveVectors(ours[0]),
      1,
      "ids 1-5 in one file, rows of 2, 3 and 5 deleted by one vector",
    );
    assert.equal(await liveVectors(ours[1]), 2);
    const first = await runPython("spark_table.py", [
      "read",
      ours[0],
      "read",
      ours[1],
      "detail",
      ours[0],
      "writedv",
      theirs,
    ]);
    await t.step(
      "Spark reads the engine's DV tables: same rows, same change feed, protocol (3,7)",
      async () => {
        for (const i of [0, 1]) {
          const expected = await engineRows(ours[i]);
          assert.equal(expected.length, 4);
          assert.deepEqual(records(first, `ROW${i}`), expected);
          assert.deepEqual(changeKeys(first, i), DV_CHANGES);
        }
        assert.deepEqual(records(first, "DETAIL2").map((l) => JSON.parse(l)), [{
          minReaderVersion: 3,
          minWriterVersion: 7,
          tableFeatures: ["appendOnly", "changeDataFeed", "deletionVectors", "invariants"],
        }]);
      },
    );
    const sparkBefore = records(first, "ROW3");
    await t.step("the engine reads Spark's DV table as Spark does", async () => {
      assert.equal(sparkBefore.length, 4);
      assert.equal(await liveVectors(theirs), 1, "Spark's DELETE wrote a deletion vector");
      assert.deepEqual(await engineRows(theirs), sparkBefore);
    });
    // The engine merges into Spark's table (uniting Spark's vector with its own), then Spark reads it back.
    await mergeDv(new LocalStore(theirs));
    await deleteRows(new LocalStore(theirs), { description: "id = 5", test: (r) => r.id === 5n });
    const second = await runPython("spark_table.py", ["read", theirs, "detail", theirs]);
    await t.step(
      "Spark reads Spark's DV table after the engine's merge and delete as the engine does",
      async () => {
        const expected = await engineRows(theirs);
        // Spark deleted 3; the engine's merge updated 2 and inserted 6 (its delete of 3 found nothing), then
        // deleted 5.
        assert.equal(expected.length, 4);
        assert.deepEqual(records(second, "ROW0"), expected);
        assert.deepEqual(changeKeys(second, 0), [
          "1:insert:1",
          "1:insert:2",
          "1:insert:3",
          "1:insert:5",
          "1:insert:9007199254740993",
          "2:delete:3",
          "3:insert:6",
          "3:update_postimage:2",
          "3:update_preimage:2",
          "4:delete:5",
        ]);
        assert.equal(JSON.parse(records(second, "DETAIL1")[0]).minReaderVersion, 3);
      },
    );
    const rs = await runPython("deltalake_table.py", [
      "readdv",
      ours[0],
      "readdv",
      ours[1],
      "readdv",
      theirs,
    ]);
    await t.step(
      "deltalake 1.6.6 reads all three through its SQL engine; to_pyarrow_table() refuses them",
      async () => {
        for (const [i, table] of [ours[0], ours[1], theirs].entries()) {
          assert.deepEqual(records(rs, `ROW${i}`), await engineRows(table), table);
          // A known limit of deltalake 1.6.6, kept visible: its pyarrow reader does not implement the feature.
          assert.match(
            rs.split("\n").find((l) => l.startsWith(`REFUSED${i} `)) ?? "",
            /reader features: \{'deletionVectors'\} but these are not yet supported/,
          );
        }
        for (const i of [0, 1]) {
          const error = rs.split("\n").find((l) => l.startsWith(`CDFERROR${i} `));
          assert.equal(error, undefined, `deltalake's change feed of ${ours[i]}: ${error}`);
          assert.deepEqual(changeKeys(rs, i), DV_CHANGES);
        }
      },
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
