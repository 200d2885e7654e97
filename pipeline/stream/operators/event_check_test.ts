import assert from "node:assert/strict";
import { ECOMMERCE_TABLES } from "../../catalog/mod.ts";
import type { ChangeEvent } from "../../cdc/change_event.ts";
import { Decimal, Timestamp } from "../../value/mod.ts";
import { EventChecker } from "./event_check.ts";

const ITEMS = ECOMMERCE_TABLES.find((t) => t.name === "order_items")!;
const checker = new EventChecker(ITEMS);

function item(over: Partial<ChangeEvent> = {}, row: Record<string, unknown> = {}): ChangeEvent {
  return {
    table: "order_items",
    op: "c",
    key: { order_item_id: 1 },
    before: null,
    after: {
      order_item_id: 1,
      order_id: 2,
      product_id: 3,
      quantity: 4,
      current_price: Decimal.parse("9.99"),
      created_at: Timestamp.fromMillis(0),
      updated_at: Timestamp.fromMillis(0),
      ...row,
    } as ChangeEvent["after"],
    position: "p1",
    commitTs: Timestamp.fromMillis(0),
    txId: null,
    snapshot: false,
    ...over,
  };
}

Deno.test("EventChecker.problem() accepts well-formed events, including deletes without a row", () => {
  assert.equal(checker.problem(item()), null);
  assert.equal(checker.problem(item({ op: "d", after: null })), null);
  assert.equal(checker.problem(item({}, { current_price: Decimal.parse("9.990") })), null);
});

Deno.test("EventChecker.problem() names the column and the value that do not fit", () => {
  const cases: [ChangeEvent, RegExp][] = [
    [item({}, { quantity: "4" }), /column "quantity" expects non-null integer, got string "4"/],
    [item({}, { quantity: null }), /column "quantity" expects non-null integer, got null/],
    [item({}, { current_price: 9.99 }), /current_price/],
    [item({}, { current_price: Decimal.parse("9.999") }), /current_price/],
    [item({}, { current_price: Decimal.parse("1e17") }), /current_price/],
    [item({}, { extra: 1 }), /column "extra" is not in the catalog/],
    [item({}, { order_item_id: 5 }), /differs from the event key/],
    [item({ after: null }), /has no row image/],
    [item({ key: {} }), /key column "order_item_id"/],
    [item({ position: "" }), /position is empty/],
    [item({ op: "x" as ChangeEvent["op"] }), /op "x"/],
  ];
  for (const [e, re] of cases) assert.match(checker.problem(e) ?? "accepted", re);
  const missing = item();
  delete (missing.after as Record<string, unknown>).updated_at;
  assert.match(checker.problem(missing)!, /column "updated_at" is missing/);
});

Deno.test("EventChecker.assertAll() throws a TypeError with table and position and ignores other tables", () => {
  checker.assertAll([item({ table: "orders", after: null })]);
  assert.throws(
    () => checker.assertAll([item(), item({ position: "p9" }, { quantity: 1.5 })]),
    (e: Error) =>
      e instanceof TypeError && /position "p9" to "order_items": column "quantity"/.test(e.message),
  );
});
