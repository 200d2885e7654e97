import assert from "node:assert/strict";
import { Decimal, LocalDate, Timestamp } from "../../value/mod.ts";
import type { AddFile } from "../log/actions.ts";
import type { StructType } from "../schema/types.ts";
import { fileMayMatch, type SkippingContext, statValue } from "./file_skipping.ts";
import type { Predicate } from "./predicate.ts";

const schema: StructType = {
  type: "struct",
  fields: [
    { name: "id", type: "long", nullable: true, metadata: {} },
    { name: "name", type: "string", nullable: true, metadata: {} },
    { name: "ts", type: "timestamp", nullable: true, metadata: {} },
    { name: "amount", type: "decimal(10,2)", nullable: true, metadata: {} },
    { name: "day", type: "date", nullable: true, metadata: {} },
  ],
};
const ctx: SkippingContext = { schema, partitionColumns: ["day"], mode: "none" };
const file = (stats: object | null, day: string | null = "2024-01-01"): AddFile => ({
  path: "f",
  partitionValues: { day },
  size: 1,
  modificationTime: 0,
  dataChange: true,
  stats: stats === null ? null : JSON.stringify(stats),
});
const stats = {
  numRecords: 10,
  minValues: { id: 10, name: "b", ts: "2024-01-01T00:00:00.000Z", amount: 1.5 },
  maxValues: { id: 20, name: "d", ts: "2024-01-01T00:00:00.123Z", amount: 9.99 },
  nullCount: { id: 0, name: 2, ts: 0, amount: 0 },
};
const may = (p: Predicate, f = file(stats)) => fileMayMatch(f, [p], ctx);

Deno.test("fileMayMatch() skips files whose min/max exclude the value", () => {
  assert.equal(may({ column: "id", op: "=", value: 5n }), false);
  assert.equal(may({ column: "id", op: "=", value: 15n }), true);
  assert.equal(may({ column: "id", op: "<", value: 10n }), false);
  assert.equal(may({ column: "id", op: "<=", value: 10n }), true);
  assert.equal(may({ column: "id", op: ">", value: 20n }), false);
  assert.equal(may({ column: "id", op: ">=", value: 20n }), true);
  assert.equal(may({ column: "name", op: ">", value: "d" }), false);
  assert.equal(may({ column: "amount", op: ">", value: Decimal.parse("9.99") }), false);
  assert.equal(may({ column: "amount", op: "<", value: Decimal.parse("1.51") }), true);
});

Deno.test("fileMayMatch() widens truncated timestamp maxima by 999 µs", () => {
  const at = (iso: string) => Timestamp.parse(iso);
  assert.equal(may({ column: "ts", op: "=", value: at("2024-01-01T00:00:00.123999Z") }), true);
  assert.equal(may({ column: "ts", op: ">=", value: at("2024-01-01T00:00:00.123500Z") }), true);
  assert.equal(may({ column: "ts", op: ">", value: at("2024-01-01T00:00:00.124000Z") }), false);
});

Deno.test("fileMayMatch() uses null counts for is null / is not null", () => {
  assert.equal(may({ column: "id", op: "is null" }), false);
  assert.equal(may({ column: "name", op: "is null" }), true);
  const allNull = file({ numRecords: 3, nullCount: { id: 3 } });
  assert.equal(may({ column: "id", op: "is not null" }, allNull), false);
  assert.equal(may({ column: "id", op: "=", value: 1n }, allNull), false);
});

Deno.test("fileMayMatch() prunes partitions from partitionValues", () => {
  const day = (d: string | null) => file(stats, d);
  const on = (d: string) => ({ column: "day", op: "=" as const, value: LocalDate.parse(d) });
  assert.equal(fileMayMatch(day("2024-01-01"), [on("2024-01-01")], ctx), true);
  assert.equal(fileMayMatch(day("2024-01-01"), [on("2024-01-02")], ctx), false);
  assert.equal(fileMayMatch(day(null), [on("2024-01-01")], ctx), false);
  assert.equal(fileMayMatch(day(null), [{ column: "day", op: "is null" }], ctx), true);
  assert.equal(fileMayMatch(day("2024-01-01"), [{ column: "day", op: "is null" }], ctx), false);
});

Deno.test("fileMayMatch() reads files without stats and keeps != unless bounds are exact", () => {
  assert.equal(may({ column: "id", op: "=", value: 5n }, file(null)), true);
  const single = file({
    numRecords: 2,
    minValues: { id: 7, name: "x" },
    maxValues: { id: 7, name: "x" },
    nullCount: { id: 0, name: 0 },
  });
  assert.equal(may({ column: "id", op: "!=", value: 7n }, single), false);
  assert.equal(may({ column: "name", op: "!=", value: "x" }, single), true);
});

Deno.test("statValue() refuses bounds that JSON or truncation made inexact", () => {
  assert.equal(statValue(9007199254740993, "long", "min"), null);
  assert.equal(statValue(12, "long", "min"), 12n);
  assert.equal(statValue(1234567890123456.7, "decimal(20,1)", "max"), null);
  assert.equal(String(statValue(123.45, "decimal(10,2)", "max")), "123.45");
  assert.equal(statValue("x".repeat(32), "string", "max"), null);
  assert.equal(statValue("x".repeat(32), "string", "min"), "x".repeat(32));
  assert.equal(
    String(statValue("2000-01-01T00:00:00.000-08:00", "timestamp", "min")),
    "2000-01-01T08:00:00.000000Z",
  );
  assert.equal(statValue(true, "boolean", "min"), null);
});
