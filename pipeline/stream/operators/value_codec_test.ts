import assert from "node:assert/strict";
import { Decimal, LocalDate, LocalTime, Timestamp, type Value, valuesEqual } from "../../value/mod.ts";
import { decodeValue, encodeValue } from "./value_codec.ts";

Deno.test("encodeValue() round-trips every value type with its exact type", () => {
  const values: Value[] = [
    null,
    true,
    0,
    -1.5,
    NaN,
    Infinity,
    12345678901234567890n,
    "plain",
    "~starts with the tag",
    Decimal.parse("12.30"),
    Decimal.parse("-0.05"),
    new Timestamp(1_700_000_000_123_456_789n, 9, false),
    Timestamp.fromMicros(-1n),
    new LocalDate(-3),
    new LocalTime(37425678901200n, 7),
    new Uint8Array([0, 255, 7]),
    [1, "a", [Decimal.parse("1.0")]],
    new Map<Value, Value>([["k", 1n], [2, null]]),
    { a: 1, b: { c: Timestamp.fromMillis(5) } },
  ];
  for (const v of values) {
    const back = decodeValue(JSON.parse(JSON.stringify(encodeValue(v))));
    assert.ok(valuesEqual(back, v), `round trip of ${String(v)}`);
    assert.equal(typeof back, typeof v);
  }
  const d = decodeValue(encodeValue(Decimal.parse("3.10"))) as Decimal;
  assert.equal(d.toString(), "3.10");
  const t = decodeValue(encodeValue(new Timestamp(5n, 3, false))) as Timestamp;
  assert.deepEqual([t.digits, t.zoned], [3, false]);
});

Deno.test("decodeValue() rejects an unknown type tag", () => {
  assert.throws(() => decodeValue("~Qx"), SyntaxError);
});
