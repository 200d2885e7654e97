import assert from "node:assert/strict";
import { NumberText, parseLossless, quoteUnsafeIntegers } from "./lossless_json.ts";

Deno.test("quoteUnsafeIntegers() marks integers beyond 2^53 and leaves safe ones", () => {
  assert.equal(quoteUnsafeIntegers('{"a":9007199254740991}'), '{"a":9007199254740991}');
  assert.equal(quoteUnsafeIntegers('{"a":9007199254740992}'), '{"a":"~9007199254740992"}');
  assert.equal(quoteUnsafeIntegers('{"a":-20191104092565508}'), '{"a":"~-20191104092565508"}');
  assert.equal(quoteUnsafeIntegers("[1531481025340000000, 1]"), '["~1531481025340000000", 1]');
  assert.equal(
    quoteUnsafeIntegers('{"a": 12345678901234567}'),
    '{"a": 12345678901234567}',
    "after whitespace: tier 3's job",
  );
});

Deno.test("quoteUnsafeIntegers() leaves ts_ns, fractions, exponents and digits inside strings alone", () => {
  const ts = '{"ts_ns":1766925059873428925,"x":1}';
  assert.equal(quoteUnsafeIntegers(ts), ts);
  assert.equal(quoteUnsafeIntegers('{"a":12345678901234567.5}'), '{"a":12345678901234567.5}');
  assert.equal(quoteUnsafeIntegers('{"a":12345678901234567e2}'), '{"a":12345678901234567e2}');
  assert.equal(quoteUnsafeIntegers('{"a":"12345678901234567890"}'), '{"a":"12345678901234567890"}');
});

Deno.test("quoteUnsafeIntegers() never turns a digit run inside a string into valid JSON", () => {
  for (
    const text of [
      '{"a":"x:12345678901234567890,y"}',
      '{"a":"[12345678901234567890]"}',
      '{"a":"\\":12345678901234567890}"}',
    ]
  ) {
    JSON.parse(text);
    assert.throws(() => JSON.parse(quoteUnsafeIntegers(text)), SyntaxError, text);
  }
});

Deno.test("parseLossless() keeps number tokens longer than 15 characters as NumberText", () => {
  const v = parseLossless(
    '{"a":9223372036854775807,"b":1.25,"c":1234567890123456.78,"d":[123456789012345]}',
  ) as Record<
    string,
    unknown
  >;
  assert.deepEqual(v.a, new NumberText("9223372036854775807"));
  assert.equal((v.a as NumberText).isInteger, true);
  assert.equal(v.b, 1.25);
  assert.deepEqual(v.c, new NumberText("1234567890123456.78"));
  assert.equal((v.c as NumberText).isInteger, false);
  assert.deepEqual(v.d, [123456789012345]);
});
