import assert from "node:assert/strict";
import { Decimal, LocalDate, Timestamp } from "../value/mod.ts";
import type { ConnectSchema } from "./connect_schema.ts";
import { decimalBase64 } from "./debezium_fixture.ts";
import { SCAN_BAIL } from "./json_bytes.ts";
import { compilePayloadScanner } from "./payload_scanner.ts";

const row: ConnectSchema = {
  type: "struct",
  name: "t.Value",
  optional: true,
  fields: [
    { field: "Id", type: "int64", optional: false },
    {
      field: "Price",
      type: "bytes",
      optional: true,
      name: "org.apache.kafka.connect.data.Decimal",
      parameters: { scale: "2" },
    },
    { field: "At", type: "int64", optional: true, name: "io.debezium.time.NanoTimestamp" },
    { field: "Day", type: "int32", optional: true, name: "io.debezium.time.Date" },
    { field: "Tags", type: "array", optional: true, items: { type: "string", optional: true } },
    {
      field: "Attrs",
      type: "map",
      optional: true,
      keys: { type: "string" },
      values: { type: "int64", optional: true },
    },
    {
      field: "Inner",
      type: "struct",
      optional: true,
      fields: [{ field: "a", type: "int32", optional: true }, { field: "b", type: "string", optional: true }],
    },
    { field: "Note", type: "string", optional: true, default: "none" },
  ],
};
const envelope: ConnectSchema = {
  type: "struct",
  fields: [
    { ...row, field: "before" },
    { ...row, field: "after" },
    {
      field: "source",
      type: "struct",
      fields: [
        { field: "version", type: "string" },
        { field: "table", type: "string" },
        { field: "ts_ms", type: "int64" },
      ],
    },
    { field: "op", type: "string" },
    { field: "ts_ms", type: "int64", optional: true },
  ],
};
const scanner = compilePayloadScanner(envelope, {
  rowSchema: () => row,
  rowOptions: { rename: (f) => f.toLowerCase() },
  sourceFields: new Set(["table", "ts_ms"]),
})!;
const enc = new TextEncoder();

Deno.test("compilePayloadScanner() reads rows with nested structs, arrays, maps, nulls and int64 beyond 2^53", () => {
  const payload =
    `{"before":null,"after":{"Id":9223372036854775807,"Price":${JSON.stringify(decimalBase64(-12345n))},` +
    `"At":1531481025340000001,"Day":19000,"Tags":["a",null,"\\u00e9"],"Attrs":{"k":-90071992547},` +
    `"Inner":{"a":1,"b":"x\\"y"},"Note":null},"source":{"version":"3.2","table":"t","ts_ms":1700000000123},` +
    `"op":"c","ts_ms":1700000000999}`;
  const out = scanner(enc.encode(payload));
  assert.equal(out.before, null);
  assert.equal(out.op, "c");
  assert.deepStrictEqual(out.source, { table: "t", ts_ms: 1700000000123 });
  assert.deepStrictEqual(out.after, {
    id: 9223372036854775807n,
    price: new Decimal(-12345n, 2),
    at: new Timestamp(1531481025340000001n, 9, false),
    day: new LocalDate(19000),
    tags: ["a", null, "é"],
    attrs: new Map([["k", -90071992547n]]),
    inner: { a: 1, b: 'x"y' },
    note: "none",
  });
});

Deno.test("compilePayloadScanner() bails on keys out of order, unknown keys, whitespace and wrong kinds", () => {
  const good =
    `{"before":null,"after":null,"source":{"version":"3","table":"t","ts_ms":1},"op":"d","ts_ms":null}`;
  assert.equal(scanner(enc.encode(good)).op, "d");
  for (
    const bad of [
      good.replace('"before":null,"after":null', '"after":null,"before":null'),
      good.replace('"op":"d"', '"op":"d","extra":1'),
      good.replace('"op":"d"', '"op": "d"'),
      good.replace('"op":"d"', '"op":1'),
      good.replace('"after":null', '"after":{"Id":1}'),
      good + " ",
    ]
  ) {
    assert.throws(() => scanner(enc.encode(bad)), (e) => e === SCAN_BAIL, bad);
  }
});

Deno.test("compilePayloadScanner() returns null for schemas that are not change envelopes", () => {
  const options = { rowSchema: () => row, rowOptions: {}, sourceFields: new Set<string>() };
  assert.equal(
    compilePayloadScanner({ type: "struct", fields: [{ field: "ts_ms", type: "int64" }] }, options),
    null,
  );
  assert.equal(compilePayloadScanner({ type: "string" }, options), null);
});
