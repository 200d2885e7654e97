import assert from "node:assert/strict";
import {
  formatBytes,
  formatChange,
  formatCount,
  formatDateTime,
  formatDuration,
  formatMoney,
  formatNumber,
  formatTime,
} from "./format.ts";

Deno.test("formatMoney() groups exact decimal text and rounds half up to cents", () => {
  assert.equal(formatMoney("12345.6"), "$12,345.60");
  assert.equal(formatMoney("0.125"), "$0.13");
  assert.equal(formatMoney("-1999999.994"), "-$1,999,999.99");
  assert.equal(formatMoney("-0.001"), "$0.00");
  assert.equal(formatMoney("7"), "$7.00");
  assert.equal(formatMoney("99999999999999999.995"), "$100,000,000,000,000,000.00");
  assert.throws(() => formatMoney("12,3"), /Cannot format money "12,3"/);
});

Deno.test("formatCount() and formatNumber() group thousands", () => {
  assert.equal(formatCount(1234567), "1,234,567");
  assert.equal(formatCount("-9876543210123"), "-9,876,543,210,123");
  assert.equal(formatNumber(1234.56, 1), "1,234.6");
  assert.equal(formatNumber(-0.01, 1), "0.0");
});

Deno.test("formatChange() signs the percentage and is null without a baseline", () => {
  assert.equal(formatChange(110, 100), "+10.0 %");
  assert.equal(formatChange(50, 100), "-50.0 %");
  assert.equal(formatChange(100, 100), "±0.0 %");
  assert.equal(formatChange(500, 100), "+400 %");
  assert.equal(formatChange(5, 0), null);
});

Deno.test("formatTime() and formatDateTime() write UTC", () => {
  const ms = Date.UTC(2026, 4, 1, 14, 3, 7, 900);
  assert.equal(formatTime(ms), "14:03:07");
  assert.equal(formatDateTime(ms), "2026-05-01 14:03:07 UTC");
});

Deno.test("formatDuration() and formatBytes() pick a readable unit", () => {
  assert.deepEqual([850, 1234, 42_000, 240_000, 7_200_000, 3 * 86_400_000].map(formatDuration), [
    "850 ms",
    "1.2 s",
    "42 s",
    "4 min",
    "2 h",
    "3 d",
  ]);
  assert.deepEqual([812, 4300, 1_572_864, 5 * 2 ** 30].map(formatBytes), [
    "812 B",
    "4.2 KiB",
    "1.5 MiB",
    "5.0 GiB",
  ]);
});
