/**
 * The sales aggregates (`sales_per_minute`, `product_sales`, `inventory_levels`, `order_status_counts`,
 * `customer_ltv`) as one operator over one shared state of the source rows they read.
 *
 * @module
 */
import type { ChangeEvent } from "../../cdc/change_event.ts";
import type { Timestamp } from "../../value/mod.ts";
import { CommerceState, type OrderFacts, SALES_INPUTS } from "./commerce_state.ts";
import { CUSTOMER_LTV, CustomerLtvView } from "./customer_ltv.ts";
import { EventChecker } from "./event_check.ts";
import { INVENTORY_LEVELS, InventoryLevelsView } from "./inventory_levels.ts";
import type { TableDef } from "../../catalog/mod.ts";
import {
  APPLY_CHECKED,
  type CheckedOperator,
  INPUT_DEFS,
  type OutputTable,
  READ_STATE,
  type TableChanges,
  type TableDelta,
  WRITE_STATE,
} from "./operator.ts";
import { ORDER_STATUS_COUNTS, OrderStatusCountsView } from "./order_status_counts.ts";
import { PRODUCT_SALES, ProductSalesView } from "./product_sales.ts";
import { SALES_PER_MINUTE, SalesPerMinuteView } from "./sales_per_minute.ts";
import { DEFAULT_SALES_RULES, type SalesRules } from "./sales_rules.ts";
import { catalogTable } from "./catalog_table.ts";
import type { ByteReader, ByteWriter } from "./byte_buffer.ts";
import { readHeader, restoreFrom, snapshotOf, writeHeader } from "./state_format.ts";

const STATE_KIND = "sales/1";

/** Live figures of the aggregates, for metrics (not part of any table). */
export interface SalesMetrics {
  /** Event time before which `sales_per_minute` windows are complete; null before the first sale. */
  watermark: Timestamp | null;
  /** Changes applied to windows that had already ended before the watermark, since start or restore. */
  lateWindowChanges: number;
}

/** Whether two facts of one order contribute the same to every aggregate but `order_status_counts`. */
function sameSale(a: OrderFacts, b: OrderFacts): boolean {
  if (a.sale !== b.sale || a.eventNs !== b.eventNs || a.customerId !== b.customerId) return false;
  if (a.lines.length !== b.lines.length) return false;
  for (let i = 0; i < a.lines.length; i++) {
    const [x, y] = [a.lines[i], b.lines[i]];
    if (x !== y && (x.productId !== y.productId || x.quantity !== y.quantity || x.cents !== y.cents)) {
      return false;
    }
  }
  return true;
}

class Views {
  readonly salesPerMinute: SalesPerMinuteView;
  readonly productSales = new ProductSalesView();
  readonly inventoryLevels = new InventoryLevelsView();
  readonly orderStatusCounts = new OrderStatusCountsView();
  readonly customerLtv = new CustomerLtvView();

  constructor(rules: SalesRules) {
    this.salesPerMinute = new SalesPerMinuteView(rules.allowedLatenessMs);
  }

  add(f: OrderFacts, sign: 1 | -1): void {
    this.salesPerMinute.add(f, sign);
    this.productSales.add(f, sign);
    this.inventoryLevels.add(f, sign);
    this.orderStatusCounts.add(f, sign);
    this.customerLtv.add(f, sign);
  }

  emit(state: CommerceState): [string, TableDelta][] {
    return [
      [this.salesPerMinute.table.name, this.salesPerMinute.emit()],
      [this.productSales.table.name, this.productSales.emit(state)],
      [this.inventoryLevels.table.name, this.inventoryLevels.emit(state)],
      [this.orderStatusCounts.table.name, this.orderStatusCounts.emit(state)],
      [this.customerLtv.table.name, this.customerLtv.emit()],
    ];
  }
}

/**
 * Maintains the five sales aggregates incrementally with exact retractions.
 *
 * Source rows follow the mirrors' rules (last change by position wins; late and repeated changes are ignored;
 * deletes leave tombstones). A batch first retracts the facts of every order it can change (its row, its
 * items, its insert or delete), applies the changes, then adds those orders' new facts; so an item updated or
 * deleted, an item moved to another order, an order cancelled, returned or deleted, or a late change corrects
 * every aggregate exactly, in the window, product and customer it belongs to. Product, category and status
 * renames update the rows that show those names. Which orders are sales, and their event time, follow
 * `SalesRules` and `orderEventNs`; each table's doc comment defines its columns. The reference functions
 * (`referenceSalesPerMinute`, …) compute the same tables from final source contents.
 *
 * State: the used columns of the six source tables (including tombstones); the aggregates are derived from it
 * on restore.
 */
export class SalesAggregatesOperator implements CheckedOperator {
  readonly name = "sales_aggregates";
  readonly inputs: readonly string[] = SALES_INPUTS;
  readonly outputs: readonly OutputTable[];
  readonly #rules: SalesRules;
  readonly [INPUT_DEFS]: readonly TableDef[] = SALES_INPUTS.map(catalogTable);
  readonly #checkers = this[INPUT_DEFS].map((def) => new EventChecker(def));
  #state: CommerceState;
  #views: Views;

  constructor(rules: SalesRules = DEFAULT_SALES_RULES) {
    this.#rules = rules;
    this.#state = new CommerceState(rules);
    this.#views = new Views(rules);
    this.outputs = [SALES_PER_MINUTE, PRODUCT_SALES, INVENTORY_LEVELS, ORDER_STATUS_COUNTS, CUSTOMER_LTV];
  }

  /** Live figures for metrics. */
  metrics(): SalesMetrics {
    const spm = this.#views.salesPerMinute;
    return { watermark: spm.watermark, lateWindowChanges: spm.lateChanges };
  }

  apply(events: readonly ChangeEvent[]): TableChanges {
    for (const c of this.#checkers) c.assertAll(events);
    return this[APPLY_CHECKED](events);
  }

  [APPLY_CHECKED](events: readonly ChangeEvent[]): TableChanges {
    const state = this.#state;
    const views = this.#views;
    const plan = state.plan(events);
    const affected = state.affectedOrders(plan);
    const before = new Map<number, OrderFacts | null>();
    for (const id of affected) {
      const f = state.facts(id);
      // The live items list changes in place when the plan applies: keep a copy (items themselves are replaced).
      before.set(id, f && { ...f, lines: [...f.lines] });
    }
    const touched = state.applyPlan(plan);
    for (const [id, was] of before) {
      const now = state.facts(id);
      if (was && now && sameSale(was, now)) {
        // Only the status changed (an order progressing): only order_status_counts depends on it.
        if (was.statusId !== now.statusId) {
          views.orderStatusCounts.add(was, -1);
          views.orderStatusCounts.add(now, 1);
        }
        continue;
      }
      if (was) views.add(was, -1);
      if (now) views.add(now, 1);
    }
    views.productSales.touch(touched.products, touched.categories, state);
    views.orderStatusCounts.touch(touched.statuses);
    views.inventoryLevels.touch(touched.inventoryProducts);
    const changes: TableChanges = new Map();
    for (const [name, delta] of views.emit(state)) {
      if (delta.upserts.length > 0 || delta.deletes.length > 0) changes.set(name, delta);
    }
    return changes;
  }

  snapshotState(): Uint8Array {
    return snapshotOf(this);
  }

  restore(bytes: Uint8Array): void {
    restoreFrom(this, bytes);
  }

  [WRITE_STATE](w: ByteWriter): void {
    writeHeader(w, STATE_KIND, this.name).string(JSON.stringify(this.#rules));
    this.#state.write(w);
  }

  [READ_STATE](r: ByteReader): void {
    readHeader(r, STATE_KIND, this.name);
    const rules = r.string();
    if (rules !== JSON.stringify(this.#rules)) {
      throw new RangeError(
        `Cannot restore state of operator "${this.name}": it was taken with rules ${rules}`,
      );
    }
    const state = new CommerceState(this.#rules);
    state.read(r);
    const views = new Views(this.#rules);
    for (const id of state.orders.keys()) {
      const f = state.facts(id);
      if (f) views.add(f, 1);
    }
    views.emit(state); // the tables already hold these rows; this only settles the views' bookkeeping
    views.salesPerMinute.lateChanges = 0;
    this.#state = state;
    this.#views = views;
  }
}
