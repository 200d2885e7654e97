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

/** Typical status names in the order an order moves through them. */
const FLOW = [
  "pending",
  "placed",
  "created",
  "confirmed",
  "paid",
  "processing",
  "packed",
  "shipped",
  "in transit",
  "delivered",
  "completed",
];

function kind(status: string): "flow" | "cancelled" | "returned" {
  return /cancel/i.test(status) ? "cancelled" : /return|refund/i.test(status) ? "returned" : "flow";
}

/** Stages in flow order (unknown statuses after the known ones, by count), then cancellations and returns. */
export function funnelView(rows: KeyedRows): FunnelView {
  const C = STATUS_COUNTS_TABLE;
  const stages = [...rows.values()].map((row) => {
    const status = textOf(row[C.status]) ?? `Status ${textOf(row[C.statusId])}`;
    return { status, orders: numberOf(row, C.orders) ?? 0, kind: kind(status) };
  });
  const rank = (s: { status: string; kind: string }) => {
    if (s.kind === "cancelled") return 1000;
    if (s.kind === "returned") return 1001;
    const i = FLOW.indexOf(s.status.toLowerCase());
    return i < 0 ? 500 : i;
  };
  stages.sort((a, b) => rank(a) - rank(b) || b.orders - a.orders || a.status.localeCompare(b.status));
  return { stages, total: stages.reduce((n, s) => n + s.orders, 0) };
}
