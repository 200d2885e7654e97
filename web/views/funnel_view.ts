/**
 * The order status funnel from the `order_status_counts` aggregate (one row per status: its order count),
 * in flow order, with cancellations and returns set apart.
 *
 * @module
 */
import type { FunnelView } from "../protocol/mod.ts";
import type { KeyedRows } from "./keyed_rows.ts";
import { numberOf, textOf } from "./row_values.ts";

/** The lake table and the columns this view reads. */
export const STATUS_COUNTS_TABLE = {
  name: "order_status_counts",
  key: ["status_id"],
  statusId: "status_id",
  status: "status",
  orders: "orders",
} as const;

function kind(status: string): "flow" | "cancelled" | "returned" {
  return /cancel/i.test(status) ? "cancelled" : /return|refund/i.test(status) ? "returned" : "flow";
}

/**
 * Stages in flow order, then cancellations and returns. The source numbers its statuses in the order an order
 * moves through them (1 Ordered, 2 Shipped, 3 Delivered, …), so flow stages sort by status id.
 */
export function funnelView(rows: KeyedRows): FunnelView {
  const C = STATUS_COUNTS_TABLE;
  const stages = [...rows.values()].map((row) => {
    const status = textOf(row[C.status]) ?? `Status ${textOf(row[C.statusId])}`;
    return {
      status,
      orders: numberOf(row, C.orders) ?? 0,
      kind: kind(status),
      id: numberOf(row, C.statusId) ?? Number.MAX_SAFE_INTEGER,
    };
  });
  const rank = (s: { kind: string }) => s.kind === "cancelled" ? 1 : s.kind === "returned" ? 2 : 0;
  stages.sort((a, b) => rank(a) - rank(b) || a.id - b.id || a.status.localeCompare(b.status));
  return {
    stages: stages.map(({ id: _id, ...stage }) => stage),
    total: stages.reduce((n, s) => n + s.orders, 0),
  };
}
