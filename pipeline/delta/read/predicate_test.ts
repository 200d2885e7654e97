import assert from "node:assert/strict";
import { Decimal, LocalDate, Timestamp } from "../../value/mod.ts";
import type { StructType } from "../schema/types.ts";
import { compareCodePoints, compareValues } from "./compare_values.ts";
import {
  coercePredicate,
  matchesAll,
  parseFilter,
  parsePredicate,
  predicateToString,
  testValue,
} from "./predicate.ts";

const schema: StructType = {
  type: "struct",
  fields: [
    { name: "id", type: "long", nullable: false, metadata: {} },
    { name: "name", type: "string", nullable: true, metadata: {} },
    { name: "amount", type: "decimal(18,2)", nullable: true, metadata: {} },
    { name: "day", type: "date", nullable: true, metadata: {} },
    { name: "ts", type: "timestamp", nullable: true, metadata: {} },
    { name: "ok", type: "boolean", nullable: true, metadata: {} },
    {
      name: "tags",
      type: { type: "array", elementType: "string", containsNull: true },
      nullable: true,
      metadata: {},
    },
  ],
};

Deno.test("parsePredicate() reads literals as the column's type", () => {
  assert.deepEqual(parsePredicate("id >= 9007199254740993", schema), {
    column: "id",
    op: ">=",
    value: 9007199254740993n,
  });
  assert.deepEqual(parsePredicate("name = 'a b'", schema), { column: "name", op: "=", value: "a b" });
  assert.deepEqual(parsePredicate("NAME <> x", schema), { column: "name", op: "!=", value: "x" });
  const p = parsePredicate("amount < 12.30", schema);
  assert.ok("value" in p && p.value instanceof Decimal && p.value.toString() === "12.30");
  const d = parsePredicate("day == 2024-01-02", schema);
  assert.ok("value" in d && d.value instanceof LocalDate && d.value.toString() === "2024-01-02");
  const t = parsePredicate("ts > 2024-01-02T03:04:05+01:00", schema);
  assert.ok(
    "value" in t && t.value instanceof Timestamp && t.value.toString() === "2024-01-02T02:04:05.000000Z",
  );
  assert.deepEqual(parsePredicate("ok = TRUE", schema), { column: "ok", op: "=", value: true });
  assert.deepEqual(parsePredicate("name is not null", schema), { column: "name", op: "is not null" });
  assert.deepEqual(parsePredicate("`day` IS NULL", schema), { column: "day", op: "is null" });
});

Deno.test("parsePredicate() explains what is wrong", () => {
  assert.throws(() => parsePredicate("id ~ 3", schema), SyntaxError);
  assert.throws(() => parsePredicate("id =", schema), { message: /the value is missing/ });
  assert.throws(() => parsePredicate("nope = 1", schema), { name: "TypeError", message: /no such column/ });
  assert.throws(() => parsePredicate("id = 1.5", schema), {
    message: /Cannot compare column "id" \(long\) with 1.5/,
  });
  assert.throws(() => parsePredicate("name = null", schema), { message: /use "is null"/ });
  assert.throws(() => parsePredicate("tags = x", schema), TypeError);
});

Deno.test("testValue() follows SQL null semantics", () => {
  const eq = { column: "id", op: "=" as const, value: 3n };
  assert.equal(testValue(eq, 3n), true);
  assert.equal(testValue(eq, 3), true);
  assert.equal(testValue(eq, null), false);
  assert.equal(testValue({ ...eq, op: "!=" }, null), false);
  assert.equal(testValue({ column: "x", op: "is null" }, null), true);
  assert.equal(testValue({ column: "x", op: "!=", value: 1 }, NaN), true);
  assert.equal(testValue({ column: "x", op: "<", value: 1 }, NaN), false);
  assert.equal(matchesAll([eq, { column: "name", op: "is not null" }], { id: 3n, name: "a" }), true);
  assert.equal(matchesAll([eq, { column: "name", op: "is not null" }], { id: 3n, name: null }), false);
  assert.equal(predicateToString(parsePredicate("amount >= 1.50", schema)), "amount >= 1.50");
});

Deno.test("compareValues() orders each kind of value and refuses mixed kinds", () => {
  assert.equal(compareValues(2n, 3), -1);
  assert.equal(compareValues(Decimal.parse("1.0"), Decimal.parse("1.00")), 0);
  assert.equal(compareValues(new LocalDate(1), new LocalDate(0)), 1);
  assert.equal(compareValues(new Uint8Array([1, 2]), new Uint8Array([1, 2, 0])), -1);
  assert.equal(compareValues(false, true), -1);
  assert.equal(compareValues("a", 1), null);
  assert.equal(compareValues(null, 1), null);
  // U+FF5E sorts below U+1F600 in UTF-8 although its UTF-16 unit is larger.
  assert.equal(compareCodePoints("\uff5e", "😀"), -1);
  assert.equal("\uff5e" < "😀", false);
});

Deno.test("coercePredicate() converts plain JS values to the column's type", () => {
  const field = (name: string) => schema.fields.find((f) => f.name === name)!;
  const value = (p: ReturnType<typeof coercePredicate>) => ("value" in p ? p.value : undefined);
  assert.equal(value(coercePredicate({ column: "id", op: "=", value: 5 }, field("id"))), 5n);
  assert.equal(
    String(value(coercePredicate({ column: "amount", op: ">", value: 10 }, field("amount")))),
    "10",
  );
  assert.equal(
    String(value(coercePredicate({ column: "amount", op: ">", value: 10n }, field("amount")))),
    "10",
  );
  assert.equal(
    String(value(coercePredicate({ column: "day", op: "=", value: "2024-01-02" }, field("day")))),
    "2024-01-02",
  );
  assert.equal(
    String(value(coercePredicate({ column: "ts", op: "<", value: "2024-01-02T00:00:00Z" }, field("ts")))),
    "2024-01-02T00:00:00.000000Z",
  );
  assert.throws(() => coercePredicate({ column: "id", op: "=", value: 1.5 }, field("id")), TypeError);
  assert.throws(() => coercePredicate({ column: "day", op: "=", value: "soon" }, field("day")), TypeError);
  assert.deepEqual(coercePredicate({ column: "ID", op: "is null" }, field("id")), {
    column: "id",
    op: "is null",
  });
});

Deno.test("parseFilter() splits a conjunction on AND outside quotes", () => {
  assert.deepEqual(parseFilter("id > 1 AND name = 'rock and roll' and ok = true", schema), [
    { column: "id", op: ">", value: 1n },
    { column: "name", op: "=", value: "rock and roll" },
    { column: "ok", op: "=", value: true },
  ]);
  assert.deepEqual(parseFilter("name is null", schema), [{ column: "name", op: "is null" }]);
  assert.throws(() => parseFilter("id > 1 and", schema), SyntaxError);
});
