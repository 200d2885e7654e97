import assert from "node:assert/strict";
import { Timestamp } from "../../value/mod.ts";
import { sourceOrders, sourceRows } from "./sales_source.ts";

Deno.test("sourceOrders() joins items, applies the rules and the event-time fallback", () => {
  const created = Timestamp.fromMillis(1000);
  const orders = sourceOrders({
    tables: {
      orders: [
        { order_id: 1, status_id: 1, customer_id: 3, created_at: created },
        { order_id: 2, status_id: 5, customer_id: null, created_at: created },
      ],
      order_items: [{ order_id: 1, quantity: 2 }, { order_id: 1, quantity: 1 }, { order_id: 9, quantity: 1 }],
    },
    orderInsertCommits: new Map([[2, Timestamp.fromMillis(2000)]]),
  });
  assert.deepEqual(orders.map((o) => [o.id, o.sale, o.customerId, o.eventNs, o.items.length]), [
    [1, true, 3, 1_000_000_000n, 2],
    [2, false, null, 2_000_000_000n, 0],
  ]);
  assert.deepEqual(sourceRows({ tables: {} }, "inventory"), []);
});
