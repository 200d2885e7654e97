import assert from "node:assert/strict";
import { Decimal, LocalDate, type Row, rowToJson, Timestamp } from "../../value/mod.ts";
import { decimalParts, type StructField } from "../schema/types.ts";
import { batchToPrimitiveColumns } from "./batch_columns.ts";
import type { ColumnBatch, ColumnVector } from "./column_batch.ts";
import { statsFromPrimitiveColumns } from "./file_stats.ts";
import { decodeFileRows } from "./file_rows.ts";
import { writePrimitiveParquet } from "./parquet_writer.ts";
import { rowsToPrimitiveColumns } from "./primitive_columns.ts";
import { f, FIELDS, sampleRows } from "./_sample_rows.ts";

/**
 * The test's own rows → batch conversion (the reference the writer is checked against): typed arrays with a
 * validity mask, strings as arrays with null entries or, with `dictionaries`, as indices into a dictionary.
 */
function toBatch(fields: readonly StructField[], rows: readonly Row[], dictionaries = false): ColumnBatch {
  const n = rows.length;
  const columns: Record<string, ColumnVector> = {};
  for (const field of fields) {
    const type = field.type as string;
    const vs = rows.map((r) => r[field.name] ?? null);
    const valid = Uint8Array.from(vs, (v) => (v === null ? 0 : 1));
    const dec = decimalParts(field.type);
    let values: ColumnVector["values"];
    if (dec && dec.precision > 18) {
      values = vs.map((v) => (v === null ? null : (v as Decimal).rescale(dec.scale).unscaled));
    } else if (dec) {
      values = BigInt64Array.from(vs, (v) => (v === null ? 0n : (v as Decimal).rescale(dec.scale).unscaled));
    } else if (type === "long") {
      values = BigInt64Array.from(vs, (v) => (v === null ? 0n : BigInt(v as bigint)));
    } else if (type.startsWith("timestamp")) {
      values = BigInt64Array.from(vs, (v) => (v === null ? 0n : (v as Timestamp).epochMicros));
    } else if (type === "date") values = Int32Array.from(vs, (v) => (v === null ? 0 : (v as LocalDate).days));
    else if (type === "integer" || type === "short" || type === "byte") {
      values = Int32Array.from(vs, (v) => (v === null ? 0 : v as number));
    } else if (type === "float") values = Float32Array.from(vs, (v) => (v === null ? 0 : v as number));
    else if (type === "double") values = Float64Array.from(vs, (v) => (v === null ? 0 : v as number));
    else if (type === "boolean") values = Uint8Array.from(vs, (v) => (v === true ? 1 : 0));
    else if (type === "string" && dictionaries) {
      // Reversed first-seen order, an unused entry and a duplicate, so the writer must remap.
      const distinct = [...new Set(vs.filter((v) => v !== null) as string[])].reverse();
      const dictionary = ["unused", ...distinct, distinct[0]];
      const index = new Map(distinct.map((s, i) => [s, i + 1]));
      values = {
        indices: Int32Array.from(vs, (v) => (v === null ? 99 : index.get(v as string)!)),
        dictionary,
      };
    } else values = vs as (string | null)[] | (Uint8Array | null)[];
    const arrays = Array.isArray(values);
    columns[field.name] = arrays ? { values } : { values, valid };
  }
  return { length: n, columns };
}

const add = { path: "x", partitionValues: {}, size: 0, modificationTime: 0, dataChange: true };

/** The batch gives the same stats and file bytes as the rows; with `decode`, the file reads back to the rows. */
function assertSameFile(
  fields: readonly StructField[],
  rows: readonly Row[],
  batch: ColumnBatch,
  decode = true,
): void {
  const fromRows = rowsToPrimitiveColumns(fields, rows);
  const fromBatch = batchToPrimitiveColumns(fields, batch);
  assert.equal(
    statsFromPrimitiveColumns(fields, fromBatch, batch.length),
    statsFromPrimitiveColumns(fields, fromRows, rows.length),
  );
  for (const codec of ["snappy", "uncompressed"] as const) {
    const bytes = writePrimitiveParquet(fromBatch, batch.length, codec);
    assert.deepEqual(bytes, writePrimitiveParquet(fromRows, rows.length, codec), codec);
    if (!decode || codec !== "snappy") continue;
    const back = decodeFileRows(bytes, "test", { type: "struct", fields: [...fields] }, [], add);
    assert.equal(back.length, rows.length);
    for (let r = 0; r < rows.length; r++) {
      if (rowToJson(back[r]) !== rowToJson(rows[r])) {
        assert.equal(rowToJson(back[r]), rowToJson(rows[r]), `row ${r} (${codec})`);
      }
    }
  }
}

Deno.test("batchToPrimitiveColumns() writes the same file and stats as the rows, over several pages", () => {
  // 70,000 distinct `unique` strings: the dictionary gives up and the column goes PLAIN, across 1 MiB pages.
  const rows = sampleRows(150_000, true);
  assertSameFile(FIELDS, rows, toBatch(FIELDS, rows));
  assertSameFile(FIELDS, rows, toBatch(FIELDS, rows, true), false);
});

Deno.test("batchToPrimitiveColumns() writes extreme values with exact stats", () => {
  const fields = [
    f("l", "long"),
    f("i", "integer"),
    f("s", "short"),
    f("b", "byte"),
    f("d9", "decimal(9,2)"),
    f("d18", "decimal(18,2)"),
    f("d38", "decimal(38,0)"),
    f("ts", "timestamp"),
    f("day", "date"),
    f("x", "double"),
    f("y", "float"),
    f("t", "string"),
  ];
  const d = (u: bigint, scale: number) => new Decimal(u, scale);
  const rows: Row[] = [-1, 1, 0].map((sign) => ({
    l: sign === 0 ? 0n : sign < 0 ? -(2n ** 63n) : 2n ** 63n - 1n,
    i: sign === 0 ? 0 : sign < 0 ? -(2 ** 31) : 2 ** 31 - 1,
    s: sign === 0 ? null : sign < 0 ? -32768 : 32767,
    b: sign === 0 ? 0 : sign < 0 ? -128 : 127,
    d9: d(BigInt(sign) * (10n ** 9n - 1n), 2),
    d18: d(BigInt(sign) * (10n ** 18n - 1n), 2),
    d38: d(BigInt(sign) * (10n ** 38n - 1n), 0),
    ts: Timestamp.fromMicros(BigInt(sign) * 2n ** 62n),
    day: new LocalDate(sign * (2 ** 31 - 1)),
    x: sign * Number.MAX_VALUE,
    y: sign * 3.4028234663852886e38,
    t: sign === 0 ? "" : sign < 0 ? "\u0000" : "\u{10ffff}".repeat(40),
  }));
  assertSameFile(fields, rows, toBatch(fields, rows));
  const stats = JSON.parse(
    statsFromPrimitiveColumns(fields, batchToPrimitiveColumns(fields, toBatch(fields, rows)), 3),
  );
  assert.equal(stats.minValues.d18, -9999999999999999.99);
  assert.deepEqual(stats.nullCount, {
    l: 0,
    i: 0,
    s: 1,
    b: 0,
    d9: 0,
    d18: 0,
    d38: 0,
    ts: 0,
    day: 0,
    x: 0,
    y: 0,
    t: 0,
  });
  assert.equal(stats.minValues.i, -(2 ** 31));
  assert.equal(stats.maxValues.b, 127);
});

Deno.test("batchToPrimitiveColumns() handles empty batches, all-null and missing columns", () => {
  const empty: ColumnBatch = { length: 0, columns: {} };
  const fields = FIELDS.filter((x) => x.nullable);
  assertSameFile(fields, [], toBatch(fields, []));
  assertSameFile(fields, [], empty);
  const nulls: Row[] = Array.from(
    { length: 20 },
    () => Object.fromEntries(fields.map((x) => [x.name, null])),
  );
  assertSameFile(fields, nulls, { length: 20, columns: {} });
  assertSameFile(fields, nulls, toBatch(fields, nulls));
  assert.equal(
    statsFromPrimitiveColumns(fields.slice(0, 2), batchToPrimitiveColumns(fields.slice(0, 2), empty), 0),
    '{"numRecords":0,"minValues":{},"maxValues":{},"nullCount":{"b":0,"s":0}}',
  );
});

Deno.test("batchToPrimitiveColumns() rejects bad batches naming column, row and value", () => {
  const one = (field: StructField, vector: ColumnVector, length = 3) =>
    batchToPrimitiveColumns([field], { length, columns: { [field.name]: vector } });
  assert.throws(
    () => one(f("id", "long"), { values: new BigInt64Array(2) }),
    /column "id": 2 values for a batch of 3 rows/,
  );
  assert.throws(
    () => one(f("id", "long"), { values: new Float64Array(3) }),
    /column "id": expected a BigInt64Array for long, got Float64Array/,
  );
  assert.throws(
    () => one(f("a", "decimal(18,2)"), { values: [1n, 2n, 3n] }),
    /column "a": expected a BigInt64Array of unscaled values at scale 2 for decimal\(18,2\), got Array/,
  );
  assert.throws(
    () => one(f("id", "long"), { values: new BigInt64Array(3), valid: new Uint8Array(2) }),
    /column "id": 2 validity bytes for a batch of 3 rows/,
  );
  assert.throws(
    () => one(f("id", "long", false), { values: new BigInt64Array(3), valid: Uint8Array.of(1, 1, 0) }),
    /column "id" row 2: null in a non-nullable column/,
  );
  assert.throws(
    () => one(f("s", "string", false), { values: ["a", null, "c"] }),
    /column "s" row 1: null in a non-nullable column/,
  );
  assert.throws(
    () => one(f("id", "long"), { values: new BigInt64Array(3), valid: Uint8Array.of(1, 2, 1) }),
    /column "id" row 1: expected valid 0 or 1, got 2/,
  );
  // Row 2 is the second value: the error names the row, not the position among the non-null values.
  assert.throws(
    () =>
      one(f("a", "decimal(18,2)"), {
        values: BigInt64Array.of(1n, 0n, 10n ** 18n),
        valid: Uint8Array.of(1, 0, 1),
      }),
    /column "a" row 2: 10000000000000000.00 does not fit decimal\(18,2\)/,
  );
  assert.throws(
    () => one(f("a", "decimal(4,2)"), { values: BigInt64Array.of(-10000n, 0n, 0n) }),
    /column "a" row 0: -100.00 does not fit decimal\(4,2\)/,
  );
  assert.throws(
    () => one(f("a", "decimal(20,0)"), { values: [1n, 10n ** 20n, null] }),
    /column "a" row 1: 100000000000000000000 does not fit decimal\(20,0\)/,
  );
  assert.throws(
    () => one(f("a", "decimal(20,0)"), { values: [1n, 2, null] as unknown as bigint[] }),
    /column "a" row 1: expected an unscaled bigint for decimal\(20,0\), got number/,
  );
  assert.throws(
    () => one(f("s", "short"), { values: Int32Array.of(1, 40_000, 2) }),
    /column "s" row 1: expected an integer in -32768…32767 for short, got number 40000/,
  );
  assert.throws(() => one(f("b", "boolean"), { values: Uint8Array.of(0, 1, 2) }), /row 2: expected 0 or 1/);
  assert.throws(
    () => one(f("s", "string"), { values: { indices: Int32Array.of(0, 1, 2), dictionary: ["a", "b"] } }),
    /column "s" row 2: dictionary index 2 is outside 0…1/,
  );
  assert.throws(
    () => one(f("s", "string"), { values: ["a", 1, "c"] as unknown as string[] }),
    /column "s" row 1: expected a string, got number/,
  );
  assert.throws(
    () => batchToPrimitiveColumns([f("id", "long", false)], { length: 1, columns: {} }),
    /column "id": the batch has no such column and it is not nullable/,
  );
  assert.throws(
    () =>
      batchToPrimitiveColumns([f("m", { type: "array", elementType: "long", containsNull: true })], {
        length: 0,
        columns: { m: { values: [] } },
      }),
    /column "m" from a column batch: type array is not a primitive type/,
  );
});
