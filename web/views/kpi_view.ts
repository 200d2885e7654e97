/**
 * The KPI tiles: revenue, orders, average order value and active customers for today so far (UTC), each with
 * the same figure for yesterday up to the same time of day and a 60-minute sparkline.
 *
 * @module
 */
import { Decimal } from "../../pipeline/value/mod.ts";
import type { KpiView } from "../protocol/mod.ts";
import type { ActiveCustomers } from "./active_customers.ts";
import type { SalesModel, SalesTotals } from "./sales_model.ts";

const DAY = 86_400_000;

function aov(t: SalesTotals): Decimal {
  return t.orders === 0 ? Decimal.zero(2) : t.revenue.div(new Decimal(BigInt(t.orders), 0), 2);
}

/** The tiles at `now` (epoch ms). */
export function kpiView(sales: SalesModel, customers: ActiveCustomers, now: number): KpiView {
  const periodStart = Math.floor(now / DAY) * DAY;
  // Minutes are keyed by window start: the current minute counts until it closes.
  const end = Math.floor(now / 60_000) * 60_000 + 60_000;
  const today = sales.totals(periodStart, end);
  const yesterday = sales.totals(periodStart - DAY, end - DAY);
  const hadYesterday = yesterday.orders > 0;
  const previous = (v: string) => hadYesterday ? v : null;
  return {
    periodStart,
    tiles: [
      {
        id: "revenue",
        label: "Revenue today",
        unit: "money",
        value: today.revenue.toString(),
        previous: previous(yesterday.revenue.toString()),
        spark: sales.perMinute(now, 60, (m) => m.revenue.toNumber()),
      },
      {
        id: "orders",
        label: "Orders today",
        unit: "count",
        value: String(today.orders),
        previous: previous(String(yesterday.orders)),
        spark: sales.perMinute(now, 60, (m) => m.orders),
      },
      {
        id: "aov",
        label: "Average order value",
        unit: "money",
        value: aov(today).toString(),
        previous: previous(aov(yesterday).toString()),
        spark: sales.perMinute(now, 60, (m) => aov(m).toNumber()),
      },
      {
        id: "customers",
        label: "Active customers",
        unit: "count",
        value: String(customers.distinct(periodStart, end)),
        previous: previous(String(customers.distinct(periodStart - DAY, end - DAY))),
        spark: customers.perMinute(now, 60),
      },
    ],
  };
}
