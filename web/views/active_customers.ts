/**
 * Distinct ordering customers per time range, from the `orders` mirror (customer and creation time of each
 * order), maintained per minute from row changes so a range count never rescans the table.
 *
 * @module
 */
import type { RowChange } from "./keyed_rows.ts";
import { millisOf, numberOf } from "./row_values.ts";

/** The columns of `orders` this model reads. */
export const ORDER_COLUMNS = { customerId: "customer_id", createdAt: "created_at" } as const;

/** Customers with orders, bucketed by minute of order creation. */
export class ActiveCustomers {
  /** minute → customer → orders in that minute. */
  readonly #minutes = new Map<number, Map<number, number>>();

  /** Applies net row changes of `orders`. */
  apply(changes: readonly RowChange[]): void {
    for (const c of changes) {
      if (c.before) this.#count(c.before, -1);
      if (c.after) this.#count(c.after, +1);
    }
  }

  #count(row: Parameters<typeof millisOf>[0], delta: number): void {
    const at = millisOf(row, ORDER_COLUMNS.createdAt);
    const customer = numberOf(row, ORDER_COLUMNS.customerId);
    if (at === null || customer === null) return;
    const minute = Math.floor(at / 60_000) * 60_000;
    let m = this.#minutes.get(minute);
    if (!m) this.#minutes.set(minute, m = new Map());
    const n = (m.get(customer) ?? 0) + delta;
    if (n > 0) m.set(customer, n);
    else m.delete(customer);
    if (m.size === 0) this.#minutes.delete(minute);
  }

  /** Distinct customers with an order created in [from, to). */
  distinct(from: number, to: number): number {
    const seen = new Set<number>();
    for (const [minute, m] of this.#minutes) {
      if (minute >= from && minute < to) { for (const c of m.keys()) seen.add(c); }
    }
    return seen.size;
  }

  /** Distinct customers per minute for the `count` minutes up to `now`'s minute, oldest first. */
  perMinute(now: number, count: number): number[] {
    const last = Math.floor(now / 60_000) * 60_000;
    const out: number[] = [];
    for (let t = last - (count - 1) * 60_000; t <= last; t += 60_000) {
      out.push(this.#minutes.get(t)?.size ?? 0);
    }
    return out;
  }
}
