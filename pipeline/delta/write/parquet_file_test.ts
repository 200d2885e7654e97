import assert from "node:assert/strict";
import * as arrow from "apache-arrow";
import * as pw from "parquet-wasm";
import { Decimal, LocalDate, type Row, Timestamp } from "../../value/mod.ts";
import type { StructField } from "../schema/types.ts";
import { encodeParquet } from "./parquet_file.ts";

const f = (name: string, type: StructField["type"], nullable = true): StructField => ({
  name,
  type,
  nullable,
  metadata: {},
});

function read(bytes: Uint8Array): arrow.Table {
  return arrow.tableFromIPC(pw.readParquet(bytes).intoIPCStream());
}

Deno.test("encodeParquet() writes Delta's physical types and exact values", () => {
  const fields = [
    f("id", "long", false),
    f("b", "byte"),
    f("s", "short"),
    f("i", "integer"),
    f("amount", "decimal(18,2)"),
    f("big", "decimal(38,10)"),
    f("ts", "timestamp"),
    f("ntz", "timestamp_ntz"),
    f("day", "date"),
    f("name", "string"),
    f("flag", "boolean"),
    f("bin", "binary"),
    f("x", "double"),
    f("y", "float"),
    f("nested", {
      type: "struct",
      fields: [f("a", "integer"), f("tags", { type: "array", elementType: "string", containsNull: true })],
    }),
    f("m", { type: "map", keyType: "string", valueType: "long", valueContainsNull: true }),
  ];
  const rows: Row[] = [
    {
      id: 9223372036854775807n,
      b: -128,
      s: 32767,
      i: -1,
      amount: Decimal.parse("-12.30"),
      big: Decimal.parse("1234567890123456789012345678.0123456789"),
      ts: Timestamp.parse("2024-01-02T03:04:05.123456Z"),
      ntz: Timestamp.parse("2024-01-02T03:04:05.654321", { zoned: false }),
      day: LocalDate.parse("1900-03-01"),
      name: "ünïcødé 😀",
      flag: false,
      bin: new Uint8Array([0, 255]),
      x: 0.1,
      y: 1.5,
      nested: { a: 7, tags: ["p", null] },
      m: new Map([["k", 1n]]),
    },
    {
      id: 1n,
      b: null,
      s: null,
      i: null,
      amount: null,
      big: null,
      ts: null,
      ntz: null,
      day: null,
      name: null,
      flag: null,
      bin: null,
      x: null,
      y: null,
      nested: null,
      m: null,
    },
  ];
  const table = read(encodeParquet(fields, rows));
  const types = Object.fromEntries(table.schema.fields.map((x) => [x.name, String(x.type)]));
  assert.equal(types.id, "Int64");
  assert.equal(types.b, "Int8");
  assert.equal(types.s, "Int16");
  const dec = (name: string) => {
    const t = table.schema.fields.find((x) => x.name === name)!.type as arrow.Decimal;
    return [t.precision, t.scale];
  };
  assert.deepEqual(dec("amount"), [18, 2]);
  assert.deepEqual(dec("big"), [38, 10]);
  assert.equal(types.ts, "Timestamp<MICROSECOND, UTC>");
  assert.equal(types.ntz, "Timestamp<MICROSECOND>");
  assert.equal(types.day, "Date32<DAY>");
  const r0 = table.get(0)!;
  assert.equal(r0.id, 9223372036854775807n);
  assert.equal(r0.ts, 1704164645123.456);
  assert.equal(r0.day, LocalDate.parse("1900-03-01").days * 86_400_000);
  assert.equal(r0.name, "ünïcødé 😀");
  assert.deepEqual([...r0.bin], [0, 255]);
  assert.equal(r0.nested.a, 7);
  assert.deepEqual([...r0.nested.tags], ["p", null]);
  const words = table.getChild("big")!.data[0].values as Uint32Array;
  let unscaled = 0n;
  for (let w = 3; w >= 0; w--) unscaled = (unscaled << 32n) | BigInt(words[w]);
  assert.equal(unscaled, 12345678901234567890123456780123456789n);
  const amount = table.getChild("amount")!.data[0].values as Uint32Array;
  assert.equal(
    BigInt.asIntN(
      128,
      (BigInt(amount[3]) << 96n) | (BigInt(amount[2]) << 64n) | (BigInt(amount[1]) << 32n) |
        BigInt(amount[0]),
    ),
    -1230n,
  );
  const r1 = table.get(1)!;
  assert.equal(r1.name, null);
  assert.equal(r1.nested, null);
  assert.equal(table.numRows, 2);
});

Deno.test("encodeParquet() rejects wrong values with the column and row named", () => {
  assert.throws(
    () => encodeParquet([f("id", "long", false)], [{ id: 1n }, { id: null }]),
    /column "id" row 1: null/,
  );
  assert.throws(
    () => encodeParquet([f("n", "integer")], [{ n: 1.5 }]),
    /column "n" row 0: expected an integer/,
  );
  assert.throws(
    () => encodeParquet([f("d", "decimal(4,2)")], [{ d: Decimal.parse("123.45") }]),
    /does not fit/,
  );
  assert.throws(
    () => encodeParquet([f("d", "decimal(4,2)")], [{ d: Decimal.parse("1.234") }]),
    /more than 2 decimals/,
  );
  assert.throws(() => encodeParquet([f("t", "timestamp")], [{ t: "2024-01-01" }]), /expected a Timestamp/);
});

Deno.test("encodeParquet() writes an empty file with the schema", () => {
  const table = read(encodeParquet([f("id", "long")], []));
  assert.equal(table.numRows, 0);
  assert.equal(table.schema.fields[0].name, "id");
});
