/**
 * Sales per minute from the `sales_per_minute` aggregate: the chart's points and the sums behind the revenue,
 * orders and average-order-value tiles.
 *
 * @module
 */
import { Decimal, type Row } from "../../pipeline/value/mod.ts";
import type { SalesPoint } from "../protocol/mod.ts";
import { KeyedRows } from "./keyed_rows.ts";
import { decimalOf, millisOf, numberOf } from "./row_values.ts";

/** The lake table and the columns this model reads (a rename upstream is a change here only). */
export const SALES_TABLE = {
  name: "sales_per_minute",
  windowStart: "window_start",
  orders: "orders",
  units: "units",
  revenue: "revenue",
} as const;

/** How far back the chart can look, in ms. */
export const SALES_WINDOW_MS = 86_400_000;

interface Minute {
  t: number;
  orders: number;
  units: number;
  revenue: Decimal;
}

/** Totals over a time range. */
export interface SalesTotals {
  orders: number;
  units: number;
  revenue: Decimal;
}

function point(m: Minute): SalesPoint {
  return { t: m.t, orders: m.orders, units: m.units, revenue: m.revenue.toNumber() };
}

/** Sales minutes, maintained from the aggregate's commits. */
export class SalesModel {
  readonly #rows = new KeyedRows([SALES_TABLE.windowStart]);
  readonly #minutes = new Map<number, Minute>();

  /** Applies one commit; returns the changed minutes (null = removed) as `sales` patch entries. */
  apply(removed: readonly Row[], added: readonly Row[]): Record<string, SalesPoint | null> {
    const out: Record<string, SalesPoint | null> = {};
    for (const c of this.#rows.apply(removed, added)) {
      if (c.before) {
        const t = millisOf(c.before, SALES_TABLE.windowStart)!;
        this.#minutes.delete(t);
        out[t] = null;
      }
      if (c.after) {
        const m = this.#minute(c.after);
        this.#minutes.set(m.t, m);
        out[m.t] = point(m);
      }
    }
    return out;
  }

  #minute(row: Row): Minute {
    const t = millisOf(row, SALES_TABLE.windowStart);
    if (t === null) {
      throw new TypeError(`Cannot read ${SALES_TABLE.name}: a row has no ${SALES_TABLE.windowStart}`);
    }
    return {
      t,
      orders: numberOf(row, SALES_TABLE.orders) ?? 0,
      units: numberOf(row, SALES_TABLE.units) ?? 0,
      revenue: decimalOf(row, SALES_TABLE.revenue) ?? Decimal.zero(2),
    };
  }

  /** The chart's points: minutes from `now − 24 h` on, keyed by window start. */
  series(now: number): Record<string, SalesPoint> {
    const out: Record<string, SalesPoint> = {};
    for (const m of this.#minutes.values()) if (m.t >= now - SALES_WINDOW_MS) out[m.t] = point(m);
    return out;
  }

  /** Keys of `shown` that fell out of the chart window at `now` (to remove from the document). */
  expired(shown: Record<string, SalesPoint>, now: number): Record<string, null> {
    const out: Record<string, null> = {};
    for (const k of Object.keys(shown)) if (Number(k) < now - SALES_WINDOW_MS) out[k] = null;
    return out;
  }

  /** Totals of the minutes starting in [from, to). */
  totals(from: number, to: number): SalesTotals {
    let orders = 0;
    let units = 0;
    let revenue = Decimal.zero(2);
    for (const m of this.#minutes.values()) {
      if (m.t >= from && m.t < to) {
        orders += m.orders;
        units += m.units;
        revenue = revenue.add(m.revenue);
      }
    }
    return { orders, units, revenue };
  }

  /** One value per minute for the `count` minutes before `now`'s minute (inclusive), oldest first. */
  perMinute(now: number, count: number, pick: (m: SalesTotals) => number): number[] {
    const last = Math.floor(now / 60_000) * 60_000;
    const out: number[] = [];
    for (let t = last - (count - 1) * 60_000; t <= last; t += 60_000) {
      const m = this.#minutes.get(t);
      out.push(m ? pick(m) : 0);
    }
    return out;
  }
}
