import assert from "node:assert/strict";
import { Decimal, Timestamp } from "../../value/mod.ts";
import { referenceCustomerLtv } from "./customer_ltv.ts";

Deno.test("referenceCustomerLtv() sums sales per customer with first and last event time", () => {
  const o = (id: number, customer: number | null, status: number, ms: number) => ({
    order_id: id,
    customer_id: customer,
    status_id: status,
    created_at: Timestamp.fromMillis(ms),
  });
  const rows = referenceCustomerLtv({
    tables: {
      orders: [o(1, 7, 1, 3000), o(2, 7, 3, 1000), o(3, 7, 4, 0), o(4, null, 1, 0)],
      order_items: [
        { order_id: 1, quantity: 1, current_price: Decimal.parse("2.50") },
        { order_id: 3, quantity: 1, current_price: Decimal.parse("100.00") },
        { order_id: 4, quantity: 1, current_price: Decimal.parse("100.00") },
      ],
    },
  });
  assert.deepEqual(
    rows.map((
      r,
    ) => [r.customer_id, r.orders, String(r.revenue), String(r.first_order_at), String(r.last_order_at)]),
    [
      [7, 2n, "2.50", "1970-01-01T00:00:01.000000Z", "1970-01-01T00:00:03.000000Z"],
    ],
  );
});
