/**
 * The input of the aggregates' reference functions: final source table contents, as a "same sums computed from
 * the source" check reads them.
 *
 * @module
 */
import type { Row, Timestamp } from "../../value/mod.ts";
import { DEFAULT_SALES_RULES, orderEventNs, type SalesRules } from "./sales_rules.ts";

/** Final contents of the source tables and what the reference functions need besides. */
export interface SalesSource {
  /**
   * Rows by lake table name (`orders`, `order_items`, `products`, `product_categories`, `order_status`,
   * `inventory`), columns snake_case, values in the lake's value model. A missing table is empty.
   */
  tables: Readonly<Record<string, readonly Row[]>>;
  /**
   * order_id → source commit time of the insert that began the order's current life, for orders whose insert
   * was captured; other orders fall back to `created_at` (see `orderEventNs`). Window-independent totals (sums
   * over all windows) need none of them.
   */
  orderInsertCommits?: ReadonlyMap<number, Timestamp>;
  /** @default DEFAULT_SALES_RULES */
  rules?: SalesRules;
}

/** One source order with what the aggregates derive from it. */
export interface SourceOrder {
  id: number;
  statusId: number;
  customerId: number | null;
  eventNs: bigint;
  /** Whether it counts as a sale under the rules. */
  sale: boolean;
  /** Its `order_items` rows. */
  items: Row[];
}

/** The rows of one table of the source (empty when absent). */
export function sourceRows(source: SalesSource, table: string): readonly Row[] {
  return source.tables[table] ?? [];
}

/** Every source order with its items, event time and sale flag. */
export function sourceOrders(source: SalesSource): SourceOrder[] {
  const rules = source.rules ?? DEFAULT_SALES_RULES;
  const items = Map.groupBy(sourceRows(source, "order_items"), (r) => r.order_id as number);
  return sourceRows(source, "orders").map((o) => {
    const id = o.order_id as number;
    const statusId = o.status_id as number;
    return {
      id,
      statusId,
      customerId: o.customer_id as number | null,
      eventNs: orderEventNs(o, source.orderInsertCommits?.get(id)),
      sale: !rules.excludedStatusIds.includes(statusId),
      items: items.get(id) ?? [],
    };
  });
}
