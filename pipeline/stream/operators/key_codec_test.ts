import assert from "node:assert/strict";
import { Decimal, valuesEqual } from "../../value/mod.ts";
import { ByteReader, ByteWriter } from "./byte_buffer.ts";
import { keyCodec, readKey, writeKey } from "./key_codec.ts";

Deno.test("keyCodec() uses the value itself for one integer column", () => {
  const codec = keyCodec([{ name: "order_id", type: "integer" }]);
  assert.equal(codec.keyOf({ order_id: 42, other: "x" }), 42);
  assert.deepEqual(codec.rowOf(42), { order_id: 42 });
});

Deno.test("keyCodec() encodes composite and typed keys without collisions and decodes them", () => {
  const codec = keyCodec([{ name: "a", type: "long" }, { name: "b", type: "decimal(18,2)" }]);
  const row = { a: 5n, b: Decimal.parse("1.50") };
  const key = codec.keyOf(row);
  assert.equal(typeof key, "string");
  assert.notEqual(key, codec.keyOf({ a: 5n, b: Decimal.parse("1.51") }));
  assert.ok(valuesEqual(codec.rowOf(key), row));
});

Deno.test("writeKey() and readKey() round-trip number and string keys", () => {
  const w = new ByteWriter();
  for (const k of [0, -7, 2 ** 40, "", "a\u00e9"]) writeKey(w, k);
  const r = new ByteReader(w.finish(), "keys");
  assert.deepEqual([0, 1, 2, 3, 4].map(() => readKey(r)), [0, -7, 2 ** 40, "", "a\u00e9"]);
  r.end();
});
