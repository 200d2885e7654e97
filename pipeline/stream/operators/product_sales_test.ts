import assert from "node:assert/strict";
import { Decimal, Timestamp } from "../../value/mod.ts";
import { referenceProductSales } from "./product_sales.ts";

Deno.test("referenceProductSales() joins names and categories and leaves them null when unknown", () => {
  const created = Timestamp.fromMillis(0);
  const rows = referenceProductSales({
    tables: {
      orders: [{ order_id: 1, status_id: 1, created_at: created }, {
        order_id: 2,
        status_id: 5,
        created_at: created,
      }],
      order_items: [
        { order_id: 1, product_id: 1, quantity: 2, current_price: Decimal.parse("1.50") },
        { order_id: 1, product_id: 2, quantity: 1, current_price: Decimal.parse("9.99") },
        { order_id: 1, product_id: 3, quantity: 1, current_price: Decimal.parse("1.00") },
        { order_id: 2, product_id: 1, quantity: 5, current_price: Decimal.parse("1.50") },
      ],
      products: [{ product_id: 1, name: "Kite", category_id: 7 }, {
        product_id: 2,
        name: "Ball",
        category_id: 8,
      }],
      product_categories: [{ category_id: 7, category_name: "Toys" }],
    },
  });
  assert.deepEqual(rows.map((r) => [r.product_id, r.name, r.category, r.units, String(r.revenue)]), [
    [1, "Kite", "Toys", 2n, "3.00"],
    [2, "Ball", null, 1n, "9.99"],
    [3, null, null, 1n, "1.00"],
  ]);
});
