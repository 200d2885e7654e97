import assert from "node:assert/strict";
import { toJsonValue } from "../value/mod.ts";
import { deltaValue, inferValue, schemalessRow } from "./delta_value.ts";
import { NumberText } from "./lossless_json.ts";
import { Naming } from "./naming.ts";
import { NEEDS_SOURCE_TEXT } from "./raw_value.ts";

Deno.test("deltaValue() reads SQLite's money text and ISO timestamps by the catalog type", () => {
  assert.equal(String(deltaValue("12.30", "decimal(18,2)", "p", "text")), "12.30");
  assert.equal(String(deltaValue("5", "decimal(18,2)", "p", "text")), "5.00");
  assert.throws(() => deltaValue("1.234", "decimal(18,2)", "p", "text"), /does not fit scale 2/);
  assert.throws(() => deltaValue("abc", "decimal(18,2)", "p", "text"), /expected decimal text/);
  assert.equal(
    String(deltaValue("2024-01-02T03:04:05.120Z", "timestamp", "t")),
    "2024-01-02T03:04:05.120000Z",
  );
  assert.equal(String(deltaValue("2024-01-02 03:04:05", "timestamp_ntz", "t")), "2024-01-02T03:04:05.000000");
  assert.equal(deltaValue(1, "boolean", "b"), true);
  assert.equal(deltaValue(0, "boolean", "b"), false);
  assert.throws(() => deltaValue(2, "boolean", "b"), /expected a boolean or 0\/1/);
});

Deno.test("deltaValue() reads Debezium's schemaless shapes: base64 decimals, epochs, days", () => {
  assert.equal(String(deltaValue("HoSA", "decimal(10,2)", "s")), "20000.00");
  assert.equal(String(deltaValue("12.30", "decimal(10,2)", "s")), "12.30");
  assert.equal(String(deltaValue(1698085925673, "timestamp", "t")), "2023-10-23T18:32:05.673Z");
  assert.equal(String(deltaValue(1700000000123456, "timestamp", "t")), "2023-11-14T22:13:20.123456Z");
  assert.equal(
    String(deltaValue(new NumberText("1734382927000000001"), "timestamp", "t")),
    "2024-12-16T21:02:07.000000001Z",
  );
  assert.throws(() => deltaValue(1734382927000000000, "timestamp", "t"), (e) => e === NEEDS_SOURCE_TEXT);
  assert.equal(String(deltaValue(20073, "date", "d")), "2024-12-16");
  assert.equal(deltaValue(new NumberText("9223372036854775807"), "long", "l"), 9223372036854775807n);
  assert.deepEqual(deltaValue("AQ==", "binary", "b"), new Uint8Array([1]));
  assert.equal(deltaValue(null, "integer", "i"), null);
  assert.throws(() => deltaValue("x", "integer", "i"), /Cannot decode "i": expected an integer/);
});

Deno.test("inferValue() keeps safe integers as numbers and long ones as bigint", () => {
  assert.equal(inferValue(5, "v"), 5);
  assert.equal(inferValue(new NumberText("20191104092565508"), "v"), 20191104092565508n);
  assert.equal(inferValue(new NumberText("0.1234567890123456"), "v"), 0.1234567890123456);
  assert.throws(() => inferValue(20191104092565508, "v"), (e) => e === NEEDS_SOURCE_TEXT);
  assert.deepEqual(inferValue({ a: [1, "x", null] }, "v"), { a: [1, "x", null] });
});

Deno.test("schemalessRow() renames to lake columns and types catalog columns", () => {
  const row = schemalessRow(
    { OrderItemID: 1, CurrentPrice: "9.90", CreatedAt: "2024-01-02T03:04:05.000Z", Extra: 3 },
    new Naming().table("OrderItems"),
    "after",
    "text",
  );
  assert.deepEqual(toJsonValue(row), {
    order_item_id: 1,
    current_price: "9.90",
    created_at: "2024-01-02T03:04:05.000000Z",
    extra: 3,
  });
});
