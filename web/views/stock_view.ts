/**
 * Inventory alerts from the `inventory_levels` aggregate (one row per product: total stock, low-stock flag
 * against the reorder threshold, units sold in 7 days, days of cover), with names from the `products` mirror.
 *
 * @module
 */
import type { LowStockItem, StockView } from "../protocol/mod.ts";
import type { KeyedRows } from "./keyed_rows.ts";
import { keyText } from "./keyed_rows.ts";
import { booleanOf, numberOf, textOf } from "./row_values.ts";

/** The lake tables and the columns this view reads. */
export const INVENTORY_LEVELS_TABLE = {
  name: "inventory_levels",
  key: ["product_id"],
  productId: "product_id",
  totalStock: "total_stock",
  sold7d: "units_sold_7d",
  lowStock: "low_stock",
  daysOfCover: "days_of_cover",
} as const;

/** The `products` mirror's columns used for names. */
export const PRODUCT_COLUMNS = { key: ["product_id"], productId: "product_id", name: "name" } as const;

function optional(row: Parameters<typeof numberOf>[0], column: string): number | null {
  return column in row ? numberOf(row, column) : null;
}

/** Low-stock products, fewest days of cover first (out of stock before anything), at most `limit`. */
export function stockView(levels: KeyedRows, products: KeyedRows | null, limit = 10): StockView {
  const C = INVENTORY_LEVELS_TABLE;
  const low: LowStockItem[] = [];
  let outOfStock = 0;
  for (const row of levels.values()) {
    const stock = numberOf(row, C.totalStock) ?? 0;
    if (stock <= 0) outOfStock++;
    if (booleanOf(row, C.lowStock) !== true && stock > 0) continue;
    const productId = numberOf(row, C.productId) ?? 0;
    const product = products?.get(
      keyText({ [PRODUCT_COLUMNS.productId]: row[C.productId] }, PRODUCT_COLUMNS.key),
    );
    low.push({
      productId,
      name: textOf(product?.[PRODUCT_COLUMNS.name]) ?? `Product ${productId}`,
      stock,
      sold7d: optional(row, C.sold7d),
      daysOfCover: optional(row, C.daysOfCover),
    });
  }
  const cover = (i: LowStockItem) => i.stock <= 0 ? -1 : i.daysOfCover ?? Number.MAX_VALUE;
  low.sort((a, b) => cover(a) - cover(b) || a.stock - b.stock || a.productId - b.productId);
  return { items: low.slice(0, limit), lowCount: low.length, outOfStock, products: levels.size };
}
