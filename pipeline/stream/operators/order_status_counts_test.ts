import assert from "node:assert/strict";
import { Timestamp } from "../../value/mod.ts";
import { referenceOrderStatusCounts } from "./order_status_counts.ts";

Deno.test("referenceOrderStatusCounts() counts every order, cancelled and returned included", () => {
  const o = (id: number, status: number) => ({
    order_id: id,
    status_id: status,
    created_at: Timestamp.fromMillis(0),
  });
  const rows = referenceOrderStatusCounts({
    tables: {
      orders: [o(1, 1), o(2, 5), o(3, 5), o(4, 9)],
      order_status: [{ status_id: 1, status_name: "Ordered" }, { status_id: 5, status_name: "Cancelled" }],
    },
  });
  assert.deepEqual(rows, [
    { status_id: 1, status: "Ordered", orders: 1n },
    { status_id: 5, status: "Cancelled", orders: 2n },
    { status_id: 9, status: null, orders: 1n },
  ]);
});
