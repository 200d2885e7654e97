/**
 * Change events for the operator benchmark, shaped like the faker's load (original-system.md §3: new orders
 * with items and stock decrements, order progressions, new customers, reviews) plus what the original never
 * did and the operators must handle: customer updates (tracked and updated_at-only), cancellations and
 * returns, item corrections. Seeded, so every run replays the same stream.
 *
 * The generator keeps what it must remember in typed arrays and rebuilds rows from ids, so its own memory
 * and garbage stay small next to the operators' it is measuring.
 *
 * @module
 */
import type { ChangeEvent, ChangeOp } from "../../pipeline/cdc/change_event.ts";
import { Decimal, type Row, Timestamp } from "../../pipeline/value/mod.ts";
import { Prng } from "../../pipeline/stream/operators/_prng.ts";

const STATUSES = ["Ordered", "Shipped", "Delivered", "Returned", "Cancelled"];
const REGIONS = ["Asia", "Europe", "North America", "South America", "Australia", "Africa"];
const FIRST = ["Ann", "Bob", "Chloé", "Dmitri", "Eve", "Farid", "Grace", "Hiro", "Ines", "Jon"];
const LAST = ["Nguyen", "Smith", "Garcia", "Kowalski", "Okafor", "Tanaka", "Rossi", "Berg"];

/** A growable Float64Array (ids start at 1; index 0 unused). */
class Column {
  #a = new Float64Array(1024);
  get(i: number): number {
    return this.#a[i];
  }
  set(i: number, v: number): void {
    if (i >= this.#a.length) {
      const next = new Float64Array(Math.max(this.#a.length * 2, i + 1));
      next.set(this.#a);
      this.#a = next;
    }
    this.#a[i] = v;
  }
}

/** A seeded stream of change events over the e-commerce catalog. */
export class OperatorWorkload {
  readonly #rng: Prng;
  readonly #startMs: number;
  #seq = 0;
  #nowMs: number;
  #customers = 0;
  #orders = 0;
  #items = 0;
  #reviews = 0;
  readonly #products: number;
  /** Inventory rows (a few per product); inventory_id = index + 1. */
  readonly #stock: Row[] = [];
  /** Orders still Ordered or Shipped. */
  readonly #open: number[] = [];
  readonly #orderStatus = new Column();
  readonly #orderCustomer = new Column();
  readonly #orderCreatedMs = new Column();
  readonly #orderFirstItem = new Column();
  readonly #orderItemCount = new Column();
  readonly #itemProduct = new Column();
  readonly #itemCents = new Column();
  readonly #itemQuantity = new Column();
  /** Customer → number of its tracked changes (its email is derived from it). */
  readonly #customerVersion = new Column();

  constructor(seed: number, products = 1000, startMs = Date.UTC(2025, 0, 1)) {
    this.#rng = new Prng(seed);
    this.#products = products;
    this.#startMs = startMs;
    this.#nowMs = startMs;
  }

  /** Customers created so far. */
  get customerCount(): number {
    return this.#customers;
  }

  #event(table: string, op: ChangeOp, key: Row, after: Row | null): ChangeEvent {
    return {
      table,
      op,
      key,
      before: null,
      after,
      position: String(++this.#seq).padStart(16, "0"),
      commitTs: Timestamp.fromMillis(this.#nowMs),
      txId: null,
      snapshot: op === "r",
    };
  }

  #now(): Timestamp {
    return Timestamp.fromMillis(this.#nowMs);
  }

  #cents(): number {
    return this.#rng.between(500, 50_000);
  }

  /** Snapshot reads of statuses, categories, products and their stock in the regions. */
  catalog(): ChangeEvent[] {
    const out: ChangeEvent[] = [];
    const t = this.#now();
    STATUSES.forEach((name, i) => {
      const row = {
        status_id: i + 1,
        status_name: name,
        status_description: null,
        created_at: t,
        updated_at: t,
      };
      out.push(this.#event("order_status", "r", { status_id: i + 1 }, row));
    });
    for (let c = 1; c <= 10; c++) {
      const row = {
        category_id: c,
        category_name: `Category ${c}`,
        category_description: null,
        created_at: t,
        updated_at: t,
      };
      out.push(this.#event("product_categories", "r", { category_id: c }, row));
    }
    for (let p = 1; p <= this.#products; p++) {
      const row = {
        product_id: p,
        name: `Product ${p}`,
        description: "A product",
        price: new Decimal(BigInt(this.#cents()), 2),
        category_id: 1 + (p % 10),
        seller_id: 1 + (p % 40),
        created_at: t,
        updated_at: t,
      };
      out.push(this.#event("products", "r", { product_id: p }, row));
      REGIONS.forEach((region, i) => {
        if (!this.#rng.chance(1 - i * 0.15)) return;
        const id = this.#stock.length + 1;
        const inv = {
          inventory_id: id,
          inventory_name: region,
          product_id: p,
          quantity_in_stock: this.#rng.between(0, 1000),
          reorder_threshold: this.#rng.between(10, 50),
          unit_cost: new Decimal(BigInt(this.#cents()), 2),
          created_at: t,
          updated_at: t,
        };
        this.#stock.push(inv);
        out.push(this.#event("inventory", "r", { inventory_id: id }, inv));
      });
    }
    return out;
  }

  #customerRow(id: number): Row {
    const version = this.#customerVersion.get(id);
    // Customer i was created 10 ms × i after the start: its created_at needs no memory.
    const created = Timestamp.fromMillis(this.#startMs + id * 10);
    return {
      customer_id: id,
      name: `${FIRST[id % FIRST.length]} ${LAST[(id >> 3) % LAST.length]}`,
      email: version === 0 ? `c${id}@example.org` : `c${id}.${version}@example.org`,
      phone_number: `+1-555-${String(id).padStart(7, "0")}`,
      created_at: created,
      updated_at: this.#now(),
    };
  }

  /** Snapshot reads of `count` new customers (an initial load). */
  customerSnapshot(count: number): ChangeEvent[] {
    return Array.from({ length: count }, () => {
      const id = ++this.#customers;
      return this.#event("customers", "r", { customer_id: id }, this.#customerRow(id));
    });
  }

  /** About `count` events of the action mix, the source clock advancing 10 ms per action. */
  mix(count: number): ChangeEvent[] {
    const out: ChangeEvent[] = [];
    while (out.length < count) {
      this.#nowMs += 10;
      const r = this.#rng.int(100);
      if (r < 40) this.#newOrder(out);
      else if (r < 70) this.#progress(out);
      else if (r < 75) {
        const id = ++this.#customers;
        out.push(this.#event("customers", "c", { customer_id: id }, this.#customerRow(id)));
      } else if (r < 83) this.#review(out);
      else if (r < 93) this.#updateCustomer(out);
      else if (r < 97) this.#fixItem(out);
      else this.#cancel(out);
    }
    return out;
  }

  #orderRow(id: number): Row {
    const customer = this.#orderCustomer.get(id);
    return {
      order_id: id,
      order_number: `ORD-${id}`,
      total_amount: new Decimal(BigInt(id % 100_000), 2),
      status_id: this.#orderStatus.get(id),
      customer_id: customer === 0 ? null : customer,
      created_at: Timestamp.fromMillis(this.#orderCreatedMs.get(id)),
      updated_at: this.#now(),
    };
  }

  #itemRow(id: number, order: number): Row {
    const created = Timestamp.fromMillis(this.#orderCreatedMs.get(order));
    return {
      order_item_id: id,
      order_id: order,
      product_id: this.#itemProduct.get(id),
      quantity: this.#itemQuantity.get(id),
      current_price: new Decimal(BigInt(this.#itemCents.get(id)), 2),
      created_at: created,
      updated_at: this.#now(),
    };
  }

  #newOrder(out: ChangeEvent[]): void {
    if (this.#customers === 0) return;
    const id = ++this.#orders;
    this.#orderStatus.set(id, 1);
    this.#orderCustomer.set(id, this.#rng.between(1, this.#customers));
    this.#orderCreatedMs.set(id, this.#nowMs);
    this.#orderFirstItem.set(id, this.#items + 1);
    const count = this.#rng.between(1, 4);
    this.#orderItemCount.set(id, count);
    out.push(this.#event("orders", "c", { order_id: id }, this.#orderRow(id)));
    for (let n = 0; n < count; n++) {
      const item = ++this.#items;
      const inv = this.#rng.int(this.#stock.length);
      const stock = this.#stock[inv];
      const quantity = this.#rng.between(1, 3);
      this.#itemProduct.set(item, stock.product_id as number);
      this.#itemQuantity.set(item, quantity);
      this.#itemCents.set(item, this.#cents());
      out.push(this.#event("order_items", "c", { order_item_id: item }, this.#itemRow(item, id)));
      const after = {
        ...stock,
        quantity_in_stock: Math.max(0, (stock.quantity_in_stock as number) - quantity),
        updated_at: this.#now(),
      };
      this.#stock[inv] = after;
      out.push(this.#event("inventory", "u", { inventory_id: inv + 1 }, after));
    }
    this.#open.push(id);
  }

  #setStatus(out: ChangeEvent[], id: number, status: number): void {
    this.#orderStatus.set(id, status);
    out.push(this.#event("orders", "u", { order_id: id }, this.#orderRow(id)));
  }

  #progress(out: ChangeEvent[]): void {
    if (this.#open.length === 0) return;
    const i = this.#rng.int(this.#open.length);
    const id = this.#open[i];
    const status = this.#orderStatus.get(id) + 1;
    this.#setStatus(out, id, status);
    if (status >= 3) {
      this.#open[i] = this.#open[this.#open.length - 1];
      this.#open.pop();
    }
  }

  #cancel(out: ChangeEvent[]): void {
    if (this.#orders === 0) return;
    this.#setStatus(out, this.#rng.between(1, this.#orders), this.#rng.chance(0.5) ? 4 : 5);
  }

  #review(out: ChangeEvent[]): void {
    if (this.#customers === 0) return;
    const id = ++this.#reviews;
    out.push(this.#event("reviews", "c", { review_id: id }, {
      review_id: id,
      product_id: this.#rng.between(1, this.#products),
      customer_id: this.#rng.between(1, this.#customers),
      rating: this.#rng.between(3, 5),
      comment: "Fine",
      created_at: this.#now(),
      updated_at: this.#now(),
    }));
  }

  #updateCustomer(out: ChangeEvent[]): void {
    if (this.#customers === 0) return;
    const id = this.#rng.between(1, this.#customers);
    // Half change a tracked column (a new SCD2 version), half only touch updated_at (in place).
    if (this.#rng.chance(0.5)) this.#customerVersion.set(id, this.#customerVersion.get(id) + 1);
    out.push(this.#event("customers", "u", { customer_id: id }, this.#customerRow(id)));
  }

  #fixItem(out: ChangeEvent[]): void {
    if (this.#orders === 0) return;
    const order = this.#rng.between(1, this.#orders);
    const item = this.#orderFirstItem.get(order) + this.#rng.int(this.#orderItemCount.get(order));
    this.#itemQuantity.set(item, this.#rng.between(1, 5));
    out.push(this.#event("order_items", "u", { order_item_id: item }, this.#itemRow(item, order)));
  }
}
