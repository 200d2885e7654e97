import assert from "node:assert/strict";
import * as arrow from "apache-arrow";
import { toJsonValue } from "../../value/mod.ts";
import { arrowToValues, findArrowField } from "./arrow_values.ts";
import { arrowToPlain } from "./arrow_json.ts";

const data = (v: arrow.Vector) => v.data[0];

Deno.test("arrowToValues() converts by the Delta type: int64 to bigint, any timestamp unit to µs", () => {
  const longs = arrow.vectorFromArray([1n, null, 9007199254740993n], new arrow.Int64());
  assert.deepEqual(arrowToValues(data(longs), "long", "none", "x"), [1n, null, 9007199254740993n]);
  const ints = arrow.vectorFromArray([1, 2], new arrow.Int32());
  assert.deepEqual(arrowToValues(data(ints), "long", "none", "x"), [1n, 2n]);
  const nanos = arrow.vectorFromArray([new Date(-1)], new arrow.TimestampNanosecond());
  assert.deepEqual(arrowToValues(data(nanos), "timestamp_ntz", "none", "x").map(toJsonValue), [
    "1969-12-31T23:59:59.999000",
  ]);
});

Deno.test("arrowToValues() decodes dictionary-encoded strings", () => {
  const dict = arrow.vectorFromArray(
    ["a", "b", "a", null],
    new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32()),
  );
  assert.deepEqual(arrowToValues(data(dict), "string", "none", "x"), ["a", "b", "a", null]);
});

Deno.test("arrowToValues() names the column when the file type does not fit", () => {
  const strings = arrow.vectorFromArray(["x"], new arrow.Utf8());
  assert.throws(() => arrowToValues(data(strings), "long", "none", "amount"), {
    name: "TypeError",
    message: "Cannot read column amount as long: the file stores it as Utf8",
  });
});

Deno.test("findArrowField() matches exactly, then ignoring case, and by field id", () => {
  const fields = [
    new arrow.Field("ID", new arrow.Int64()),
    new arrow.Field("col-1", new arrow.Int64(), true, new Map([["PARQUET:field_id", "4"]])),
  ];
  const f = (name: string, metadata: Record<string, unknown> = {}) => ({
    name,
    type: "long" as const,
    nullable: true,
    metadata,
  });
  assert.equal(findArrowField(fields, f("ID"), "none"), 0);
  assert.equal(findArrowField(fields, f("id"), "none"), 0);
  assert.equal(findArrowField(fields, f("missing"), "none"), -1);
  assert.equal(
    findArrowField(
      fields,
      f("x", { "delta.columnMapping.id": 4, "delta.columnMapping.physicalName": "other" }),
      "id",
    ),
    1,
  );
  assert.equal(findArrowField(fields, f("x", { "delta.columnMapping.physicalName": "col-1" }), "name"), 1);
});

Deno.test("arrowToPlain() leaves out null struct fields and skipped names", () => {
  const t = arrow.tableFromArrays({ n: new Int32Array([1, 2]) });
  const struct = arrow.makeData({
    type: new arrow.Struct([
      new arrow.Field("n", new arrow.Int32()),
      new arrow.Field("skip", new arrow.Int32()),
    ]),
    length: 2,
    nullCount: 0,
    children: [t.getChild("n")!.data[0], t.getChild("n")!.data[0]],
  });
  assert.deepEqual(arrowToPlain(struct, new Set(["skip"])), [{ n: 1 }, { n: 2 }]);
});
