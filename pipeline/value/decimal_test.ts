import assert from "node:assert/strict";
import { Decimal } from "./decimal.ts";

Deno.test("Decimal.parse() keeps the scale written", () => {
  assert.equal(Decimal.parse("12.30").toString(), "12.30");
  assert.equal(Decimal.parse("-0.05").toString(), "-0.05");
  assert.equal(Decimal.parse("7").toString(), "7");
  assert.equal(Decimal.parse(".5").toString(), "0.5");
  assert.equal(Decimal.parse("1.5e2").toString(), "150");
  assert.equal(Decimal.parse("1e-3").toString(), "0.001");
});

Deno.test("Decimal.parse() with a scale pads and refuses to drop digits", () => {
  assert.equal(Decimal.parse("12.3", 2).toString(), "12.30");
  assert.equal(Decimal.parse("12.300", 2).toString(), "12.30");
  assert.throws(() => Decimal.parse("12.345", 2), RangeError);
});

Deno.test("Decimal.parse() rejects text that is not a number", () => {
  for (const bad of ["", "abc", "1.2.3", "--1", "."]) {
    assert.throws(() => Decimal.parse(bad), SyntaxError, bad);
  }
});

Deno.test("Decimal arithmetic is exact at 38 digits", () => {
  const big = Decimal.parse("99999999999999999999999999999999999.999");
  assert.equal(big.precision, 38);
  assert.equal(big.add(Decimal.parse("0.001")).toString(), "100000000000000000000000000000000000.000");
  assert.equal(Decimal.parse("0.1").add(Decimal.parse("0.2")).toString(), "0.3");
  assert.equal(Decimal.parse("19.99").mul(Decimal.parse("3")).toString(), "59.97");
  assert.equal(Decimal.parse("10.00").sub(Decimal.parse("10.01")).toString(), "-0.01");
});

Deno.test("Decimal.div() rounds half up at the requested scale", () => {
  assert.equal(Decimal.parse("10").div(Decimal.parse("3"), 2).toString(), "3.33");
  assert.equal(Decimal.parse("2").div(Decimal.parse("3"), 2).toString(), "0.67");
  assert.equal(Decimal.parse("-2").div(Decimal.parse("3"), 2).toString(), "-0.67");
  assert.equal(Decimal.parse("1.005").div(Decimal.parse("1"), 2).toString(), "1.01");
  assert.throws(() => Decimal.parse("1").div(Decimal.zero(), 2), RangeError);
});

Deno.test("Decimal.rescale() rounds half up or floors on request", () => {
  assert.equal(Decimal.parse("2.345").rescale(2, "half-up").toString(), "2.35");
  assert.equal(Decimal.parse("-2.345").rescale(2, "half-up").toString(), "-2.35");
  assert.equal(Decimal.parse("-2.341").rescale(2, "floor").toString(), "-2.35");
});

Deno.test("Decimal.compare() compares values, not scales", () => {
  assert.ok(Decimal.parse("1.0").equals(Decimal.parse("1.00")));
  assert.equal(Decimal.parse("-1").compare(Decimal.parse("0.5")), -1);
  assert.equal(JSON.stringify({ p: Decimal.parse("3.10") }), '{"p":"3.10"}');
});
