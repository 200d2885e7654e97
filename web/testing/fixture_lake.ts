/**
 * A small e-commerce lake written with the real Delta write API, in the stream processor's table schemas, for
 * the dashboard's tests, browser tests, benchmarks and local development (`deno run -A
 * web/testing/fixture_lake.ts DIR` writes one). Deterministic for a given `now`.
 *
 * @module
 */
import { ECOMMERCE_TABLES } from "../../pipeline/catalog/mod.ts";
import {
  QUARANTINE_SCHEMA,
  QUARANTINE_TABLE,
  quarantineRecord,
  quarantineRow,
} from "../../pipeline/cdc/quarantine.ts";
import { createTable, openStore, type StructType, upsertRows, writeTable } from "../../pipeline/delta/mod.ts";
import { mirrorTable } from "../../pipeline/stream/operators/mirror_operator.ts";
import { scd2Table } from "../../pipeline/stream/operators/scd2_operator.ts";
import { SALES_PER_MINUTE } from "../../pipeline/stream/operators/sales_per_minute.ts";
import { PRODUCT_SALES } from "../../pipeline/stream/operators/product_sales.ts";
import { INVENTORY_LEVELS } from "../../pipeline/stream/operators/inventory_levels.ts";
import { ORDER_STATUS_COUNTS } from "../../pipeline/stream/operators/order_status_counts.ts";
import { CUSTOMER_LTV } from "../../pipeline/stream/operators/customer_ltv.ts";
import { PIPELINE_METRICS } from "../../pipeline/stream/pipeline_tables.ts";
import { Decimal, type Row, Timestamp } from "../../pipeline/value/mod.ts";

/** One table of the fixture. */
export interface FixtureTable {
  name: string;
  key: readonly string[];
  schema: StructType;
}

const def = (name: string) => ECOMMERCE_TABLES.find((t) => t.name === name)!;

/** `_pipeline_metrics` exactly as the stream processor writes it (one row per batch, keyed by `batch_id`). */
export const PIPELINE_METRICS_FIXTURE: FixtureTable = PIPELINE_METRICS;

/** The processor's aggregate tables (their exported schemas), its metrics and the quarantine table. */
export const AGGREGATE_TABLES: readonly FixtureTable[] = [
  SALES_PER_MINUTE,
  PRODUCT_SALES,
  INVENTORY_LEVELS,
  ORDER_STATUS_COUNTS,
  CUSTOMER_LTV,
  PIPELINE_METRICS_FIXTURE,
  { name: QUARANTINE_TABLE, key: [], schema: QUARANTINE_SCHEMA },
];

/** Every table of the fixture lake. */
export const FIXTURE_TABLES: readonly FixtureTable[] = [
  ...["product_categories", "products", "order_status", "orders", "order_items"].map((n) =>
    mirrorTable(def(n))
  ),
  scd2Table(),
  ...AGGREGATE_TABLES,
];

const CATEGORIES = ["Electronics", "Home & Kitchen", "Books", "Sports", "Toys"];
const PRODUCTS = [
  "Wireless Headphones",
  "USB-C Charger",
  "Chef's Knife",
  "French Press",
  "Sci-Fi Novel",
  "Cookbook",
  "Yoga Mat",
  "Running Shoes",
  "Puzzle 1000pc",
  "Building Blocks",
  "Smart Watch",
  "Desk Lamp",
];
const STATUSES = ["Pending", "Processing", "Shipped", "Delivered", "Cancelled", "Returned"];
const CUSTOMERS = [
  "Ada Lovelace",
  "Alan Turing",
  "Grace Hopper",
  "Edsger Dijkstra",
  "Barbara Liskov",
  "Donald Knuth",
];

const ts = (ms: number) => Timestamp.fromMillis(ms);
const money = (cents: number) => new Decimal(BigInt(cents), 2);
let position = 0;
const source = (ms: number): Row => ({
  source_position: `fixture:${String(++position).padStart(8, "0")}`,
  source_commit_ts: ts(ms),
});
const audit = (ms: number): Row => ({ created_at: ts(ms), updated_at: ts(ms) });

/** An order of the fixture. */
export interface FixtureOrder {
  orderId: number;
  customerId: number;
  productId: number;
  quantity: number;
  /** Cents. */
  amount: number;
  statusId: number;
  at: number;
}

/** The fixture's orders: 36 in the last 90 minutes, 12 yesterday at the same time of day. */
export function fixtureOrders(now: number): FixtureOrder[] {
  const out: FixtureOrder[] = [];
  for (let i = 0; i < 48; i++) {
    const yesterday = i >= 36;
    const at = now - (yesterday ? 86_400_000 : 0) - ((i * 150_000) % 5_400_000) - 30_000;
    const productId = (i * 7) % PRODUCTS.length + 1;
    const quantity = (i % 3) + 1;
    out.push({
      orderId: 1000 + i,
      customerId: (i % CUSTOMERS.length) + 1,
      productId,
      quantity,
      amount: quantity * (1999 + productId * 500),
      statusId: [1, 2, 3, 4, 4, 3, 2, 4, 5, 4, 6, 4][i % 12],
      at,
    });
  }
  return out;
}

function orderRow(o: FixtureOrder): Row {
  return {
    order_id: o.orderId,
    order_number: `ORD-${o.orderId}`,
    total_amount: money(o.amount),
    status_id: o.statusId,
    customer_id: o.customerId,
    ...audit(o.at),
    ...source(o.at),
  };
}

/** The sales_per_minute rows of some orders. */
export function salesRows(orders: readonly FixtureOrder[]): Row[] {
  const minutes = new Map<number, { orders: number; units: number; cents: number }>();
  for (const o of orders) {
    const t = Math.floor(o.at / 60_000) * 60_000;
    const m = minutes.get(t) ?? { orders: 0, units: 0, cents: 0 };
    minutes.set(t, { orders: m.orders + 1, units: m.units + o.quantity, cents: m.cents + o.amount });
  }
  return [...minutes].map(([t, m]) => ({
    window_start: ts(t),
    window_end: ts(t + 60_000),
    orders: BigInt(m.orders),
    units: BigInt(m.units),
    revenue: money(m.cents),
    avg_order_value: money(Math.round(m.cents / m.orders)),
  }));
}

async function write(root: string, table: FixtureTable, rows: Row[], now: number): Promise<void> {
  const store = openStore(`${root}/${table.name}`);
  await createTable(store, { schema: table.schema }, { now: () => now });
  if (rows.length > 0) await writeTable(store, rows, { now: () => now });
}

/**
 * 30 batches of job `lakestream`, 2 s apart; every seventh (ids 7, 14, 21, 28) held only quarantined messages,
 * so its latency, lag and source times are null as the processor writes them.
 */
function pipelineMetricsRows(now: number): Row[] {
  return Array.from({ length: 30 }, (_, i) => {
    const committed = now - (30 - i) * 2000;
    const quarantineOnly = (i + 1) % 7 === 0;
    const events = quarantineOnly ? 0 : 40 + ((i * 37) % 60);
    const latency = 120 + ((i * 53) % 200);
    const lag = 50 + (i % 5) * 20;
    return {
      batch_id: BigInt(i + 1),
      job: "lakestream",
      instance: "fixture-instance",
      committed_at: ts(committed),
      events: BigInt(events),
      rows_out: BigInt(events * 2),
      quarantined: quarantineOnly ? 1n : 0n,
      duration_ms: BigInt(20 + (i % 7) * 5),
      latency_ms: quarantineOnly ? null : BigInt(latency),
      lag_ms: quarantineOnly ? null : BigInt(lag),
      min_source_ts: quarantineOnly ? null : ts(committed - latency),
      max_source_ts: quarantineOnly ? null : ts(committed - lag),
      tables: JSON.stringify(
        quarantineOnly ? { _quarantine: { upserts: 1, deletes: 0 } } : {
          orders: { in: events, upserts: events, deletes: 0 },
          sales_per_minute: { upserts: 1, deletes: 0 },
        },
      ),
      replayed: false,
    };
  });
}

/** Writes the fixture lake under `root` (one folder per table), with data around `now`. */
export async function createFixtureLake(root: string, now: number): Promise<FixtureOrder[]> {
  const orders = fixtureOrders(now);
  const t0 = now - 30 * 86_400_000;
  const rows: Record<string, Row[]> = {
    product_categories: CATEGORIES.map((name, i) => ({
      category_id: i + 1,
      category_name: name,
      category_description: null,
      ...audit(t0),
      ...source(t0),
    })),
    products: PRODUCTS.map((name, i) => ({
      product_id: i + 1,
      name,
      description: `${name}, fixture product`,
      price: money(1999 + (i + 1) * 500),
      category_id: (i % CATEGORIES.length) + 1,
      seller_id: null,
      ...audit(t0),
      ...source(t0),
    })),
    order_status: STATUSES.map((name, i) => ({
      status_id: i + 1,
      status_name: name,
      status_description: null,
      ...audit(t0),
      ...source(t0),
    })),
    orders: orders.map(orderRow),
    order_items: orders.map((o) => ({
      order_item_id: o.orderId * 10,
      order_id: o.orderId,
      product_id: o.productId,
      quantity: o.quantity,
      current_price: money(o.amount / o.quantity),
      ...audit(o.at),
      ...source(o.at),
    })),
    customers_scd2: CUSTOMERS.flatMap((name, i) => {
      const id = i + 1;
      const email = name.toLowerCase().replace(/[^a-z]+/g, ".");
      const versions = id === 1 ? 3 : id === 2 ? 2 : 1;
      return Array.from({ length: versions }, (_, v) => {
        const from = t0 + v * 86_400_000 * 7 + id * 60_000;
        const last = v === versions - 1;
        const deleted = id === 6 && last;
        return {
          customer_id: id,
          name,
          email: `${email}${v === 0 ? "" : v}@example.com`,
          phone_number: v === 2 ? "+44 20 7946 0000" : `+1 555 010${id}`,
          ...audit(t0),
          valid_from: ts(from),
          valid_to: last && !deleted ? null : ts(from + 86_400_000 * 7),
          is_current: last && !deleted,
          is_deleted: deleted,
          version: v + 1,
          source_position: `fixture:c${id}v${v + 1}`,
        };
      });
    }),
    sales_per_minute: salesRows(orders),
    product_sales: PRODUCTS.map((name, i) => {
      const mine = orders.filter((o) => o.productId === i + 1);
      return {
        product_id: i + 1,
        name,
        category: CATEGORIES[i % CATEGORIES.length],
        units: BigInt(mine.reduce((n, o) => n + o.quantity, 0)),
        revenue: money(mine.reduce((n, o) => n + o.amount, 0)),
      };
    }),
    inventory_levels: PRODUCTS.map((_, i) => {
      const stock = i % 4 === 0 ? i : 40 + i * 9;
      const sold = 3 + i * 2;
      return {
        product_id: i + 1,
        total_stock: BigInt(stock),
        stock_by_region: JSON.stringify({ north: Math.ceil(stock / 2), south: Math.floor(stock / 2) }),
        low_stock: stock < 20,
        units_sold_7d: BigInt(sold),
        days_of_cover: Decimal.parse(((stock / sold) * 7).toFixed(1)),
      };
    }),
    order_status_counts: STATUSES.map((status, i) => ({
      status_id: i + 1,
      status,
      orders: BigInt(orders.filter((o) => o.statusId === i + 1).length),
    })),
    customer_ltv: CUSTOMERS.map((_, i) => {
      const mine = orders.filter((o) => o.customerId === i + 1);
      return {
        customer_id: i + 1,
        orders: BigInt(mine.length),
        revenue: money(mine.reduce((n, o) => n + o.amount, 0)),
        first_order_at: ts(Math.min(...mine.map((o) => o.at))),
        last_order_at: ts(Math.max(...mine.map((o) => o.at))),
      };
    }),
    _pipeline_metrics: pipelineMetricsRows(now),
    _quarantine: [
      quarantineRow(quarantineRecord(
        { topic: "lakestream.public.orders", partition: 0, offset: 4211 },
        { key: '{"id":1}', value: "{not json" },
        new SyntaxError("Cannot decode message: Unexpected token n in JSON at position 1"),
        ts(now - 3_600_000),
      )),
    ],
  };
  for (const table of FIXTURE_TABLES) await write(root, table, rows[table.name] ?? [], now - 60_000);
  return orders;
}

/**
 * Commits a new order the way the processor would: the `orders` mirror row and the `sales_per_minute` minute
 * it falls in (upserts, one commit per table). Returns the order.
 */
export async function commitOrder(root: string, order: FixtureOrder, minute: FixtureOrder[]): Promise<void> {
  const now = () => order.at;
  await upsertRows(openStore(`${root}/orders`), [orderRow(order)], ["order_id"], { now });
  await upsertRows(openStore(`${root}/sales_per_minute`), salesRows([...minute, order]), ["window_start"], {
    now,
  });
}

if (import.meta.main) {
  const dir = Deno.args[0];
  if (!dir) {
    console.error("Usage: deno run -A web/testing/fixture_lake.ts DIR");
    Deno.exit(2);
  }
  await createFixtureLake(dir, Date.now());
  console.log(`Wrote a fixture lake to ${dir}`);
}
