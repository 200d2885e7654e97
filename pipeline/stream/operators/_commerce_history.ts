/**
 * Random but coherent e-commerce histories for the aggregate tests and benchmarks: a seeded catalog, then
 * orders placed, progressed, cancelled, returned and deleted, items changed and moved, products and categories
 * renamed, stock moved, and re-snapshots, on a source clock that advances by seconds to days.
 *
 * @module
 */
import { Decimal, type Row, Timestamp } from "../../value/mod.ts";
import type { Prng } from "./_prng.ts";
import type { SourceSimulator } from "./_source_simulator.ts";

/** Sizes of a generated history. */
export interface CommerceSizes {
  products: number;
  customers: number;
  /** Orders (with items) that exist before capture begins; only a snapshot reads them. */
  seededOrders: number;
  /** Random actions after the snapshot. */
  steps: number;
}

const REGIONS = ["Asia", "Europe", "North America", "1"];

/** Plays a history into `sim`: catalog and seeded orders as snapshot reads, then `steps` random actions. */
export function commerceHistory(sim: SourceSimulator, rng: Prng, sizes: CommerceSizes): void {
  let nextOrder = 1;
  let nextItem = 1;
  let nextInventory = 1;
  const ts = (ms = 0) => new Timestamp(sim.now.epochNanos - BigInt(ms) * 1_000_000n, 6, true);
  const audit = () => ({ created_at: ts(), updated_at: ts() });
  // Some items are free (price 0): a quantity change then changes units but not revenue.
  const price = () => new Decimal(BigInt(rng.chance(0.1) ? 0 : rng.between(1, 50_000)), 2);
  const status = (id: number, name: string): Row => ({
    status_id: id,
    status_name: name,
    status_description: null,
    ...audit(),
  });
  const category = (id: number): Row => ({
    category_id: id,
    category_name: `Category ${id}`,
    category_description: null,
    ...audit(),
  });
  const product = (id: number): Row => ({
    product_id: id,
    name: `Product ${id}`,
    description: null,
    price: price(),
    category_id: rng.chance(0.1) ? null : rng.between(1, 4),
    seller_id: null,
    ...audit(),
  });
  const inventory = (): Row => ({
    inventory_id: nextInventory++,
    inventory_name: rng.pick(REGIONS),
    product_id: rng.between(1, sizes.products + 2),
    quantity_in_stock: rng.between(-3, 60),
    reorder_threshold: rng.between(0, 20),
    unit_cost: price(),
    ...audit(),
  });
  const order = (id: number): Row => ({
    order_id: id,
    order_number: `ORD-${id}`,
    total_amount: price(),
    status_id: rng.chance(0.9) ? 1 : rng.between(1, 6),
    customer_id: rng.chance(0.05) ? null : rng.between(1, sizes.customers),
    // The source's own clock can lag the commit by up to a few seconds.
    created_at: ts(rng.int(5000)),
    updated_at: ts(),
  });
  const item = (orderId: number): Row => ({
    order_item_id: nextItem++,
    order_id: orderId,
    product_id: rng.between(1, sizes.products + 2),
    quantity: rng.between(0, 4),
    current_price: price(),
    ...audit(),
  });
  const place = (load: (table: string, row: Row) => void) => {
    const o = order(nextOrder++);
    load("orders", o);
    for (let n = rng.between(0, 4); n > 0; n--) load("order_items", item(o.order_id as number));
  };
  const seed = (table: string, row: Row) => sim.seed(table, row);
  const insert = (table: string, row: Row) => sim.insert(table, row);

  ["Ordered", "Shipped", "Delivered", "Returned", "Cancelled"].forEach((n, i) =>
    seed("order_status", status(i + 1, n))
  );
  for (let c = 1; c <= 3; c++) seed("product_categories", category(c));
  for (let p = 1; p <= sizes.products; p++) seed("products", product(p));
  for (let i = 0; i < sizes.products * 1.5; i++) seed("inventory", inventory());
  for (let i = 0; i < sizes.seededOrders; i++) {
    sim.tick(rng.int(200_000));
    place(seed);
  }
  for (const t of ["order_status", "product_categories", "products", "inventory", "orders", "order_items"]) {
    sim.snapshot(t);
  }

  const live = (table: string) => sim.rows(table);
  const pickLive = (table: string) => {
    const rows = live(table);
    return rows.length === 0 ? undefined : rng.pick(rows);
  };
  for (let step = 0; step < sizes.steps; step++) {
    const r = rng.next();
    if (rng.chance(0.5)) sim.tick(rng.chance(0.05) ? rng.int(3 * 86_400_000) : rng.int(40_000));
    if (r < 0.35) place(insert);
    else if (r < 0.5) {
      const o = pickLive("orders");
      if (o) sim.update("orders", o.order_id as number, { status_id: rng.between(1, 5), updated_at: ts() });
    } else if (r < 0.55) {
      const o = pickLive("orders");
      if (o) sim.update("orders", o.order_id as number, { customer_id: rng.between(1, sizes.customers) });
    } else if (r < 0.6) {
      const o = pickLive("orders");
      if (o) sim.delete("orders", o.order_id as number);
    } else if (r < 0.62) {
      // An order id used again after its delete.
      const id = rng.between(1, nextOrder - 1);
      if (!sim.get("orders", id)) insert("orders", order(id));
    } else if (r < 0.72) {
      const it = pickLive("order_items");
      if (it) {
        const id = it.order_item_id as number;
        const q = rng.next();
        if (q < 0.4) sim.update("order_items", id, { quantity: rng.between(0, 5) });
        else if (q < 0.6) sim.update("order_items", id, { current_price: price() });
        else if (q < 0.75) sim.update("order_items", id, { order_id: rng.between(1, nextOrder) });
        else if (q < 0.85) sim.update("order_items", id, { product_id: rng.between(1, sizes.products + 2) });
        else sim.delete("order_items", id);
      }
    } else if (r < 0.75) {
      const p = rng.between(1, sizes.products + 2);
      if (!sim.get("products", p)) insert("products", product(p));
      else if (rng.chance(0.2)) sim.delete("products", p);
      else sim.update("products", p, { name: `Product ${p} v${step}`, category_id: rng.between(1, 4) });
    } else if (r < 0.77) {
      const c = rng.between(1, 4);
      if (!sim.get("product_categories", c)) insert("product_categories", category(c));
      else if (rng.chance(0.2)) sim.delete("product_categories", c);
      else sim.update("product_categories", c, { category_name: `Category ${c} v${step}` });
    } else if (r < 0.78) {
      const s = rng.between(1, 6);
      if (!sim.get("order_status", s)) insert("order_status", status(s, `Status ${s}`));
      else sim.update("order_status", s, { status_name: `Status ${s} v${step}` });
    } else if (r < 0.9) {
      const inv = pickLive("inventory");
      const q = rng.next();
      if (!inv || q < 0.1) insert("inventory", inventory());
      else if (q < 0.7) {
        sim.update("inventory", inv.inventory_id as number, { quantity_in_stock: rng.between(-2, 60) });
      } else if (q < 0.8) {
        sim.update("inventory", inv.inventory_id as number, { reorder_threshold: rng.between(0, 30) });
      } else if (q < 0.9) {
        sim.update("inventory", inv.inventory_id as number, {
          product_id: rng.between(1, sizes.products + 2),
        });
      } else sim.delete("inventory", inv.inventory_id as number);
    } else if (r < 0.91) {
      sim.snapshot(rng.pick(["orders", "order_items", "products", "inventory"]));
    }
  }
}
