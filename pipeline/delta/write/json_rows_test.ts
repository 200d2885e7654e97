import assert from "node:assert/strict";
import { Decimal, LocalDate, rowToJson, Timestamp } from "../../value/mod.ts";
import type { StructType } from "../schema/types.ts";
import { rowsFromNdjson } from "./json_rows.ts";

const schema: StructType = {
  type: "struct",
  fields: [
    { name: "id", type: "long", nullable: true, metadata: {} },
    { name: "amount", type: "decimal(18,2)", nullable: true, metadata: {} },
    { name: "ts", type: "timestamp", nullable: true, metadata: {} },
    { name: "day", type: "date", nullable: true, metadata: {} },
    { name: "bin", type: "binary", nullable: true, metadata: {} },
    { name: "x", type: "double", nullable: true, metadata: {} },
    {
      name: "m",
      type: { type: "map", keyType: "string", valueType: "integer", valueContainsNull: true },
      nullable: true,
      metadata: {},
    },
  ],
};

Deno.test("rowsFromNdjson() reads the lake's value encoding exactly and round-trips with rowToJson()", () => {
  const text =
    '{"id":9223372036854775807,"amount":12.30,"ts":"2024-01-02T03:04:05.123456Z","day":"2024-02-29","bin":"AP8=","x":"NaN","m":{"a":1}}\n\n' +
    '{"id":"-5","amount":"-0.05"}\n';
  const [a, b] = rowsFromNdjson(text, schema);
  assert.equal(a.id, 9223372036854775807n);
  assert.ok((a.amount as Decimal).equals(Decimal.parse("12.30")));
  assert.equal((a.amount as Decimal).toString(), "12.30");
  assert.equal((a.ts as Timestamp).epochMicros, 1704164645123456n);
  assert.equal((a.day as LocalDate).toString(), "2024-02-29");
  assert.deepEqual([...(a.bin as Uint8Array)], [0, 255]);
  assert.ok(Number.isNaN(a.x));
  assert.deepEqual(a.m, new Map([["a", 1]]));
  assert.equal(b.id, -5n);
  assert.equal(b.ts, null);
  assert.equal(rowToJson(b), '{"id":-5,"amount":"-0.05","ts":null,"day":null,"bin":null,"x":null,"m":null}');
});

Deno.test("rowsFromNdjson() names the line and column of bad input", () => {
  assert.throws(
    () => rowsFromNdjson('{"id":1}\n{"id":1.5}', schema),
    /input line 2: Cannot read column "id" as long/,
  );
  assert.throws(
    () => rowsFromNdjson('{"amount":"1.234"}', schema),
    /line 1: Cannot read column "amount" as decimal\(18,2\)/,
  );
  assert.throws(() => rowsFromNdjson('{"nope":1}', schema), /column "nope": not in the table schema/);
  assert.throws(() => rowsFromNdjson("{bad", schema), /Cannot parse input line 1/);
});
