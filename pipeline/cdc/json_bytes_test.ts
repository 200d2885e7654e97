import assert from "node:assert/strict";
import { decodeBase64 } from "../value/mod.ts";
import { decimalBase64 } from "./debezium_fixture.ts";
import { ByteRun } from "./byte_run.ts";
import { JsonBytes, SCAN_BAIL, valueMemo } from "./json_bytes.ts";
import { base64Unscaled } from "./raw_value.ts";

const enc = new TextEncoder();
const reader = (text: string | Uint8Array) =>
  new JsonBytes().reset(typeof text === "string" ? enc.encode(text) : text);

function bails(fn: () => unknown): void {
  assert.throws(fn, (e) => e === SCAN_BAIL);
}

Deno.test("JsonBytes.value() reads numbers, strings, nulls, arrays and objects as JSON.parse does", () => {
  const docs = [
    "0",
    "-0",
    "12",
    "-7",
    "1.5",
    "-2.25e-3",
    "1E5",
    "123456789012345",
    "0.1",
    '"plain"',
    '""',
    '"tab\\there \\" \\\\ \\/ \\b\\f\\n\\r"',
    '"\\u00e9\\u4e2d\\ud83d\\ude00 lone \\ud800"',
    '"caf\u00e9 \u4e2d \u{1F600}"',
    "null",
    "true",
    "false",
    "[]",
    "{}",
    '[1,"a",null,[true,{"x":[]}]]',
    '{"a":1,"b":{"c":[1,2,{"d":"e"}]},"2":3,"1":null}',
    '{"a":1,"a":2}',
  ];
  for (const d of docs) {
    const r = reader(d);
    assert.deepStrictEqual(r.value(), JSON.parse(d), d);
    assert.ok(r.done, d);
  }
});

Deno.test("JsonBytes.value() reads plain and escaped strings of every length as JSON.parse does", () => {
  const docs = ['"[\\"10000000\\",\\"10000100\\"]"', '"a\\n\\u00e9"', '"\\tcaf\u00e9"', '"\\u0041\\"x"'];
  for (let n = 0; n <= 120; n++) {
    const text = "0123456789abcdef".repeat(8).slice(0, n);
    docs.push(
      JSON.stringify(text),
      JSON.stringify(`"${text}"`),
      JSON.stringify(`${text}\n`),
      JSON.stringify(`${text}\u00e9`),
    );
  }
  for (const d of docs) {
    const r = reader(d);
    assert.equal(r.value(), JSON.parse(d), d);
    assert.ok(r.done, d);
  }
});

Deno.test("JsonBytes.value() bails on what a lossless tier might read otherwise or JSON.parse rejects", () => {
  for (
    const d of [
      "9007199254740993", // beyond 2^53
      "1e300", // an integer beyond 2^53 too
      "0.1000000000000000055", // longer than 15 characters
      " 1",
      "01",
      "1.",
      "-",
      '"\\x"',
      '"a\nb"',
      '{"__proto__":1}',
      "[1 ,2]",
      "nul",
      "tru",
      "[1]x",
      '"open',
    ]
  ) {
    bails(() => reader(d).value());
  }
  // Integers longer than 15 characters are fine where only optionalInt64 reads them.
  assert.equal(reader("1700000000123456").value(true), 1700000000123456);
  bails(() => reader("1700000000123456.5").value(true));
});

Deno.test("JsonBytes strings: invalid UTF-8 bails, valid multi-byte text decodes", () => {
  const good = Uint8Array.from([34, 0xc3, 0xa9, 92, 110, 0xe4, 0xb8, 0xad, 34]);
  assert.equal(reader(good).string(), "é\n中");
  bails(() => reader(Uint8Array.from([34, 0xc3, 34])).string());
  bails(() => reader(Uint8Array.from([34, 0xff, 34])).value());
  bails(() => {
    const r = reader(Uint8Array.from([34, 0xed, 0xa0, 0x80, 34])); // an encoded surrogate
    r.skip();
  });
});

Deno.test("JsonBytes.int64() reads every int64 exactly and bails beyond", () => {
  const cases = [
    "0",
    "-1",
    "9007199254740991",
    "9007199254740992",
    "9007199254740993",
    "-9007199254740993",
    "1531481025340000001",
    "9223372036854775807",
    "-9223372036854775808",
  ];
  for (const c of cases) assert.equal(reader(c).int64(), BigInt(c), c);
  for (
    const c of ["9223372036854775808", "-9223372036854775809", "12345678901234567890", "1.0", "1e3", '"1"']
  ) {
    bails(() => reader(c).int64());
  }
});

Deno.test("JsonBytes.int() keeps to its range and to integer tokens", () => {
  assert.equal(reader("2147483647").int(-2147483648, 2147483647), 2147483647);
  assert.ok(Object.is(reader("-0").int(-128, 127), -0), "-0 as JSON.parse reads it");
  bails(() => reader("2147483648").int(-2147483648, 2147483647));
  bails(() => reader("1.0").int(-128, 127));
});

Deno.test("JsonBytes.base64Unscaled() and base64Bytes() match base64Unscaled and decodeBase64 of the text", () => {
  const values = [
    0n,
    1n,
    -1n,
    127n,
    128n,
    -129n,
    12345n,
    -12345n,
    2n ** 47n - 1n,
    -(2n ** 47n),
    10n ** 30n,
    -(10n ** 30n),
  ];
  for (const v of values) {
    const text = decimalBase64(v);
    assert.equal(reader(JSON.stringify(text)).base64Unscaled(), base64Unscaled(text, "x"), text);
    assert.deepEqual(reader(JSON.stringify(text)).base64Bytes(), decodeBase64(text), text);
  }
  for (const text of ["", "AQ", "AQI", "_-8", "AQ=="]) {
    assert.equal(reader(JSON.stringify(text)).base64Unscaled(), base64Unscaled(text, "x"), text);
    assert.deepEqual(reader(JSON.stringify(text)).base64Bytes(), decodeBase64(text), text);
  }
  for (const text of ['"A"', '"A=A="', '"~123"', '"AQ\\u003d"', "12"]) {
    bails(() => reader(text).base64Unscaled());
  }
});

Deno.test("JsonBytes.skip() checks what it skips", () => {
  const r = reader('{"a":[1,{"b":"\\u00e9"}],"c":null}');
  r.skip();
  assert.ok(r.done);
  for (const d of ['{"a":1,}', '{"a" :1}', "[1,]", '{"a":"\\q"}', "{1:2}", "[1}"]) {
    bails(() => reader(d).skip());
  }
});

Deno.test("JsonBytes memos return the remembered value only for the same bytes", () => {
  const memo = valueMemo();
  const r = reader('["postgresql","postgresql","postgresqlx",12,12]');
  r.byte(91);
  const first = r.valueSame(memo, true);
  r.byte(44);
  assert.equal(r.valueSame(memo, true), first);
  assert.equal(memo.hits, 1);
  r.byte(44);
  assert.equal(r.valueSame(memo, true), "postgresqlx");
  r.byte(44);
  assert.equal(r.valueSame(memo, true), 12);
  r.byte(44);
  assert.equal(r.valueSame(memo, true), 12);
  r.byte(93);
  assert.ok(r.done);
  // A remembered prefix followed by more digits is another value.
  const m2 = valueMemo();
  const r2 = reader("[12,123]");
  r2.byte(91);
  r2.valueSame(m2, true);
  r2.byte(44);
  assert.equal(r2.valueSame(m2, true), 123);
});

Deno.test("JsonBytes memos with the next key consume it and hit only when value and key both repeat", () => {
  const next = new ByteRun(enc.encode(',"b":'));
  const memo = valueMemo();
  const skipped = valueMemo();
  const r = reader('[{"a":12,"b":1},{"a":12,"b":2},{"a":123,"b":3},{"a":123,"c":4}]');
  const a = new ByteRun(enc.encode('{"a":'));
  const values: unknown[] = [];
  r.byte(91);
  for (let i = 0; i < 3; i++) {
    r.token(a);
    values.push(r.valueSame(memo, true, next));
    r.skipSame(skipped);
    r.byte(125);
    r.byte(44);
  }
  assert.deepEqual(values, [12, 12, 123]);
  assert.equal(memo.hits, 1);
  r.token(a);
  // Same value, another key after it: no hit, and the key is checked.
  bails(() => r.valueSame(memo, true, next));
  assert.equal(memo.hits, 1);
});
