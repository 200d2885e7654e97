import assert from "node:assert/strict";
import { LocalDate } from "../../value/mod.ts";
import type { StructType } from "../schema/types.ts";
import { KeyIndex } from "./key_index.ts";

const schema: StructType = {
  type: "struct",
  fields: [
    { name: "id", type: "long", nullable: false, metadata: {} },
    { name: "n", type: "integer", nullable: true, metadata: {} },
    { name: "s", type: "string", nullable: true, metadata: {} },
    { name: "d", type: "date", nullable: true, metadata: {} },
    { name: "x", type: "double", nullable: true, metadata: {} },
  ],
};

Deno.test("KeyIndex.prefilter() lets through the first key column's indexed values and nulls only", () => {
  const long = new KeyIndex(schema, [], ["id", "s"]);
  long.index([{ id: 5n, s: "a" }, { id: 9n, s: "b" }]);
  const f = long.prefilter()!;
  assert.equal(f.column, "id");
  assert.deepEqual([5n, 9n, 6n, null].map((v) => f.mayChange(v)), [true, true, false, true]);
  const int = new KeyIndex(schema, [], ["n"]);
  int.index([{ n: 3 }]);
  assert.deepEqual([3, 4].map((v) => int.prefilter()!.mayChange(v)), [true, false]);
  const str = new KeyIndex(schema, [], ["s"]);
  str.index([{ s: "k" }]);
  assert.deepEqual(["k", "K"].map((v) => str.prefilter()!.mayChange(v)), [true, false]);
  const date = new KeyIndex(schema, [], ["d"]);
  date.index([{ d: LocalDate.parse("2024-01-02") }]);
  const days = ["2024-01-02", "2024-01-03"].map((t) => date.prefilter()!.mayChange(LocalDate.parse(t)));
  assert.deepEqual(days, [true, false]);
  const double = new KeyIndex(schema, [], ["x"]);
  double.index([{ x: 1.5 }]);
  assert.equal(double.prefilter(), undefined, "no cheap test for this type");
});
