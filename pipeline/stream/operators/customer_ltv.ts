/**
 * `customer_ltv`: each customer's sales so far.
 *
 * @module
 */
import { Decimal, type Row } from "../../value/mod.ts";
import type { OrderFacts } from "./commerce_state.ts";
import type { OutputTable, TableDelta } from "./operator.ts";
import { instant, money } from "./sales_rules.ts";
import { type SalesSource, sourceOrders } from "./sales_source.ts";
import { field, MONEY_SUM, struct } from "./schema_fields.ts";

/**
 * One row per customer_id with at least one sale: `orders` (number of sales), `revenue` (Σ of their items'
 * quantity × current_price), `first_order_at` and `last_order_at` (earliest and latest sale event time).
 * Orders without a customer_id are not attributed.
 */
export const CUSTOMER_LTV: OutputTable = {
  name: "customer_ltv",
  key: ["customer_id"],
  schema: struct([
    field("customer_id", "integer", false),
    field("orders", "long", false),
    field("revenue", MONEY_SUM, false),
    field("first_order_at", "timestamp", false),
    field("last_order_at", "timestamp", false),
  ]),
};

function ltvRow(customer: number, orders: number, cents: bigint, first: bigint, last: bigint): Row {
  return {
    customer_id: customer,
    orders: BigInt(orders),
    revenue: money(cents),
    first_order_at: instant(first),
    last_order_at: instant(last),
  };
}

/** `customer_ltv` computed directly from final source contents. */
export function referenceCustomerLtv(source: SalesSource): Row[] {
  const byCustomer = new Map<number, { orders: number; revenue: Decimal; first: bigint; last: bigint }>();
  for (const o of sourceOrders(source)) {
    if (!o.sale || o.customerId === null) continue;
    const c = byCustomer.get(o.customerId) ??
      { orders: 0, revenue: Decimal.zero(2), first: o.eventNs, last: o.eventNs };
    byCustomer.set(o.customerId, c);
    c.orders++;
    if (o.eventNs < c.first) c.first = o.eventNs;
    if (o.eventNs > c.last) c.last = o.eventNs;
    for (const it of o.items) {
      c.revenue = c.revenue.add(
        (it.current_price as Decimal).mul(new Decimal(BigInt(it.quantity as number), 0)),
      );
    }
  }
  return [...byCustomer].map(([id, c]) =>
    ltvRow(id, c.orders, c.revenue.rescale(2).unscaled, c.first, c.last)
  );
}

/** One customer's sales: count, cents and the event times of its sales (for exact min and max on retraction). */
class CustomerSums {
  orders = 0;
  cents = 0n;
  times: bigint[] = [];
}

/** Maintains `customer_ltv` from order facts. */
export class CustomerLtvView {
  readonly table = CUSTOMER_LTV;
  readonly #sums = new Map<number, CustomerSums>();
  readonly #dirty = new Set<number>();

  add(f: OrderFacts, sign: 1 | -1): void {
    if (!f.sale || f.customerId === null) return;
    let s = this.#sums.get(f.customerId);
    if (!s) this.#sums.set(f.customerId, s = new CustomerSums());
    s.orders += sign;
    if (sign > 0) {
      s.cents += f.cents;
      s.times.push(f.eventNs);
    } else {
      s.cents -= f.cents;
      s.times.splice(s.times.indexOf(f.eventNs), 1);
    }
    this.#dirty.add(f.customerId); // customers at zero are dropped by emit()
  }

  emit(): TableDelta {
    const delta: TableDelta = { upserts: [], deletes: [] };
    for (const c of this.#dirty) {
      const s = this.#sums.get(c);
      if (!s || s.orders === 0) {
        this.#sums.delete(c);
        delta.deletes.push({ customer_id: c });
        continue;
      }
      let [first, last] = [s.times[0], s.times[0]];
      for (const t of s.times) {
        if (t < first) first = t;
        if (t > last) last = t;
      }
      delta.upserts.push(ltvRow(c, s.orders, s.cents, first, last));
    }
    this.#dirty.clear();
    return delta;
  }
}
