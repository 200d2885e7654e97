import assert from "node:assert/strict";
import { Decimal, Timestamp } from "../../value/mod.ts";
import { referenceInventoryLevels } from "./inventory_levels.ts";

const inv = (product: number, region: string, stock: number, threshold: number) => ({
  product_id: product,
  inventory_name: region,
  quantity_in_stock: stock,
  reorder_threshold: threshold,
});

Deno.test("referenceInventoryLevels() sums regions, flags low stock and computes days of cover", () => {
  const day = 86_400_000;
  const o = (id: number, ms: number) => ({
    order_id: id,
    status_id: 1,
    created_at: Timestamp.fromMillis(ms),
  });
  const rows = referenceInventoryLevels({
    tables: {
      orders: [o(1, 0), o(2, 9 * day), o(3, 3 * day)],
      order_items: [
        { order_id: 1, product_id: 1, quantity: 50, current_price: Decimal.parse("1.00") },
        { order_id: 2, product_id: 1, quantity: 2, current_price: Decimal.parse("1.00") },
        { order_id: 3, product_id: 1, quantity: 1, current_price: Decimal.parse("1.00") },
        { order_id: 2, product_id: 2, quantity: 3, current_price: Decimal.parse("1.00") },
        { order_id: 2, product_id: 4, quantity: 28, current_price: Decimal.parse("1.00") },
        { order_id: 3, product_id: 5, quantity: 3, current_price: Decimal.parse("1.00") },
      ],
      inventory: [
        inv(1, "Europe", 10, 5),
        inv(1, "1", 4, 3),
        inv(1, "Europe", 1, 0),
        inv(2, "Asia", -4, 0),
        inv(3, "Asia", 7, 7),
        inv(4, "Asia", 1, 0),
        inv(5, "Asia", 10, 0),
      ],
    },
  });
  assert.deepEqual(
    rows.map((
      r,
    ) => [
      r.product_id,
      r.total_stock,
      r.stock_by_region,
      r.low_stock,
      r.units_sold_7d,
      r.days_of_cover?.toString() ?? null,
    ]),
    [
      // Days 3…9 are the 7 days ending with the latest order's day: order 1 (day 0) is out.
      [1, 15n, '{"1":4,"Europe":11}', false, 3n, "35.0"],
      [2, -4n, '{"Asia":-4}', true, 3n, "0.0"],
      [3, 7n, '{"Asia":7}', true, 0n, null],
      // 1 × 7 / 28 = 0.25 days rounds half-up to 0.3; 10 × 7 / 3 = 23.33… to 23.3.
      [4, 1n, '{"Asia":1}', false, 28n, "0.3"],
      [5, 10n, '{"Asia":10}', false, 3n, "23.3"],
    ],
  );
});
