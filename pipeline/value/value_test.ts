import assert from "node:assert/strict";
import {
  Decimal,
  decodeBase64,
  encodeBase64,
  LocalDate,
  rowToJson,
  Timestamp,
  toJsonValue,
  valuesEqual,
} from "./mod.ts";

Deno.test("toJsonValue() encodes every value kind the lake's way", () => {
  const row = {
    id: 9007199254740993n,
    small: 42n,
    amount: Decimal.parse("12.30"),
    day: new LocalDate(0),
    ts: Timestamp.fromMicros(1n),
    ntz: Timestamp.fromMicros(1n, false),
    bin: new Uint8Array([1, 2, 255]),
    nested: { tags: ["a", null], attrs: new Map([["k", 1]]) },
    intKeys: new Map([[1, "x"]]),
    nan: NaN,
  };
  assert.deepEqual(toJsonValue(row), {
    id: "9007199254740993",
    small: 42,
    amount: "12.30",
    day: "1970-01-01",
    ts: "1970-01-01T00:00:00.000001Z",
    ntz: "1970-01-01T00:00:00.000001",
    bin: "AQL/",
    nested: { tags: ["a", null], attrs: { k: 1 } },
    intKeys: [{ key: 1, value: "x" }],
    nan: "NaN",
  });
  assert.equal(rowToJson({ a: 1n }), '{"a":1}');
});

Deno.test("base64 round-trips every length and rejects bad characters", () => {
  for (let n = 0; n < 20; n++) {
    const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 255);
    assert.deepEqual(decodeBase64(encodeBase64(bytes)), bytes);
  }
  assert.deepEqual([...decodeBase64("HoSA")], [0x1e, 0x84, 0x80]);
  assert.throws(() => decodeBase64("a$b="), SyntaxError);
});

Deno.test("valuesEqual() compares by meaning", () => {
  assert.ok(valuesEqual(Decimal.parse("1.0"), Decimal.parse("1.00")));
  assert.ok(valuesEqual({ a: [new Uint8Array([1])] }, { a: [new Uint8Array([1])] }));
  assert.ok(!valuesEqual({ a: 1 }, { a: 1, b: null }));
  assert.ok(!valuesEqual(Timestamp.fromMicros(1n), Timestamp.fromMicros(1n, false)));
  assert.ok(valuesEqual(NaN, NaN));
});
