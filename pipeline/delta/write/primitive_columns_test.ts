import assert from "node:assert/strict";
import type { StructField } from "../schema/types.ts";
import { int64Extremes, StringValues } from "./primitive_columns.ts";

const field: StructField = { name: "s", type: "string", nullable: true, metadata: {} };
const none = (rows: number) => ({ rows, nullCount: 0, defined: undefined });

Deno.test("StringValues.add() gives every distinct string one dictionary index, across table growth", () => {
  const distinct = ["", "a", "ab", "ba", "\u{1f600}", "\ud800", "a\u0000", "a\u0000\u0000"];
  for (let i = 0; i < 5000; i++) distinct.push(`value-${i}`, `${i}`.repeat(3));
  const input: string[] = [];
  for (let r = 0; r < 40_000; r++) input.push(distinct[(r * 7919) % distinct.length]);
  const strings = new StringValues(field, input.length);
  for (const s of input) strings.add(s);
  const col = strings.finish(none(input.length));
  assert.equal(col.dictionary?.size, distinct.length);
  assert.equal(new Set(strings.distinct).size, distinct.length);
  const indices = col.dictionary!.indices;
  assert.deepEqual(Array.from(indices, (i) => strings.distinct[i]), input);
});

Deno.test("StringValues.add() goes PLAIN past 65,536 distinct values, keeping every value in order", () => {
  const input = Array.from({ length: 70_000 }, (_, r) => (r % 68_000).toString(36));
  const strings = new StringValues(field, input.length);
  const codes = input.map((s) => strings.add(s));
  assert.equal(codes[65_535], 65_535);
  assert.equal(codes[65_536], -1);
  const col = strings.finish(none(input.length));
  assert.equal(col.dictionary, undefined);
  assert.equal(col.count, 70_000);
  assert.deepEqual(strings.values, input);
  const sorted = [...input].sort();
  assert.deepEqual(col.extremes, { min: sorted[0], max: sorted.at(-1) });
});

Deno.test("int64Extremes() compares by words across signs and word boundaries", () => {
  const cases = [
    [0n, -1n],
    [2n ** 32n, 2n ** 32n - 1n, 2n ** 31n],
    [-(2n ** 63n), 2n ** 63n - 1n, 0n],
    [-(2n ** 32n), -(2n ** 32n) + 1n, -1n, -(2n ** 31n)],
    [5n],
    [2n ** 31n + 5n, 2n ** 32n - 1n, 2n ** 31n, 7n, 2n ** 31n - 1n],
    [-1n, -2n, -(2n ** 31n) - 1n, -(2n ** 31n) + 1n, -(2n ** 33n) + 2n ** 31n + 3n],
  ];
  for (const c of cases) {
    const sorted = [...c].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    assert.deepEqual(int64Extremes(BigInt64Array.from(c), c.length), { min: sorted[0], max: sorted.at(-1) });
  }
});
