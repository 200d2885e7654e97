/**
 * Customers for search and the history page: every SCD2 version from `customers_scd2`, each customer's orders
 * from the `orders` mirror (status names from `order_status`) and lifetime value from `customer_ltv`, indexed
 * by customer from row changes.
 *
 * @module
 */
import type { Row } from "../../pipeline/value/mod.ts";
import { valuesEqual } from "../../pipeline/value/mod.ts";
import type { CustomerHistory, CustomerOrder, CustomerSummary, CustomerVersion } from "../protocol/mod.ts";
import { type KeyedRows, keyText, type RowChange } from "./keyed_rows.ts";
import { booleanOf, decimalOf, millisOf, numberOf, textOf } from "./row_values.ts";

/** `customers_scd2` and the columns read from it. */
export const CUSTOMERS_SCD2_TABLE = {
  name: "customers_scd2",
  key: ["customer_id", "version"],
  customerId: "customer_id",
  name_: "name",
  email: "email",
  validFrom: "valid_from",
  validTo: "valid_to",
  isCurrent: "is_current",
  isDeleted: "is_deleted",
  version: "version",
  /** Attributes shown per version, in this order. */
  attributes: ["name", "email", "phone_number"],
} as const;

/** `customer_ltv` and its columns. */
export const CUSTOMER_LTV_TABLE = {
  name: "customer_ltv",
  key: ["customer_id"],
  orders: "orders",
  revenue: "revenue",
  firstOrderAt: "first_order_at",
  lastOrderAt: "last_order_at",
} as const;

/** The `orders` mirror's columns read here. */
export const ORDERS_TABLE = {
  name: "orders",
  key: ["order_id"],
  orderId: "order_id",
  orderNumber: "order_number",
  total: "total_amount",
  statusId: "status_id",
  customerId: "customer_id",
  createdAt: "created_at",
} as const;

/** The `order_status` mirror's columns read here. */
export const ORDER_STATUS_TABLE = {
  name: "order_status",
  key: ["status_id"],
  statusId: "status_id",
  name_: "status_name",
} as const;

const ORDERS_SHOWN = 10;

/** Customers by id, with their SCD2 versions and order keys. */
export class CustomerIndex {
  readonly #versions = new Map<number, Map<number, Row>>();
  readonly #orders = new Map<number, Set<string>>();

  /** Applies net changes of `customers_scd2`. */
  applyVersions(changes: readonly RowChange[]): void {
    const C = CUSTOMERS_SCD2_TABLE;
    for (const c of changes) {
      if (c.before) {
        const id = numberOf(c.before, C.customerId)!;
        const versions = this.#versions.get(id);
        versions?.delete(numberOf(c.before, C.version)!);
        if (versions?.size === 0) this.#versions.delete(id);
      }
      if (c.after) {
        const id = numberOf(c.after, C.customerId)!;
        let versions = this.#versions.get(id);
        if (!versions) this.#versions.set(id, versions = new Map());
        versions.set(numberOf(c.after, C.version)!, c.after);
      }
    }
  }

  /** Applies net changes of `orders`. */
  applyOrders(changes: readonly RowChange[]): void {
    for (const c of changes) {
      if (c.before) {
        const id = numberOf(c.before, ORDERS_TABLE.customerId);
        if (id !== null) this.#orders.get(id)?.delete(c.key);
      }
      if (c.after) {
        const id = numberOf(c.after, ORDERS_TABLE.customerId);
        if (id === null) continue;
        let keys = this.#orders.get(id);
        if (!keys) this.#orders.set(id, keys = new Set());
        keys.add(c.key);
      }
    }
  }

  get customers(): number {
    return this.#versions.size;
  }

  #latest(versions: Map<number, Row>): Row {
    let best = -1;
    for (const v of versions.keys()) best = Math.max(best, v);
    return versions.get(best)!;
  }

  #summary(id: number, versions: Map<number, Row>): CustomerSummary {
    const C = CUSTOMERS_SCD2_TABLE;
    const latest = this.#latest(versions);
    return {
      customerId: id,
      name: textOf(latest[C.name_]) ?? `Customer ${id}`,
      email: textOf(latest[C.email]),
      versions: versions.size,
      status: booleanOf(latest, C.isCurrent) ? "current" : "deleted",
    };
  }

  /** Customers whose id equals, or whose current name or email contains, `query` (case-insensitive). */
  search(query: string, limit: number): CustomerSummary[] {
    const q = query.trim().toLowerCase();
    if (q === "") return [];
    const out: CustomerSummary[] = [];
    if (/^\d+$/.test(q)) {
      const versions = this.#versions.get(Number(q));
      if (versions) out.push(this.#summary(Number(q), versions));
    }
    for (const [id, versions] of this.#versions) {
      if (out.length >= limit) break;
      const latest = this.#latest(versions);
      const name = (textOf(latest[CUSTOMERS_SCD2_TABLE.name_]) ?? "").toLowerCase();
      const email = (textOf(latest[CUSTOMERS_SCD2_TABLE.email]) ?? "").toLowerCase();
      if ((name.includes(q) || email.includes(q)) && String(id) !== q) out.push(this.#summary(id, versions));
    }
    return out.sort((a, b) =>
      (a.status === b.status ? 0 : a.status === "current" ? -1 : 1) || a.customerId - b.customerId
    );
  }

  /** The customer's page, or null when `customers_scd2` has no such customer. */
  history(
    customerId: number,
    tables: { orders: KeyedRows | null; ltv: KeyedRows | null; statuses: KeyedRows | null },
  ): CustomerHistory | null {
    const versions = this.#versions.get(customerId);
    if (!versions) return null;
    const C = CUSTOMERS_SCD2_TABLE;
    const rows = [...versions.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r);
    const timeline: CustomerVersion[] = rows.map((row, i) => {
      const prev = i > 0 ? rows[i - 1] : null;
      const fields: Record<string, string | null> = {};
      for (const a of C.attributes) if (a in row) fields[a] = textOf(row[a]);
      return {
        version: numberOf(row, C.version)!,
        validFrom: millisOf(row, C.validFrom),
        validTo: millisOf(row, C.validTo),
        isCurrent: booleanOf(row, C.isCurrent) === true,
        isDeleted: booleanOf(row, C.isDeleted) === true,
        fields,
        changed: prev ? C.attributes.filter((a) => a in row && !valuesEqual(prev[a] ?? null, row[a])) : [],
      };
    }).reverse();
    const latest = rows[rows.length - 1];
    const ltvRow = tables.ltv?.get(keyText({ customer_id: customerId }, CUSTOMER_LTV_TABLE.key));
    return {
      customerId,
      name: textOf(latest[C.name_]) ?? `Customer ${customerId}`,
      email: textOf(latest[C.email]),
      versions: timeline,
      ltv: ltvRow
        ? {
          orders: numberOf(ltvRow, CUSTOMER_LTV_TABLE.orders) ?? 0,
          revenue: (decimalOf(ltvRow, CUSTOMER_LTV_TABLE.revenue))?.toString() ?? "0.00",
          firstOrderAt: millisOf(ltvRow, CUSTOMER_LTV_TABLE.firstOrderAt),
          lastOrderAt: millisOf(ltvRow, CUSTOMER_LTV_TABLE.lastOrderAt),
        }
        : null,
      orders: this.#ordersOf(customerId, tables.orders, tables.statuses),
    };
  }

  #ordersOf(customerId: number, orders: KeyedRows | null, statuses: KeyedRows | null): CustomerOrder[] {
    const O = ORDERS_TABLE;
    const out: CustomerOrder[] = [];
    for (const key of this.#orders.get(customerId) ?? []) {
      const row = orders?.get(key);
      if (!row) continue;
      const statusRow = statuses?.get(keyText({ status_id: row[O.statusId] }, ORDER_STATUS_TABLE.key));
      out.push({
        orderId: numberOf(row, O.orderId) ?? 0,
        orderNumber: textOf(row[O.orderNumber]) ?? "",
        total: decimalOf(row, O.total)?.toString() ?? "0.00",
        status: textOf(statusRow?.[ORDER_STATUS_TABLE.name_]) ?? `status ${textOf(row[O.statusId])}`,
        createdAt: millisOf(row, O.createdAt),
      });
    }
    return out.sort((a, b) => (b.createdAt ?? 0) - (a.createdAt ?? 0) || b.orderId - a.orderId).slice(
      0,
      ORDERS_SHOWN,
    );
  }
}
