import assert from "node:assert/strict";
import { Timestamp } from "./timestamp.ts";
import { LocalDate } from "./local_date.ts";
import { LocalTime } from "./local_time.ts";

Deno.test("Timestamp prints microseconds with Z when zoned", () => {
  assert.equal(Timestamp.fromMicros(1_700_000_000_123_456n).toString(), "2023-11-14T22:13:20.123456Z");
  assert.equal(Timestamp.fromMillis(0).toString(), "1970-01-01T00:00:00.000Z");
  assert.equal(Timestamp.fromNanos(1531481025340000000n, false).toString(), "2018-07-13T11:23:45.340000000");
});

Deno.test("Timestamp handles instants before 1970 and after 9999", () => {
  assert.equal(Timestamp.fromMicros(-1n).toString(), "1969-12-31T23:59:59.999999Z");
  assert.equal(Timestamp.fromMicros(-1n).epochMicros, -1n);
  assert.equal(new Timestamp(-1n, 9).epochMicros, -1n);
  assert.equal(Timestamp.parse("9999-12-31T23:59:59.999999Z").toString(), "9999-12-31T23:59:59.999999Z");
  assert.equal(Timestamp.parse("0001-01-01T00:00:00Z").toString(), "0001-01-01T00:00:00.000000Z");
});

Deno.test("Timestamp.parse() accepts ISO offsets and Spark's space form", () => {
  assert.equal(Timestamp.parse("2018-07-13T12:23:45.456+11:00").toString(), "2018-07-13T01:23:45.456000Z");
  assert.equal(Timestamp.parse("2000-01-01T00:00:00.000-08:00").toString(), "2000-01-01T08:00:00.000000Z");
  assert.equal(Timestamp.parse("2021-09-08 11:11:11").toString(), "2021-09-08T11:11:11.000000Z");
  assert.equal(Timestamp.parse("2020-01-01 08:09:10.001").epochMicros, 1577866150001000n);
  const ntz = Timestamp.parse("2021-11-18 02:30:00.123456", { zoned: false });
  assert.equal(ntz.toString(), "2021-11-18T02:30:00.123456");
  assert.equal(Timestamp.parse("2024-01-01T00:00:00.123456789Z").digits, 9);
  assert.throws(() => Timestamp.parse("2024-13-01T00:00:00Z"), SyntaxError);
  assert.throws(() => Timestamp.parse("yesterday"), SyntaxError);
});

Deno.test("LocalDate and LocalTime round-trip their text", () => {
  assert.equal(new LocalDate(17725).toString(), "2018-07-13");
  assert.equal(LocalDate.parse("2018-07-13").days, 17725);
  assert.equal(new LocalDate(-1).toString(), "1969-12-31");
  assert.throws(() => LocalDate.parse("2021-02-30"), SyntaxError);
  assert.equal(new LocalTime(37425678901200n, 7).toString(), "10:23:45.6789012");
  assert.equal(new LocalTime(37425680n * 1_000_000n, 3).toString(), "10:23:45.680");
});

Deno.test("Timestamp.parse() reads the UTC form the same way with and without its fast path", () => {
  const texts = [
    "2024-02-29T23:59:60Z",
    "1970-01-01T00:00:00Z",
    "1969-12-31T23:59:59.999999999Z",
    "0001-01-01T00:00:00.1Z",
    "9999-12-31T23:59:59.12345Z",
    "2024-01-02T03:04:05.123Z",
  ];
  for (const text of texts) {
    const fast = Timestamp.parse(text);
    // The general parser's path: the same text with a +00:00 offset instead of Z.
    const general = Timestamp.parse(text.replace(/Z$/, "+00:00"));
    assert.equal(fast.epochNanos, general.epochNanos, text);
    assert.equal(fast.digits, general.digits, text);
    assert.equal(fast.zoned, true);
  }
  for (
    const bad of [
      "2024-13-01T00:00:00Z",
      "2024-01-01T24:00:00Z",
      "2024-01-01T00:00:00.Z",
      "2024-01-0xT00:00:00Z",
    ]
  ) {
    assert.throws(() => Timestamp.parse(bad), SyntaxError, bad);
  }
});
