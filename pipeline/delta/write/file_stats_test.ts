import assert from "node:assert/strict";
import { Decimal, LocalDate, type Row, Timestamp } from "../../value/mod.ts";
import type { StructField } from "../schema/types.ts";
import {
  computeStats,
  statsOptionsFromConfiguration,
  truncateMaxString,
  truncateMinString,
  withLooseBounds,
} from "./file_stats.ts";

const f = (name: string, type: StructField["type"], nullable = true): StructField => ({
  name,
  type,
  nullable,
  metadata: {},
});

Deno.test("computeStats() writes Spark's min, max and null counts for every primitive type", () => {
  const fields = [
    f("id", "long"),
    f("i", "integer"),
    f("name", "string"),
    f("amount", "decimal(18,2)"),
    f("ts", "timestamp"),
    f("ntz", "timestamp_ntz"),
    f("day", "date"),
    f("ratio", "float"),
    f("score", "double"),
    f("flag", "boolean"),
    f("bin", "binary"),
    f("tags", { type: "array", elementType: "string", containsNull: true }),
    f("attrs", { type: "map", keyType: "string", valueType: "string", valueContainsNull: true }),
  ];
  const rows: Row[] = [
    {
      id: 9007199254740993n,
      i: 5,
      name: "beta",
      amount: Decimal.parse("12.30"),
      ts: Timestamp.parse("2023-06-15T12:30:00.123456Z"),
      ntz: Timestamp.parse("2023-06-15T12:30:00.999999", { zoned: false }),
      day: LocalDate.parse("2023-01-15"),
      ratio: Math.fround(3.14),
      score: 0.1,
      flag: true,
      bin: new Uint8Array([1]),
      tags: ["x"],
      attrs: new Map([["k", "v"]]),
    },
    {
      id: -3n,
      i: null,
      name: "alpha",
      amount: Decimal.parse("-1.5"),
      ts: Timestamp.parse("1969-12-31T23:59:59.999500Z"),
      ntz: null,
      day: LocalDate.parse("2024-02-29"),
      ratio: -2.5,
      score: 1e21,
      flag: null,
      bin: null,
      tags: null,
      attrs: null,
    },
  ];
  assert.equal(
    computeStats(fields, rows),
    JSON.stringify({
      numRecords: 2,
      minValues: {
        id: -3,
        i: 5,
        name: "alpha",
        amount: -1.5,
        ts: "1969-12-31T23:59:59.999Z",
        ntz: "2023-06-15T12:30:00.999",
        day: "2023-01-15",
        ratio: -2.5,
        score: 0.1,
      },
      maxValues: {
        id: 0,
        i: 5,
        name: "beta",
        amount: 12.3,
        ts: "2023-06-15T12:30:00.123Z",
        ntz: "2023-06-15T12:30:00.999",
        day: "2024-02-29",
        ratio: 3.14,
        score: 1e21,
      },
      nullCount: {
        id: 0,
        i: 1,
        name: 0,
        amount: 0,
        ts: 0,
        ntz: 1,
        day: 0,
        ratio: 0,
        score: 0,
        flag: 1,
        bin: 1,
        tags: 1,
        attrs: 1,
      },
    }).replace('"id":0', '"id":9007199254740993').replace('"amount":-1.5', '"amount":-1.50')
      .replace('"amount":12.3', '"amount":12.30'),
  );
});

Deno.test("computeStats() nests struct stats and omits min/max of NaN and all-null columns", () => {
  const fields = [
    f("s", { type: "struct", fields: [f("inner", "integer"), f("label", "string")] }),
    f("x", "double"),
    f("empty", "string"),
  ];
  const rows: Row[] = [
    { s: { inner: 10, label: null }, x: NaN, empty: null },
    { s: null, x: 1, empty: null },
  ];
  assert.deepEqual(JSON.parse(computeStats(fields, rows)), {
    numRecords: 2,
    minValues: { s: { inner: 10 } },
    maxValues: { s: { inner: 10 } },
    nullCount: { s: { inner: 1, label: 2 }, x: 0, empty: 2 },
  });
});

Deno.test("computeStats() covers only the first 32 leaf columns unless told otherwise", () => {
  const fields = Array.from({ length: 40 }, (_, i) => f(`c${i}`, "integer"));
  const row: Row = Object.fromEntries(fields.map((x, i) => [x.name, i]));
  const stats = JSON.parse(computeStats(fields, [row]));
  assert.equal(Object.keys(stats.nullCount).length, 32);
  assert.equal(stats.maxValues.c31, 31);
  assert.equal(stats.maxValues.c32, undefined);
  const chosen = JSON.parse(
    computeStats(
      fields,
      [row],
      statsOptionsFromConfiguration({ "delta.dataSkippingStatsColumns": "c39, c1" }),
    ),
  );
  assert.deepEqual(chosen.minValues, { c1: 1, c39: 39 });
  const two = JSON.parse(computeStats(fields, [row], { numIndexedCols: 2 }));
  assert.deepEqual(Object.keys(two.nullCount), ["c0", "c1"]);
});

Deno.test("truncateMinString() and truncateMaxString() follow Spark's 32-character prefix rule", () => {
  const long = "a".repeat(40);
  assert.equal(truncateMinString(long, 32), "a".repeat(32));
  assert.equal(truncateMaxString(long, 32), "a".repeat(32) + "\u007f");
  assert.equal(truncateMaxString("a".repeat(32) + "é" + "b", 32), "a".repeat(32) + "\u{10ffff}");
  assert.equal(truncateMaxString("short", 32), "short");
  // Never split a surrogate pair.
  const emoji = "a".repeat(31) + "😀" + "zzz";
  assert.equal(truncateMinString(emoji, 32), "a".repeat(31) + "😀");
  assert.equal(truncateMaxString(emoji, 32), "a".repeat(31) + "😀\u007f");
  // Only U+10FFFF characters past the prefix: no upper bound fits in 64 units.
  assert.equal(truncateMaxString("a".repeat(32) + "\u{10ffff}".repeat(40), 32), null);
  const stats = JSON.parse(computeStats([f("s", "string")], [{ s: long }, { s: "b" }]));
  assert.equal(stats.minValues.s, "a".repeat(32));
  assert.equal(stats.maxValues.s, "b");
});

Deno.test("withLooseBounds() sets tightBounds false and keeps every other digit of the stats", () => {
  const stats = '{"numRecords":3,"minValues":{"id":9007199254740993},"maxValues":{"id":9007199254740995}}';
  assert.equal(
    withLooseBounds(stats),
    '{"numRecords":3,"minValues":{"id":9007199254740993},"maxValues":{"id":9007199254740995},"tightBounds":false}',
  );
  assert.equal(
    withLooseBounds('{"numRecords":1,"tightBounds":true}'),
    '{"numRecords":1,"tightBounds":false}',
  );
  assert.equal(withLooseBounds("{}"), '{"tightBounds":false}');
  assert.equal(withLooseBounds(undefined), undefined);
});
