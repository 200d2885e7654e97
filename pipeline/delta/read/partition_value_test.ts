import assert from "node:assert/strict";
import { toJsonValue } from "../../value/mod.ts";
import { parsePartitionValue } from "./partition_value.ts";

const parse = (text: string | null, type: Parameters<typeof parsePartitionValue>[1], timeZone?: string) =>
  toJsonValue(parsePartitionValue(text, type, "c", { timeZone }));

Deno.test("parsePartitionValue() reads every primitive type as Spark serialises it", () => {
  assert.equal(parse("4", "integer"), 4);
  assert.equal(parsePartitionValue("9007199254740993", "long", "c"), 9007199254740993n);
  assert.equal(parse("-2342342.23423", "decimal(12,5)"), "-2342342.23423");
  assert.equal(parse("234", "decimal(8,5)"), "234.00000");
  assert.equal(parse("1.0", "double"), 1);
  assert.equal(parse("true", "boolean"), true);
  assert.equal(parse("2021-09-08", "date"), "2021-09-08");
  assert.equal(parse("A/A", "string"), "A/A");
  assert.deepEqual(parsePartitionValue("😈", "binary", "c"), new TextEncoder().encode("😈"));
});

Deno.test("parsePartitionValue() accepts the three timestamp forms", () => {
  assert.equal(parse("2021-09-08 11:11:11", "timestamp"), "2021-09-08T11:11:11.000000Z");
  assert.equal(parse("2020-01-01 08:09:10.001", "timestamp"), "2020-01-01T08:09:10.001000Z");
  assert.equal(parse("1971-07-22T03:06:40.000000Z", "timestamp"), "1971-07-22T03:06:40.000000Z");
  assert.equal(
    parse("2021-09-08 11:11:11", "timestamp", "America/Los_Angeles"),
    "2021-09-08T18:11:11.000000Z",
  );
  assert.equal(
    parse("1971-07-22T03:06:40.000000Z", "timestamp", "America/Los_Angeles"),
    "1971-07-22T03:06:40.000000Z",
  );
  assert.equal(parse("2021-11-18 02:30:00.123456", "timestamp_ntz"), "2021-11-18T02:30:00.123456");
});

Deno.test("parsePartitionValue() reads null and the empty string as null", () => {
  assert.equal(parsePartitionValue(null, "string", "c"), null);
  assert.equal(parsePartitionValue(undefined, "integer", "c"), null);
  assert.equal(parsePartitionValue("", "string", "c"), null);
});

Deno.test("parsePartitionValue() names the column and value it cannot parse", () => {
  assert.throws(() => parsePartitionValue("x1", "integer", "n"), {
    name: "SyntaxError",
    message: 'Cannot parse partition value "x1" of column "n": not a valid integer',
  });
  assert.throws(() => parsePartitionValue("1.234", "decimal(4,2)", "d"), SyntaxError);
  assert.throws(() => parsePartitionValue("maybe", "boolean", "b"), SyntaxError);
  assert.throws(() => parsePartitionValue("2021-02-30", "date", "d"), SyntaxError);
});
