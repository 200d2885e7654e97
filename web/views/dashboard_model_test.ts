import assert from "node:assert/strict";
import { Decimal, Timestamp } from "../../pipeline/value/mod.ts";
import { DashboardModel } from "./dashboard_model.ts";
import type { TableChange } from "../lake/table_change.ts";

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 4, 1, 12, 30, 20);
const ts = (ms: number) => Timestamp.fromMillis(ms);

function change(
  table: string,
  version: number,
  added: TableChange["added"],
  removed: TableChange["removed"] = [],
) {
  return { table, version, timestamp: NOW, operation: "MERGE", initial: false, removed, added };
}

function minute(t: number, orders: number, revenue: string) {
  return {
    window_start: ts(t),
    window_end: ts(t + 60_000),
    orders: BigInt(orders),
    units: BigInt(orders),
    revenue: Decimal.parse(revenue),
    avg_order_value: Decimal.parse("0"),
  };
}

Deno.test("DashboardModel computes today's KPIs against yesterday up to the same time", () => {
  const m = new DashboardModel();
  const today = Math.floor(NOW / 60_000) * 60_000;
  m.apply(
    change("sales_per_minute", 1, [
      minute(today, 2, "30.00"),
      minute(today - 3_600_000, 1, "10.50"),
      minute(today - DAY, 1, "20.00"),
      minute(today - DAY + 3_600_000, 5, "99.00"), // yesterday after the current time of day: not compared
    ]),
    false,
  );
  const tiles = Object.fromEntries(m.doc(NOW).kpis.tiles.map((t) => [t.id, t]));
  assert.equal(tiles.revenue.value, "40.50");
  assert.equal(tiles.revenue.previous, "20.00");
  assert.equal(tiles.orders.value, "3");
  assert.equal(tiles.aov.value, "13.50");
  assert.equal(tiles.revenue.spark.length, 60);
  assert.equal(tiles.revenue.spark.at(-1), 30);
});

Deno.test("DashboardModel.takePatch() sends only what changed, with feed items for live commits", () => {
  const m = new DashboardModel();
  const order = (id: number, status: number) => ({
    order_id: id,
    order_number: `O-${id}`,
    total_amount: Decimal.parse("5.00"),
    status_id: status,
    customer_id: 7,
    created_at: ts(NOW),
    updated_at: ts(NOW),
    source_position: `p${id}.${status}`,
    source_commit_ts: ts(NOW - 500),
  });
  m.apply({ ...change("orders", 1, [order(1, 1)]), initial: true }, true);
  const first = m.doc(NOW);
  assert.equal(first.feed.length, 0, "initial content is not a live change");
  assert.equal(first.status.asOf, NOW - 500);
  m.apply(change("orders", 2, [order(1, 2)], [order(1, 1)]), true);
  const patch = m.takePatch(NOW);
  assert.deepEqual(
    patch.feed?.map((f) => [f.op, f.key, f.fields.map((x) => [x.column, x.before, x.after])]),
    [
      ["u", "order_id=1", [["status_id", "1", "2"]]],
    ],
  );
  assert.equal(patch.set?.top, undefined, "untouched topics are not resent");
  assert.deepEqual(m.takePatch(NOW), {}, "nothing new, nothing sent");
});

Deno.test("DashboardModel orders the funnel, lists low stock and answers customer history", () => {
  const m = new DashboardModel();
  m.apply(
    change("order_status_counts", 1, [
      { status_id: 5, status: "Cancelled", orders: 2n },
      { status_id: 4, status: "Returned", orders: 1n },
      { status_id: 3, status: "Delivered", orders: 9n },
      { status_id: 2, status: "Shipped", orders: 1n },
      { status_id: 1, status: "Ordered", orders: 3n },
    ]),
    false,
  );
  m.apply(
    change("inventory_levels", 1, [
      {
        product_id: 1,
        total_stock: 0n,
        stock_by_region: "{}",
        low_stock: true,
        units_sold_7d: 4n,
        days_of_cover: null,
      },
      {
        product_id: 2,
        total_stock: 50n,
        stock_by_region: "{}",
        low_stock: false,
        units_sold_7d: 1n,
        days_of_cover: null,
      },
    ]),
    false,
  );
  const base = {
    email: "a@x",
    phone_number: null,
    created_at: ts(0),
    updated_at: ts(0),
    source_position: "p",
  };
  m.apply(
    change("customers_scd2", 1, [
      {
        ...base,
        customer_id: 9,
        name: "Ann",
        valid_from: ts(1000),
        valid_to: ts(2000),
        is_current: false,
        is_deleted: false,
        version: 1,
      },
      {
        ...base,
        customer_id: 9,
        name: "Anne",
        valid_from: ts(2000),
        valid_to: null,
        is_current: true,
        is_deleted: false,
        version: 2,
      },
    ]),
    false,
  );
  const doc = m.doc(NOW);
  assert.deepEqual(doc.funnel.stages.map((s) => [s.status, s.kind]), [
    ["Ordered", "flow"],
    ["Shipped", "flow"],
    ["Delivered", "flow"],
    ["Cancelled", "cancelled"],
    ["Returned", "returned"],
  ]);
  assert.deepEqual([doc.stock.lowCount, doc.stock.outOfStock, doc.stock.items[0].name], [1, 1, "Product 1"]);
  const h = m.customerHistory(9)!;
  assert.deepEqual(h.versions.map((v) => [v.version, v.fields.name, v.changed]), [[2, "Anne", ["name"]], [
    1,
    "Ann",
    [],
  ]]);
  assert.deepEqual(m.searchCustomers("ANNE", 5).map((c) => c.customerId), [9]);
  assert.equal(m.customerHistory(10), null);
});
