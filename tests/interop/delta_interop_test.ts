/**
 * Interop both ways with Python `deltalake` (delta-rs) and pyspark 3.5 + delta-spark 3.x: tables the engine
 * writes (partitioned and not, every primitive type, upserts, deletes, checkpoints, Change Data Feed) read back
 * with identical rows by both; tables both write read by the engine with identical rows.
 */
import assert from "node:assert/strict";
import { Decimal, LocalDate, type Row, rowToJson, Timestamp } from "../../pipeline/value/mod.ts";
import { loadSnapshot } from "../../pipeline/delta/log/snapshot.ts";
import { scanAll } from "../../pipeline/delta/read/scan.ts";
import { LocalStore } from "../../pipeline/delta/storage/local_store.ts";
import type { StructType } from "../../pipeline/delta/schema/types.ts";
import { deleteRows } from "../../pipeline/delta/write/delete_rows.ts";
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
