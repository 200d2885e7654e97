/**
 * `order_status_counts`: how many orders are in each status.
 *
 * @module
 */
import type { Row } from "../../value/mod.ts";
import type { CommerceState, OrderFacts } from "./commerce_state.ts";
import type { OutputTable, TableDelta } from "./operator.ts";
import { type SalesSource, sourceOrders, sourceRows } from "./sales_source.ts";
import { field, struct } from "./schema_fields.ts";

/**
 * One row per status that has orders: `status_id`, `status` (status_name from `order_status`, null while
 * unknown) and `orders`, counting every live order, cancelled and returned ones included.
 */
export const ORDER_STATUS_COUNTS: OutputTable = {
  name: "order_status_counts",
  key: ["status_id"],
  schema: struct([
    field("status_id", "integer", false),
    field("status", "string", true),
    field("orders", "long", false),
  ]),
};

/** `order_status_counts` computed directly from final source contents. */
export function referenceOrderStatusCounts(source: SalesSource): Row[] {
  const names = new Map(
    sourceRows(source, "order_status").map((r) => [r.status_id as number, r.status_name]),
  );
  const counts = new Map<number, number>();
  for (const o of sourceOrders(source)) counts.set(o.statusId, (counts.get(o.statusId) ?? 0) + 1);
  return [...counts].map(([s, n]) => ({ status_id: s, status: names.get(s) ?? null, orders: BigInt(n) }));
}

/** Maintains `order_status_counts` from order facts and status renames. */
export class OrderStatusCountsView {
  readonly table = ORDER_STATUS_COUNTS;
  readonly #counts = new Map<number, number>();
  readonly #dirty = new Set<number>();

  add(f: OrderFacts, sign: 1 | -1): void {
    this.#counts.set(f.statusId, (this.#counts.get(f.statusId) ?? 0) + sign);
    this.#dirty.add(f.statusId); // counts at zero are dropped by emit()
  }

  touch(statuses: Iterable<number>): void {
    for (const s of statuses) this.#dirty.add(s);
  }

  emit(state: CommerceState): TableDelta {
    const delta: TableDelta = { upserts: [], deletes: [] };
    for (const s of this.#dirty) {
      const n = this.#counts.get(s);
      if (!n) {
        this.#counts.delete(s);
        delta.deletes.push({ status_id: s });
        continue;
      }
      const rec = state.statuses.get(s);
      delta.upserts.push({ status_id: s, status: rec?.alive ? rec.name : null, orders: BigInt(n) });
    }
    this.#dirty.clear();
    return delta;
  }
}
