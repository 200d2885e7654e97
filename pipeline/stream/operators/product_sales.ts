/**
 * `product_sales`: units and revenue per product, with its current name and category.
 *
 * @module
 */
import { Decimal, type Row } from "../../value/mod.ts";
import type { CommerceState, OrderFacts } from "./commerce_state.ts";
import type { OutputTable, TableDelta } from "./operator.ts";
import { money } from "./sales_rules.ts";
import { type SalesSource, sourceOrders, sourceRows } from "./sales_source.ts";
import { field, MONEY_SUM, struct } from "./schema_fields.ts";

/**
 * One row per product with at least one item in a sale: `units` (Σ quantity), `revenue` (Σ quantity ×
 * current_price), `name` from `products` and `category` (category_name) from `product_categories`, null while
 * the product or category row is unknown. A rename updates the row.
 */
export const PRODUCT_SALES: OutputTable = {
  name: "product_sales",
  key: ["product_id"],
  schema: struct([
    field("product_id", "integer", false),
    field("name", "string", true),
    field("category", "string", true),
    field("units", "long", false),
    field("revenue", MONEY_SUM, false),
  ]),
};

function productRow(
  id: number,
  name: string | null,
  category: string | null,
  units: number,
  cents: bigint,
): Row {
  return { product_id: id, name, category, units: BigInt(units), revenue: money(cents) };
}

/** `product_sales` computed directly from final source contents. */
export function referenceProductSales(source: SalesSource): Row[] {
  const sums = new Map<number, { units: number; revenue: Decimal }>();
  for (const o of sourceOrders(source)) {
    if (!o.sale) continue;
    for (const it of o.items) {
      const p = it.product_id as number;
      const s = sums.get(p) ?? { units: 0, revenue: Decimal.zero(2) };
      sums.set(p, s);
      s.units += it.quantity as number;
      s.revenue = s.revenue.add(
        (it.current_price as Decimal).mul(new Decimal(BigInt(it.quantity as number), 0)),
      );
    }
  }
  const products = new Map(sourceRows(source, "products").map((r) => [r.product_id as number, r]));
  const categories = new Map(
    sourceRows(source, "product_categories").map((r) => [r.category_id, r.category_name]),
  );
  return [...sums].map(([p, s]) => {
    const product = products.get(p);
    const category = product ? (categories.get(product.category_id) as string | undefined) ?? null : null;
    return productRow(
      p,
      (product?.name as string | undefined) ?? null,
      category,
      s.units,
      s.revenue.rescale(2).unscaled,
    );
  });
}

class ProductSums {
  lines = 0;
  units = 0;
  cents = 0n;
}

/** Maintains `product_sales` from order facts and product and category changes. */
export class ProductSalesView {
  readonly table = PRODUCT_SALES;
  readonly #sums = new Map<number, ProductSums>();
  readonly #dirty = new Set<number>();

  add(f: OrderFacts, sign: 1 | -1): void {
    if (!f.sale) return;
    for (const line of f.lines) {
      let s = this.#sums.get(line.productId);
      if (!s) this.#sums.set(line.productId, s = new ProductSums());
      s.lines += sign;
      s.units += sign * line.quantity;
      s.cents += sign > 0 ? line.cents : -line.cents;
      this.#dirty.add(line.productId); // sums at zero are dropped by emit()
    }
  }

  /** Marks products whose name or category changed, and the products of renamed categories. */
  touch(products: Iterable<number>, categories: ReadonlySet<number>, state: CommerceState): void {
    for (const p of products) this.#dirty.add(p);
    if (categories.size === 0) return;
    for (const [p, rec] of state.products) {
      if (rec.alive && rec.categoryId !== null && categories.has(rec.categoryId)) this.#dirty.add(p);
    }
  }

  emit(state: CommerceState): TableDelta {
    const delta: TableDelta = { upserts: [], deletes: [] };
    for (const p of this.#dirty) {
      const s = this.#sums.get(p);
      if (!s || s.lines === 0) {
        this.#sums.delete(p);
        delta.deletes.push({ product_id: p });
        continue;
      }
      const product = state.products.get(p);
      const live = product?.alive ? product : null;
      const category = live?.categoryId != null ? state.categories.get(live.categoryId) : undefined;
      delta.upserts.push(
        productRow(p, live?.name ?? null, category?.alive ? category.name : null, s.units, s.cents),
      );
    }
    this.#dirty.clear();
    return delta;
  }
}
