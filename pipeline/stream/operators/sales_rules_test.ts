import assert from "node:assert/strict";
import { Decimal, Timestamp } from "../../value/mod.ts";
import { DAY_NS, lineCents, MINUTE_NS, money, orderEventNs, periodOf } from "./sales_rules.ts";

Deno.test("periodOf() floors, also before 1970", () => {
  assert.equal(periodOf(0n, MINUTE_NS), 0);
  assert.equal(periodOf(MINUTE_NS - 1n, MINUTE_NS), 0);
  assert.equal(periodOf(-1n, MINUTE_NS), -1);
  assert.equal(periodOf(-DAY_NS, DAY_NS), -1);
});

Deno.test("lineCents() multiplies exactly and refuses sub-cent prices", () => {
  assert.equal(lineCents(3, Decimal.parse("19.99")), 5997n);
  assert.equal(lineCents(2, Decimal.parse("0.1")), 20n);
  assert.equal(money(5997n).toString(), "59.97");
  assert.throws(() => lineCents(1, Decimal.parse("0.005")), RangeError);
});

Deno.test("orderEventNs() prefers the insert commit time and falls back to created_at", () => {
  const created = new Timestamp(5_000n, 6, false);
  assert.equal(orderEventNs({ created_at: created }, Timestamp.fromMillis(1)), 1_000_000n);
  assert.equal(orderEventNs({ created_at: created }, undefined), 5_000n);
});
