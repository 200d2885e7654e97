import assert from "node:assert/strict";
import { Decimal, LocalDate, type Row, rowToJson, Timestamp } from "../../value/mod.ts";
import type { StructField } from "../schema/types.ts";
import { rowsToColumns } from "./arrow_columns.ts";
import { statsFromColumns, statsFromPrimitiveColumns } from "./file_stats.ts";
import { decodeFileRows } from "./file_rows.ts";
import { writePrimitiveParquet } from "./parquet_writer.ts";
import { rowsToPrimitiveColumns } from "./primitive_columns.ts";

const f = (name: string, type: StructField["type"], nullable = true): StructField => ({
  name,
  type,
  nullable,
  metadata: {},
});

const FIELDS = [
  f("id", "long", false),
  f("b", "byte"),
  f("s", "short"),
  f("i", "integer"),
  f("narrow", "integer"),
  f("f32", "float"),
  f("f64", "double"),
  f("flag", "boolean"),
  f("status", "string"),
  f("unique", "string"),
  f("bin", "binary"),
  f("day", "date"),
  f("ts", "timestamp"),
  f("ntz", "timestamp_ntz"),
  f("d9", "decimal(9,2)"),
  f("d18", "decimal(18,2)"),
  f("d38", "decimal(38,10)"),
  f("customer", "long"),
];

/** Rows over several pages, with nulls in runs and scattered, dictionary and PLAIN columns. */
function sampleRows(n: number): Row[] {
  const rows: Row[] = [];
  for (let r = 0; r < n; r++) {
    const nul = (every: number) => r % every === 3 || (r > 1000 && r < 1040);
    rows.push({
      id: BigInt(r) - 5n,
      b: nul(7) ? null : (r % 256) - 128,
      s: nul(11) ? null : (r * 7) % 65536 - 32768,
      i: nul(5) ? null : ((r * 1_000_003) % 2 ** 32) - 2 ** 31,
      narrow: nul(13) ? null : r % 10,
      f32: nul(9) ? null : Math.fround(r / 3),
      f64: nul(17) ? null : r * 1.5 - 1e6,
      flag: nul(3) ? null : r % 3 === 1,
      status: nul(19) ? null : ["pending", "paid", "ünï 😀", ""][r % 4],
      unique: nul(23) ? null : `value-${r}-${"x".repeat(r % 40)}`,
      bin: nul(29) ? null : new Uint8Array([r & 255, 0, 255]),
      day: nul(31) ? null : new LocalDate(19_000 + (r % 500) - 250),
      ts: nul(37) ? null : Timestamp.fromMicros(1_700_000_000_000_000n + BigInt(r) * 1_000_003n - 999n),
      ntz: nul(41) ? null : new Timestamp(BigInt(r) * 1_234_567_891n - 10n ** 15n, 9, false),
      d9: nul(43) ? null : new Decimal(BigInt(r * 37) - 5_000_000n, 2),
      d18: nul(47) ? null : new Decimal(BigInt(r) * 123_456_789_012n - 10n ** 16n, 2),
      d38: nul(53) ? null : new Decimal(BigInt(r) * 10n ** 26n - 10n ** 30n, 10),
      customer: nul(59) ? null : BigInt((r * 7919) % 1000) - 500n,
    });
  }
  return rows;
}

Deno.test("writePrimitiveParquet() writes files that read back to the same rows, over several pages", () => {
  // 70,000 distinct `unique` strings: the dictionary gives up and the column goes PLAIN, across 1 MiB pages.
  const rows = sampleRows(150_000);
  const columns = rowsToPrimitiveColumns(FIELDS, rows);
  assert.ok(columns.find((c) => c.field.name === "status")!.dictionary);
  assert.ok(!columns.find((c) => c.field.name === "unique")!.dictionary);
  assert.ok(columns.find((c) => c.field.name === "narrow")!.dictionary);
  assert.ok(columns.find((c) => c.field.name === "customer")!.dictionary);
  const schema = { type: "struct" as const, fields: FIELDS };
  const add = { path: "x", partitionValues: {}, size: 0, modificationTime: 0, dataChange: true };
  for (const codec of ["snappy", "uncompressed"] as const) {
    const bytes = writePrimitiveParquet(columns, rows.length, codec);
    const back = decodeFileRows(bytes, "test", schema, [], add);
    assert.equal(back.length, rows.length);
    for (let r = 0; r < rows.length; r += 997) {
      // timestamp_ntz is stored in microseconds: finer digits are floored.
      const ntz = rows[r].ntz as Timestamp | null;
      const expected: Row = { ...rows[r], ntz: ntz && Timestamp.fromMicros(ntz.epochMicros, false) };
      assert.equal(rowToJson(back[r]), rowToJson(expected), `row ${r} (${codec})`);
    }
  }
});

Deno.test("statsFromPrimitiveColumns() equals the Arrow path's stats", () => {
  const rows = sampleRows(5_000);
  assert.equal(
    statsFromPrimitiveColumns(FIELDS, rowsToPrimitiveColumns(FIELDS, rows), rows.length),
    statsFromColumns(FIELDS, rowsToColumns(FIELDS, rows).columns, rows.length),
  );
  const allNull = [f("a", "long"), f("s", "string"), f("x", "double")];
  const nulls = [{ a: null, s: null, x: Number.NaN }, { a: null, s: null, x: 1 }];
  assert.equal(
    statsFromPrimitiveColumns(allNull, rowsToPrimitiveColumns(allNull, nulls), 2),
    statsFromColumns(allNull, rowsToColumns(allNull, nulls).columns, 2),
  );
});

Deno.test("rowsToPrimitiveColumns() rejects bad values naming column and row", () => {
  assert.throws(
    () => rowsToPrimitiveColumns([f("id", "long", false)], [{ id: 1n }, { id: null }]),
    /column "id" row 1: null in a non-nullable column/,
  );
  assert.throws(
    () => rowsToPrimitiveColumns([f("id", "long")], [{ id: 2n ** 63n }]),
    /row 0: expected a 64-bit/,
  );
  assert.throws(() => rowsToPrimitiveColumns([f("s", "short")], [{ s: 40_000 }]), /expected an integer in/);
  assert.throws(
    () => rowsToPrimitiveColumns([f("s", "string")], [{ s: 1 }]),
    /expected a string, got number/,
  );
  assert.throws(
    () => rowsToPrimitiveColumns([f("d", "decimal(38,2)")], [{ d: new Decimal(10n ** 38n, 2) }]),
    /does not fit decimal\(38,2\)/,
  );
  assert.throws(
    () => rowsToPrimitiveColumns([f("d", "date")], [{ d: new LocalDate(2 ** 40) }]),
    /expected a date within the range/,
  );
});
