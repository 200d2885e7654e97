/**
 * `inventory_levels`: stock per product across regions, with a low-stock flag and days of cover.
 *
 * @module
 */
import { Decimal, type Row } from "../../value/mod.ts";
import type { CommerceState, OrderFacts } from "./commerce_state.ts";
import type { OutputTable, TableDelta } from "./operator.ts";
import { DAY_NS, periodOf, VELOCITY_DAYS } from "./sales_rules.ts";
import { type SalesSource, sourceOrders, sourceRows } from "./sales_source.ts";
import { field, struct } from "./schema_fields.ts";

/**
 * One row per product that has inventory rows:
 * - `total_stock`: Σ quantity_in_stock over its inventory rows (regions);
 * - `stock_by_region`: JSON object region (inventory_name) → stock, regions sorted, e.g. `{"Asia":120,"Europe":3}`;
 * - `low_stock`: some region's stock is at or below that region's reorder_threshold;
 * - `units_sold_7d`: units of the product in sales whose event day (UTC) is one of the 7 days ending with the
 *   day of the latest order (any status): the sales velocity, on event time, never on processing time;
 * - `days_of_cover`: total_stock / (units_sold_7d / 7), rounded half-up to 0.1 day; 0 when total_stock ≤ 0;
 *   null when nothing was sold in those 7 days (cover is unbounded).
 */
export const INVENTORY_LEVELS: OutputTable = {
  name: "inventory_levels",
  key: ["product_id"],
  schema: struct([
    field("product_id", "integer", false),
    field("total_stock", "long", false),
    field("stock_by_region", "string", false),
    field("low_stock", "boolean", false),
    field("units_sold_7d", "long", false),
    field("days_of_cover", "decimal(18,1)", true),
  ]),
};

interface RegionStock {
  region: string;
  stock: number;
  threshold: number;
}

function byRegion(a: RegionStock, b: RegionStock): number {
  return a.region < b.region ? -1 : a.region > b.region ? 1 : 0;
}

function levelRow(productId: number, regions: readonly RegionStock[], sold: number): Row {
  const sorted = regions.length > 1 ? [...regions].sort(byRegion) : regions;
  let total = 0;
  let low = false;
  // Built by hand: JSON.stringify would put region names that look like integers first.
  let json = "{";
  for (let i = 0; i < sorted.length; i++) {
    const r = sorted[i];
    total += r.stock;
    low ||= r.stock <= r.threshold;
    let stock = r.stock;
    while (i + 1 < sorted.length && sorted[i + 1].region === r.region) {
      stock += sorted[++i].stock;
      total += sorted[i].stock;
      low ||= sorted[i].stock <= sorted[i].threshold;
    }
    json += (json.length > 1 ? "," : "") + JSON.stringify(r.region) + ":" + stock;
  }
  let cover: Decimal | null = null;
  if (sold > 0) {
    // total × 7 / sold in tenths of a day, rounded half-up (both positive).
    const tenths = total <= 0
      ? 0n
      : (BigInt(total) * BigInt(VELOCITY_DAYS * 20) + BigInt(sold)) / BigInt(2 * sold);
    cover = new Decimal(tenths, 1);
  }
  return {
    product_id: productId,
    total_stock: BigInt(total),
    stock_by_region: json + "}",
    low_stock: low,
    units_sold_7d: BigInt(sold),
    days_of_cover: cover,
  };
}

/** `inventory_levels` computed directly from final source contents. */
export function referenceInventoryLevels(source: SalesSource): Row[] {
  const orders = sourceOrders(source);
  let today: number | null = null;
  for (const o of orders) today = Math.max(today ?? -Infinity, periodOf(o.eventNs, DAY_NS));
  const sold = new Map<number, number>();
  for (const o of orders) {
    const day = periodOf(o.eventNs, DAY_NS);
    if (!o.sale || today === null || day <= today - VELOCITY_DAYS) continue;
    for (const it of o.items) {
      sold.set(it.product_id as number, (sold.get(it.product_id as number) ?? 0) + (it.quantity as number));
    }
  }
  const byProduct = Map.groupBy(sourceRows(source, "inventory"), (r) => r.product_id as number);
  return [...byProduct].map(([p, rows]) =>
    levelRow(
      p,
      rows.map((r) => ({
        region: r.inventory_name as string,
        stock: r.quantity_in_stock as number,
        threshold: r.reorder_threshold as number,
      })),
      sold.get(p) ?? 0,
    )
  );
}

/** Maintains `inventory_levels` from inventory changes and order facts (for the sales velocity). */
export class InventoryLevelsView {
  readonly table = INVENTORY_LEVELS;
  /** Event day → live orders (any status) on it; the latest such day is "today" for the velocity. */
  readonly #dayOrders = new Map<number, number>();
  /** product_id → event day → units in sales. */
  readonly #sold = new Map<number, Map<number, number>>();
  readonly #dirty = new Set<number>();
  /** Products whose row is in the table. */
  readonly #present = new Set<number>();
  #today: number | null = null;

  add(f: OrderFacts, sign: 1 | -1): void {
    const day = f.day;
    const n = (this.#dayOrders.get(day) ?? 0) + sign;
    if (n === 0) this.#dayOrders.delete(day);
    else this.#dayOrders.set(day, n);
    if (!f.sale) return;
    for (const line of f.lines) {
      let days = this.#sold.get(line.productId);
      if (!days) this.#sold.set(line.productId, days = new Map());
      const units = (days.get(day) ?? 0) + sign * line.quantity;
      if (units === 0) days.delete(day);
      else days.set(day, units);
      if (days.size === 0) this.#sold.delete(line.productId);
      this.#dirty.add(line.productId);
    }
  }

  touch(products: Iterable<number>): void {
    for (const p of products) this.#dirty.add(p);
  }

  emit(state: CommerceState): TableDelta {
    let today: number | null = null;
    for (const d of this.#dayOrders.keys()) if (today === null || d > today) today = d;
    if (today !== this.#today) {
      // The 7-day window moved: every product's velocity may have changed.
      this.#today = today;
      for (const p of state.productInventory.keys()) this.#dirty.add(p);
    }
    const delta: TableDelta = { upserts: [], deletes: [] };
    for (const p of this.#dirty) {
      const rows = state.productInventory.get(p);
      if (!rows) {
        if (this.#present.delete(p)) delta.deletes.push({ product_id: p });
        continue;
      }
      let sold = 0;
      const days = this.#sold.get(p);
      if (days && today !== null) {
        for (const [d, u] of days) if (d > today - VELOCITY_DAYS && d <= today) sold += u;
      }
      delta.upserts.push(levelRow(p, rows, sold));
      this.#present.add(p);
    }
    this.#dirty.clear();
    return delta;
  }
}
