import assert from "node:assert/strict";
import { Decimal, LocalDate, type Row, rowToJson, Timestamp } from "../../value/mod.ts";
import { rowsToColumns } from "./arrow_columns.ts";
import { statsFromColumns, statsFromPrimitiveColumns } from "./file_stats.ts";
import { decodeFileRows } from "./file_rows.ts";
import { writePrimitiveParquet } from "./parquet_writer.ts";
import { rowsToPrimitiveColumns } from "./primitive_columns.ts";
import { f, FIELDS, sampleRows } from "./_sample_rows.ts";

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

Deno.test("writePrimitiveParquet() places compressed pages whose header is longer or shorter than guessed", () => {
  // Random longs barely compress (pages of 1 MiB stay above 2^20 bytes: a 4-byte size in the header); the
  // small last page and the narrow column's pages have shorter headers than the guess.
  const fields = [f("r", "long", false), f("n", "integer", false)];
  let seed = 7;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
  const rows: Row[] = Array.from({ length: 140_000 }, (_, i) => ({
    r: BigInt.asIntN(64, (BigInt(next()) << 32n) | BigInt(next())),
    n: i % 3,
  }));
  const bytes = writePrimitiveParquet(rowsToPrimitiveColumns(fields, rows), rows.length, "snappy");
  const schema = { type: "struct" as const, fields };
  const add = { path: "x", partitionValues: {}, size: 0, modificationTime: 0, dataChange: true };
  const back = decodeFileRows(bytes, "test", schema, [], add);
  assert.deepEqual(back.map((r) => r.r), rows.map((r) => r.r));
  assert.deepEqual(back.map((r) => r.n), rows.map((r) => r.n));
});
