/**
 * JSON shapes of the customer pages and `GET /api/customers/:id` (customer history is fetched on demand, not
 * streamed: only a few tabs look at one customer).
 *
 * @module
 */

/** One SCD2 version of a customer. */
export interface CustomerVersion {
  version: number;
  /** Epoch ms; null when the lake row has none. */
  validFrom: number | null;
  /** Epoch ms; null while current. */
  validTo: number | null;
  isCurrent: boolean;
  isDeleted: boolean;
  /** Tracked attributes as display text. */
  fields: Record<string, string | null>;
  /** Attributes that differ from the previous version (empty for the first). */
  changed: string[];
}

/** A customer's order, newest first. */
export interface CustomerOrder {
  orderId: number;
  orderNumber: string;
  total: string;
  status: string;
  createdAt: number | null;
}

/** Lifetime value from `customer_ltv`. */
export interface CustomerLtv {
  orders: number;
  revenue: string;
  firstOrderAt: number | null;
  lastOrderAt: number | null;
}

/** Everything the customer page shows. */
export interface CustomerHistory {
  customerId: number;
  name: string;
  email: string | null;
  /** Newest first. */
  versions: CustomerVersion[];
  ltv: CustomerLtv | null;
  orders: CustomerOrder[];
}

/** One search hit. */
export interface CustomerSummary {
  customerId: number;
  name: string;
  email: string | null;
  versions: number;
  status: "current" | "deleted";
}
