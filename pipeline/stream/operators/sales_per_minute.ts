/**
 * `sales_per_minute`: orders, units and revenue of sales per minute of order event time.
 *
 * @module
 */
import type { Row, Timestamp } from "../../value/mod.ts";
import { Decimal } from "../../value/mod.ts";
import type { OrderFacts } from "./commerce_state.ts";
import type { OutputTable, TableDelta } from "./operator.ts";
import { instant, MINUTE_NS, money, periodOf } from "./sales_rules.ts";
import { type SalesSource, sourceOrders } from "./sales_source.ts";
import { field, MONEY, MONEY_SUM, struct } from "./schema_fields.ts";

/**
 * One row per minute [window_start, window_end) of event time with at least one sale: `orders` (sales whose
 * event time falls in it), `units` and `revenue` (Σ quantity and Σ quantity × current_price of their items),
 * `avg_order_value` (revenue / orders, rounded half-up to cents). A minute whose sales are all cancelled,
 * returned or deleted loses its row.
 */
export const SALES_PER_MINUTE: OutputTable = {
  name: "sales_per_minute",
  key: ["window_start"],
  schema: struct([
    field("window_start", "timestamp", false),
    field("window_end", "timestamp", false),
    field("orders", "long", false),
    field("units", "long", false),
    field("revenue", MONEY_SUM, false),
    field("avg_order_value", MONEY, false),
  ]),
};

function windowRow(minute: number, orders: number, units: number, cents: bigint): Row {
  const start = BigInt(minute) * MINUTE_NS;
  return {
    window_start: instant(start),
    window_end: instant(start + MINUTE_NS),
    orders: BigInt(orders),
    units: BigInt(units),
    revenue: money(cents),
    avg_order_value: money(cents).div(new Decimal(BigInt(orders), 0), 2),
  };
}

/** `sales_per_minute` computed directly from final source contents. */
export function referenceSalesPerMinute(source: SalesSource): Row[] {
  const windows = new Map<number, { orders: number; units: number; revenue: Decimal }>();
  for (const o of sourceOrders(source)) {
    if (!o.sale) continue;
    const m = periodOf(o.eventNs, MINUTE_NS);
    const w = windows.get(m) ?? { orders: 0, units: 0, revenue: Decimal.zero(2) };
    windows.set(m, w);
    w.orders++;
    for (const it of o.items) {
      w.units += it.quantity as number;
      w.revenue = w.revenue.add(
        (it.current_price as Decimal).mul(new Decimal(BigInt(it.quantity as number), 0)),
      );
    }
  }
  return [...windows].map(([m, w]) => windowRow(m, w.orders, w.units, w.revenue.rescale(2).unscaled));
}

class WindowSums {
  orders = 0;
  units = 0;
  cents = 0n;
}

/**
 * Maintains `sales_per_minute` from order facts. The watermark is the latest sale event time seen minus the
 * allowed lateness: windows that end before it are complete for live readers; a change to one is late, applied
 * all the same (exact retractions) and counted.
 */
export class SalesPerMinuteView {
  readonly table = SALES_PER_MINUTE;
  readonly #windows = new Map<number, WindowSums>();
  readonly #dirty = new Set<number>();
  readonly #latenessNs: bigint;
  #latestNs: bigint | null = null;
  /** Changes to windows that had already ended before the watermark. */
  lateChanges = 0;

  constructor(allowedLatenessMs: number) {
    this.#latenessNs = BigInt(allowedLatenessMs) * 1_000_000n;
  }

  /** Event time before which windows are complete, or null before the first sale. */
  get watermark(): Timestamp | null {
    return this.#latestNs === null ? null : instant(this.#latestNs - this.#latenessNs);
  }

  add(f: OrderFacts, sign: 1 | -1): void {
    if (!f.sale) return;
    const m = f.minute;
    if (this.#latestNs !== null && BigInt(m + 1) * MINUTE_NS <= this.#latestNs - this.#latenessNs) {
      this.lateChanges++;
    }
    if (sign > 0 && (this.#latestNs === null || f.eventNs > this.#latestNs)) this.#latestNs = f.eventNs;
    let w = this.#windows.get(m);
    if (!w) this.#windows.set(m, w = new WindowSums());
    w.orders += sign;
    w.units += sign * f.units;
    w.cents += sign > 0 ? f.cents : -f.cents;
    this.#dirty.add(m); // a window at zero is dropped by emit(), so a retract and re-add reuse it
  }

  /** Rows of the windows changed since the last emit. */
  emit(): TableDelta {
    const delta: TableDelta = { upserts: [], deletes: [] };
    for (const m of this.#dirty) {
      const w = this.#windows.get(m);
      if (w && w.orders !== 0) delta.upserts.push(windowRow(m, w.orders, w.units, w.cents));
      else {
        this.#windows.delete(m);
        delta.deletes.push({ window_start: instant(BigInt(m) * MINUTE_NS) });
      }
    }
    this.#dirty.clear();
    return delta;
  }
}
