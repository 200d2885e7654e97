/**
 * Best sellers from the `product_sales` aggregate (one row per product: units and revenue, joined with the
 * product's name and category upstream).
 *
 * @module
 */
import { Decimal } from "../../pipeline/value/mod.ts";
import type { CategorySales, ProductSales, TopView } from "../protocol/mod.ts";
import type { KeyedRows } from "./keyed_rows.ts";
import { decimalOf, numberOf, textOf } from "./row_values.ts";

/** The lake table and the columns this view reads. */
export const PRODUCT_SALES_TABLE = {
  name: "product_sales",
  key: ["product_id"],
  productId: "product_id",
  productName: "name",
  category: "category",
  units: "units",
  revenue: "revenue",
} as const;

/** The top `limit` products and categories by revenue. */
export function topView(rows: KeyedRows, limit = 10): TopView {
  const C = PRODUCT_SALES_TABLE;
  const products: (ProductSales & { exact: Decimal })[] = [];
  const categories = new Map<string, { units: number; revenue: Decimal }>();
  for (const row of rows.values()) {
    const revenue = decimalOf(row, C.revenue) ?? Decimal.zero(2);
    const units = numberOf(row, C.units) ?? 0;
    const category = textOf(row[C.category]) ?? "Uncategorised";
    products.push({
      productId: numberOf(row, C.productId) ?? 0,
      name: textOf(row[C.productName]) ?? `Product ${textOf(row[C.productId])}`,
      category,
      units,
      revenue: revenue.toString(),
      exact: revenue,
    });
    const c = categories.get(category) ?? { units: 0, revenue: Decimal.zero(2) };
    categories.set(category, { units: c.units + units, revenue: c.revenue.add(revenue) });
  }
  products.sort((a, b) => b.exact.compare(a.exact) || a.productId - b.productId);
  const cats: CategorySales[] = [...categories].sort((a, b) =>
    b[1].revenue.compare(a[1].revenue) || a[0].localeCompare(b[0])
  )
    .slice(0, 8).map(([category, c]) => ({ category, units: c.units, revenue: c.revenue.toString() }));
  return { products: products.slice(0, limit).map(({ exact: _, ...p }) => p), categories: cats };
}
