import assert from "node:assert/strict";
import { Decimal, LocalDate, rowToJson, Timestamp } from "../../value/mod.ts";
import type { StructField } from "../schema/types.ts";
import { batchToRows, type ColumnBatch, isColumnBatch, sliceBatch, takeBatch } from "./column_batch.ts";

const f = (name: string, type: StructField["type"]): StructField => ({
  name,
  type,
  nullable: true,
  metadata: {},
});

const FIELDS = [
  f("id", "long"),
  f("amount", "decimal(18,2)"),
  f("wide", "decimal(38,0)"),
  f("ts", "timestamp"),
  f("ntz", "timestamp_ntz"),
  f("day", "date"),
  f("n", "integer"),
  f("x", "double"),
  f("flag", "boolean"),
  f("s", "string"),
  f("code", "string"),
  f("bin", "binary"),
];

const BATCH: ColumnBatch = {
  length: 3,
  columns: {
    id: { values: BigInt64Array.of(-(2n ** 63n), 0n, 2n ** 63n - 1n) },
    amount: { values: BigInt64Array.of(1234n, 0n, -5n), valid: Uint8Array.of(1, 0, 1) },
    wide: { values: [10n ** 37n, null, -1n] },
    ts: { values: BigInt64Array.of(1n, 0n, -1n) },
    ntz: { values: BigInt64Array.of(1_000_000n, 0n, 0n), valid: Uint8Array.of(1, 1, 0) },
    day: { values: Int32Array.of(0, -1, 19_000) },
    n: { values: Int32Array.of(1, 2, 3), valid: Uint8Array.of(0, 1, 1) },
    x: { values: Float64Array.of(0.5, NaN, -0) },
    flag: { values: Uint8Array.of(1, 0, 1), valid: Uint8Array.of(1, 1, 0) },
    s: { values: ["a", null, "ü"] },
    code: {
      values: { indices: Int32Array.of(1, 0, 1), dictionary: ["x", "y"] },
      valid: Uint8Array.of(1, 1, 0),
    },
    bin: { values: [new Uint8Array([1]), undefined, new Uint8Array(0)] },
  },
};

Deno.test("batchToRows() gives each row's values in the value model", () => {
  const rows = batchToRows(FIELDS, BATCH);
  assert.deepEqual(rows[0], {
    id: -(2n ** 63n),
    amount: new Decimal(1234n, 2),
    wide: new Decimal(10n ** 37n, 0),
    ts: Timestamp.fromMicros(1n),
    ntz: Timestamp.fromMicros(1_000_000n, false),
    day: new LocalDate(0),
    n: null,
    x: 0.5,
    flag: true,
    s: "a",
    code: "y",
    bin: new Uint8Array([1]),
  });
  assert.equal(
    rowToJson(rows[1]),
    '{"id":0,"amount":null,"wide":null,"ts":"1970-01-01T00:00:00.000000Z","ntz":"1970-01-01T00:00:00.000000",' +
      '"day":"1969-12-31","n":2,"x":"NaN","flag":false,"s":null,"code":"x","bin":null}',
  );
  assert.deepEqual([rows[2].ntz, rows[2].flag, rows[2].code, rows[2].wide], [
    null,
    null,
    null,
    new Decimal(-1n, 0),
  ]);
});

Deno.test("sliceBatch() and takeBatch() give the rows they name", () => {
  const all = batchToRows(FIELDS, BATCH);
  assert.deepEqual(batchToRows(FIELDS, sliceBatch(BATCH, 1, 3)), all.slice(1, 3));
  assert.deepEqual(batchToRows(FIELDS, sliceBatch(BATCH, 3, 3)), []);
  assert.deepEqual(batchToRows(FIELDS, takeBatch(BATCH, Int32Array.of(2, 0, 2))), [all[2], all[0], all[2]]);
  assert.equal(isColumnBatch(BATCH), true);
  assert.equal(isColumnBatch([]), false);
});
