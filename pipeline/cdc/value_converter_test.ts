import assert from "node:assert/strict";
import { LocalDate, type Row, Timestamp, toJsonValue, type Value } from "../value/mod.ts";
import type { ConnectSchema } from "./connect_schema.ts";
import { decimalBase64 } from "./debezium_fixture.ts";
import { NumberText, parseLossless, quoteUnsafeIntegers } from "./lossless_json.ts";
import { NEEDS_QUOTED_INTEGERS, NEEDS_SOURCE_TEXT } from "./raw_value.ts";
import { compileConverter } from "./value_converter.ts";

function convert(schema: ConnectSchema, raw: unknown): Value {
  return compileConverter(schema, { path: "after.x" })(raw);
}

const decimal = (scale: number, precision = 10): ConnectSchema => ({
  type: "bytes",
  name: "org.apache.kafka.connect.data.Decimal",
  parameters: { scale: String(scale), "connect.decimal.precision": String(precision) },
});

Deno.test("compileConverter() decodes Decimal base64 two's complement at the schema's scale", () => {
  assert.equal(String(convert(decimal(2), "ASs=")), "2.99");
  assert.equal(String(convert(decimal(2), "HoSA")), "20000.00");
  assert.equal(String(convert(decimal(2), "/w==")), "-0.01");
  assert.equal(String(convert(decimal(4), decimalBase64(-63230n))), "-6.3230");
  const big = 12345678901234567890123456789012345678n;
  assert.equal(
    String(convert(decimal(18, 38), decimalBase64(big))),
    "12345678901234567890.123456789012345678",
  );
  assert.equal(String(convert(decimal(0), "AA==")), "0");
});

Deno.test("compileConverter() takes numeric Decimals exactly, asking for source text beyond 15 digits", () => {
  assert.equal(String(convert(decimal(2, 5), 2.9)), "2.90");
  assert.throws(() => convert(decimal(2, 18), 12.3), (e) => e === NEEDS_SOURCE_TEXT);
  assert.equal(String(convert(decimal(2, 18), new NumberText("1234567890123456.78"))), "1234567890123456.78");
  assert.throws(() => convert(decimal(1, 5), 2.25), /does not fit scale 1/);
});

Deno.test("compileConverter() decodes VariableScaleDecimal with the value's own scale", () => {
  const schema: ConnectSchema = {
    type: "struct",
    name: "io.debezium.data.VariableScaleDecimal",
    fields: [{ type: "int32", field: "scale" }, { type: "bytes", field: "value" }],
  };
  assert.equal(String(convert(schema, { scale: 3, value: decimalBase64(-12345n) })), "-12.345");
});

Deno.test("compileConverter() decodes dates, times and timestamps by schema name with their precision", () => {
  const named = (type: string, name: string): ConnectSchema => ({ type, name });
  assert.equal(String(convert(named("int32", "io.debezium.time.Date"), 17725)), "2018-07-13");
  assert.equal(String(convert(named("int32", "io.debezium.time.Time"), 37425680)), "10:23:45.680");
  assert.equal(String(convert(named("int64", "io.debezium.time.MicroTime"), 37425678900)), "10:23:45.678900");
  assert.equal(
    String(convert(named("int64", "io.debezium.time.NanoTime"), 37425678901200)),
    "10:23:45.678901200",
  );
  assert.equal(
    String(convert(named("int64", "io.debezium.time.Timestamp"), 1531488225780)),
    "2018-07-13T13:23:45.780",
  );
  assert.equal(
    String(convert(named("int64", "io.debezium.time.MicroTimestamp"), 1531488225780123)),
    "2018-07-13T13:23:45.780123",
  );
  assert.equal(
    String(convert(named("int64", "io.debezium.time.NanoTimestamp"), "~1531481025340000001")),
    "2018-07-13T11:23:45.340000001",
  );
  assert.throws(
    () => convert(named("int64", "io.debezium.time.NanoTimestamp"), 1531481025340000000),
    (e) => e === NEEDS_QUOTED_INTEGERS,
  );
  const zoned = convert(named("string", "io.debezium.time.ZonedTimestamp"), "2018-07-13T12:23:45.456+11:00");
  assert.ok(zoned instanceof Timestamp && zoned.zoned);
  assert.equal(zoned.toString(), "2018-07-13T01:23:45.456000Z");
  assert.equal(String(convert(named("int32", "org.apache.kafka.connect.data.Date"), -1)), "1969-12-31");
  assert.throws(() => convert(named("int64", "io.debezium.time.MicroTime"), 86_400_000_000), RangeError);
});

Deno.test("compileConverter() marks wall-clock timestamps zoned only for columns the lake stores as timestamp", () => {
  const schema: ConnectSchema = {
    type: "struct",
    fields: [
      { type: "int64", name: "io.debezium.time.MicroTimestamp", field: "CreatedAt" },
      { type: "int64", name: "io.debezium.time.MicroTimestamp", field: "Other" },
    ],
  };
  const conv = compileConverter(schema, {
    rename: (f) => f === "CreatedAt" ? "created_at" : "other",
    zonedColumns: new Set(["created_at"]),
  });
  const row = conv({ CreatedAt: 0, Other: 0 }) as Row;
  assert.deepEqual(toJsonValue(row), {
    created_at: "1970-01-01T00:00:00.000000Z",
    other: "1970-01-01T00:00:00.000000",
  });
});

Deno.test("compileConverter() decodes int64 exactly at every lossless tier", () => {
  const int64: ConnectSchema = { type: "int64" };
  assert.equal(convert(int64, 42), 42n);
  assert.equal(convert(int64, "~9223372036854775807"), 9223372036854775807n);
  assert.equal(convert(int64, new NumberText("-9223372036854775808")), -9223372036854775808n);
  assert.throws(() => convert(int64, "~9223372036854775808"), RangeError);
  assert.throws(() => convert(int64, 1.5), /expected an integer, got 1.5/);
  const text = '{"v":9223372036854775807,"s":"9223372036854775807 in a string"}';
  const quoted = JSON.parse(quoteUnsafeIntegers(text));
  assert.equal(convert(int64, quoted.v), 9223372036854775807n);
  assert.equal(quoted.s, "9223372036854775807 in a string");
  assert.equal(convert(int64, (parseLossless(text) as { v: unknown }).v), 9223372036854775807n);
});

Deno.test("compileConverter() decodes strings, semantic strings, bytes, floats and booleans", () => {
  assert.equal(
    convert({ type: "string", name: "io.debezium.data.Uuid" }, "6f9619ff-8b86-d011-b42d-00c04fc964ff"),
    "6f9619ff-8b86-d011-b42d-00c04fc964ff",
  );
  assert.equal(convert({ type: "string", name: "io.debezium.data.Json" }, '{"a": [1, 2]}'), '{"a": [1, 2]}');
  const status = {
    type: "string",
    name: "io.debezium.data.Enum",
    parameters: { allowed: "pending,shipped,delivered" },
  } as const;
  assert.equal(convert(status, "shipped"), "shipped");
  assert.equal(
    convert({ type: "string", name: "io.debezium.data.EnumSet", parameters: { allowed: "a,b,c" } }, "a,c"),
    "a,c",
  );
  assert.deepEqual(convert({ type: "bytes" }, "AQID"), new Uint8Array([1, 2, 3]));
  assert.deepEqual(convert({ type: "bytes", name: "io.debezium.data.Bits" }, "AQ=="), new Uint8Array([1]));
  assert.ok(Number.isNaN(convert({ type: "float64" }, "NaN") as number));
  assert.equal(convert({ type: "float32" }, "-Infinity"), -Infinity);
  assert.equal(convert({ type: "boolean" }, true), true);
  assert.equal(convert({ type: "int16" }, 255), 255);
  assert.throws(() => convert({ type: "int16" }, 70000), /between -32768 and 32767/);
  assert.throws(() => convert({ type: "string" }, 5), /Cannot decode "after.x": expected a string, got 5/);
  assert.throws(() => convert({ type: "bytes" }, "!!"), /Cannot decode "after.x": Cannot decode base64/);
});

Deno.test("compileConverter() decodes arrays, maps and nested structs", () => {
  const arr = convert({ type: "array", items: { type: "string", optional: true } }, ["Trailers", null]);
  assert.deepEqual(arr, ["Trailers", null]);
  const dates = convert({ type: "array", items: { type: "int32", name: "io.debezium.time.Date" } }, [0, 1]);
  assert.deepEqual(dates, [new LocalDate(0), new LocalDate(1)]);
  const m = convert({ type: "map", keys: { type: "string" }, values: { type: "int64" } }, { a: 1 }) as Map<
    Value,
    Value
  >;
  assert.equal(m.get("a"), 1n);
  const pairs = convert({ type: "map", keys: { type: "int32" }, values: { type: "string" } }, [[
    1,
    "x",
  ]]) as Map<
    Value,
    Value
  >;
  assert.equal(pairs.get(1), "x");
  const nested = convert(
    {
      type: "struct",
      fields: [{ type: "struct", field: "Point", fields: [{ type: "float64", field: "X" }] }],
    },
    { Point: { X: 1.5 } },
  );
  assert.deepEqual(nested, { Point: { X: 1.5 } });
});

Deno.test("compileConverter() applies defaults, optional nulls and rejects missing required values", () => {
  assert.equal(convert({ type: "int32", optional: false, default: 0 }, null), 0);
  assert.equal(convert({ type: "int32", optional: true }, undefined), null);
  assert.equal(convert({ type: "string", optional: true, default: "false" }, null), "false");
  assert.throws(
    () => convert({ type: "int32", optional: false }, null),
    /"after.x": a value is required, got null/,
  );
  assert.equal(convert({ type: "int64", name: "io.debezium.time.MicroTime", optional: true }, null), null);
});

Deno.test("compileConverter() names the nested field path in errors", () => {
  const schema: ConnectSchema = {
    type: "struct",
    fields: [{ type: "array", field: "tags", items: { type: "int32" } }],
  };
  assert.throws(
    () => compileConverter(schema, { path: "after" })({ tags: [1, "x"] }),
    /"after.tags\[\]": expected an integer/,
  );
});
