/**
 * What counts as a sale, when it happened and how money is summed: the definitions the incremental aggregates
 * and their reference functions share.
 *
 * @module
 */
import { Decimal, type Row, Timestamp } from "../../value/mod.ts";

/** Rules of the sales aggregates. */
export interface SalesRules {
  /**
   * Order statuses whose orders are not sales: they count in `order_status_counts` but not in revenue, units,
   * order counts, product sales, customer lifetime value or sales velocity.
   * @default [4, 5] (Returned, Cancelled; the ids setup seeds)
   */
  excludedStatusIds: readonly number[];
  /**
   * How far behind the latest order event time a `sales_per_minute` window still counts as open; changes to
   * older windows are late (applied all the same, and counted).
   * @default 60_000 (one minute)
   */
  allowedLatenessMs: number;
}

/** The default rules. */
export const DEFAULT_SALES_RULES: SalesRules = { excludedStatusIds: [4, 5], allowedLatenessMs: 60_000 };

/** Days of sales that make the velocity behind `inventory_levels.days_of_cover`. */
export const VELOCITY_DAYS = 7;

/** Nanoseconds per minute and per day. */
export const MINUTE_NS = 60_000_000_000n;
export const DAY_NS = 86_400_000_000_000n;

/** Index of the period of `size` ns that contains `ns` (floor division, also before 1970). */
export function periodOf(ns: bigint, size: bigint): number {
  const q = ns / size;
  return Number(ns < 0n && ns % size !== 0n ? q - 1n : q);
}

/** An instant (UTC, microsecond digits) at `ns` since the epoch. */
export function instant(ns: bigint): Timestamp {
  return new Timestamp(ns, 6, true);
}

/** Money is summed in cents: the catalog's money columns are decimal(18,2). */
export const MONEY_SCALE = 2;

/** quantity × price in cents, exact; a RangeError when the price has non-zero digits beyond cents. */
export function lineCents(quantity: number, price: Decimal): bigint {
  return BigInt(quantity) * price.rescale(MONEY_SCALE, "exact").unscaled;
}

/** Cents as a decimal(…,2). */
export function money(cents: bigint): Decimal {
  return new Decimal(cents, MONEY_SCALE);
}

/**
 * Event time of an order, in ns since the epoch: the source commit time of the insert that began the order's
 * current life (its last insert not followed by a delete), when that insert was seen; otherwise (the order
 * came in through a snapshot read, whose commit time is the time of reading) its `created_at`.
 */
export function orderEventNs(order: Row, insertCommit: Timestamp | undefined): bigint {
  return (insertCommit ?? (order.created_at as Timestamp)).epochNanos;
}
