import assert from "node:assert/strict";
import * as arrow from "apache-arrow";
import { boolValues, utf8Values, wordsToBigInt } from "./arrow_data.ts";

Deno.test("utf8Values() decodes ASCII and non-ASCII columns, nulls and slices", () => {
  const ascii = arrow.vectorFromArray(["ab", null, "", "cde"], new arrow.Utf8()).data[0];
  assert.deepEqual(utf8Values(ascii), ["ab", null, "", "cde"]);
  const mixed = arrow.vectorFromArray(["ü", "😈x", null, "z"], new arrow.Utf8()).data[0];
  assert.deepEqual(utf8Values(mixed), ["ü", "😈x", null, "z"]);
  assert.deepEqual(utf8Values(mixed.slice(1, 2)), ["😈x", null]);
  assert.deepEqual(utf8Values(ascii.slice(3, 1)), ["cde"]);
});

Deno.test("boolValues() honours the bit offset of a sliced column", () => {
  const bools = arrow.vectorFromArray(
    [true, false, null, true, true, false, false, true, false, true],
    new arrow.Bool(),
  );
  assert.deepEqual(boolValues(bools.data[0].slice(7, 3)), [true, false, true]);
  assert.deepEqual(boolValues(bools.data[0]).slice(0, 4), [true, false, null, true]);
});

Deno.test("wordsToBigInt() reads little-endian two's complement words", () => {
  assert.equal(wordsToBigInt(new Uint32Array([5, 0, 0, 0]), 0, 4), 5n);
  assert.equal(wordsToBigInt(new Uint32Array([0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff]), 0, 4), -1n);
  assert.equal(wordsToBigInt(new Uint32Array([0, 0, 1, 0]), 0, 4), 1n << 64n);
});
