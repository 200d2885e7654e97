/**
 * The source rows the sales aggregates are derived from, kept compactly (only the columns they use), with the
 * same last-change-by-position rules as the mirrors, and each order's derived facts.
 *
 * @module
 */
import type { ChangeEvent } from "../../cdc/change_event.ts";
import type { Decimal, Timestamp } from "../../value/mod.ts";
import type { ByteReader, ByteWriter } from "./byte_buffer.ts";
import { DAY_NS, lineCents, MINUTE_NS, periodOf, type SalesRules } from "./sales_rules.ts";

/** Tables the sales aggregates read. */
export const SALES_INPUTS = [
  "orders",
  "order_items",
  "products",
  "product_categories",
  "order_status",
  "inventory",
];

// Records keep only the columns the aggregates use; `fields()` and `of()` are their snapshot form (int64 as text).
const big = (x: unknown) => (x === null ? null : BigInt(x as string));
const text = (x: bigint | null) => (x === null ? null : String(x));

class OrderRec {
  constructor(
    public pos: string,
    public alive: boolean,
    public statusId: number,
    public customerId: number | null,
    public createdNs: bigint,
    /** Position and commit time (ns) of the highest-position insert seen. */
    public insertPos: string | null,
    public insertNs: bigint | null,
    /** Position of the highest-position delete seen. */
    public deletePos: string | null,
  ) {}
  fields(): unknown[] {
    const { pos, alive, statusId, customerId, createdNs, insertPos, insertNs, deletePos } = this;
    return [pos, alive, statusId, customerId, text(createdNs), insertPos, text(insertNs), deletePos];
  }
  static of(a: unknown[]): OrderRec {
    const [pos, alive, status, customer, created, insertPos, insertNs, deletePos] = a as [
      string,
      boolean,
      number,
      number | null,
      string,
      string | null,
      string | null,
      string | null,
    ];
    return new OrderRec(pos, alive, status, customer, BigInt(created), insertPos, big(insertNs), deletePos);
  }
}

class ItemRec {
  constructor(
    public pos: string,
    public alive: boolean,
    public orderId: number,
    public productId: number,
    public quantity: number,
    public cents: bigint,
  ) {}
  fields(): unknown[] {
    return [this.pos, this.alive, this.orderId, this.productId, this.quantity, text(this.cents)];
  }
  static of(a: unknown[]): ItemRec {
    const [pos, alive, order, product, quantity, cents] = a as [
      string,
      boolean,
      number,
      number,
      number,
      string,
    ];
    return new ItemRec(pos, alive, order, product, quantity, BigInt(cents));
  }
}

class ProductRec {
  constructor(
    public pos: string,
    public alive: boolean,
    public name: string,
    public categoryId: number | null,
  ) {}
  fields(): unknown[] {
    return [this.pos, this.alive, this.name, this.categoryId];
  }
  static of(a: unknown[]): ProductRec {
    const [pos, alive, name, category] = a as [string, boolean, string, number | null];
    return new ProductRec(pos, alive, name, category);
  }
}

class NamedRec {
  constructor(public pos: string, public alive: boolean, public name: string) {}
  fields(): unknown[] {
    return [this.pos, this.alive, this.name];
  }
  static of(a: unknown[]): NamedRec {
    const [pos, alive, name] = a as [string, boolean, string];
    return new NamedRec(pos, alive, name);
  }
}

class InventoryRec {
  constructor(
    public pos: string,
    public alive: boolean,
    public productId: number,
    public region: string,
    public stock: number,
    public threshold: number,
  ) {}
  fields(): unknown[] {
    return [this.pos, this.alive, this.productId, this.region, this.stock, this.threshold];
  }
  static of(a: unknown[]): InventoryRec {
    const [pos, alive, product, region, stock, threshold] = a as [
      string,
      boolean,
      number,
      string,
      number,
      number,
    ];
    return new InventoryRec(pos, alive, product, region, stock, threshold);
  }
}

/** A line of a sale: one order item. */
export interface SaleLine {
  readonly productId: number;
  readonly quantity: number;
  readonly cents: bigint;
}

const NO_LINES: readonly SaleLine[] = [];

/** What the aggregates derive from one live order and its items. */
export interface OrderFacts {
  orderId: number;
  statusId: number;
  customerId: number | null;
  /** Event time, ns since the epoch (see `orderEventNs`). */
  eventNs: bigint;
  /** Minute and UTC day of the event time, since the epoch. */
  minute: number;
  day: number;
  /** Whether it counts as a sale. */
  sale: boolean;
  units: number;
  cents: bigint;
  /** Its live items; valid until the state changes (views use it at once). */
  lines: readonly SaleLine[];
}

/** What one batch changed besides orders, for the aggregates that show names or stock. */
export interface Touched {
  products: Set<number>;
  categories: Set<number>;
  statuses: Set<number>;
  /** Products whose inventory rows changed. */
  inventoryProducts: Set<number>;
}

/** The winning change per key of each table in one batch, and the order inserts and deletes it saw. */
export interface Plan {
  orders: Map<number, ChangeEvent>;
  items: Map<number, ChangeEvent>;
  products: Map<number, ChangeEvent>;
  categories: Map<number, ChangeEvent>;
  statuses: Map<number, ChangeEvent>;
  inventory: Map<number, ChangeEvent>;
  orderInserts: Map<number, ChangeEvent>;
  orderDeletes: Map<number, string>;
}

type Rec = { pos: string };

/** Whether position `pos` is after `than` (anything is after nothing). */
function after(pos: string, than: string | null | undefined): boolean {
  return than === null || than === undefined || pos > than;
}

/** Records `e` as the winner for `id` when its position is after both this batch's winner and the state. */
function pick(recs: Map<number, Rec>, winners: Map<number, ChangeEvent>, id: number, e: ChangeEvent): void {
  const w = winners.get(id);
  if (w !== undefined) {
    if (e.position > w.position) winners.set(id, e);
    return;
  }
  const r = recs.get(id);
  if (r === undefined || e.position > r.pos) winners.set(id, e);
}

function removeFrom<T>(index: Map<number, T[]>, at: number, x: T): void {
  const list = index.get(at);
  if (!list) return;
  const i = list.indexOf(x);
  if (i >= 0) list.splice(i, 1);
  if (list.length === 0) index.delete(at);
}

function addTo<T>(index: Map<number, T[]>, at: number, x: T): void {
  const list = index.get(at);
  if (list) list.push(x);
  else index.set(at, [x]);
}

/** Source rows for the sales aggregates. Keys of all six tables are single integer columns. */
export class CommerceState {
  readonly orders = new Map<number, OrderRec>();
  readonly items = new Map<number, ItemRec>();
  readonly products = new Map<number, ProductRec>();
  readonly categories = new Map<number, NamedRec>();
  readonly statuses = new Map<number, NamedRec>();
  readonly inventory = new Map<number, InventoryRec>();
  /** order_id → its live items. */
  readonly orderItems = new Map<number, ItemRec[]>();
  /** product_id → its live inventory rows. */
  readonly productInventory = new Map<number, InventoryRec[]>();
  readonly #rules: SalesRules;

  constructor(rules: SalesRules) {
    this.#rules = rules;
  }

  /** Picks, per table and key, the change that wins over the state (highest position, newer than applied). */
  plan(events: readonly ChangeEvent[]): Plan {
    const plan: Plan = {
      orders: new Map(),
      items: new Map(),
      products: new Map(),
      categories: new Map(),
      statuses: new Map(),
      inventory: new Map(),
      orderInserts: new Map(),
      orderDeletes: new Map(),
    };
    for (const e of events) {
      switch (e.table) {
        case "orders": {
          const id = e.key.order_id as number;
          if (e.op === "c" && after(e.position, plan.orderInserts.get(id)?.position)) {
            plan.orderInserts.set(id, e);
          }
          if (e.op === "d" && after(e.position, plan.orderDeletes.get(id))) {
            plan.orderDeletes.set(id, e.position);
          }
          pick(this.orders, plan.orders, id, e);
          break;
        }
        case "order_items":
          pick(this.items, plan.items, e.key.order_item_id as number, e);
          break;
        case "products":
          pick(this.products, plan.products, e.key.product_id as number, e);
          break;
        case "product_categories":
          pick(this.categories, plan.categories, e.key.category_id as number, e);
          break;
        case "order_status":
          pick(this.statuses, plan.statuses, e.key.status_id as number, e);
          break;
        case "inventory":
          pick(this.inventory, plan.inventory, e.key.inventory_id as number, e);
          break;
      }
    }
    return plan;
  }

  /** Orders whose facts the plan can change. */
  affectedOrders(plan: Plan): Set<number> {
    const ids = new Set<number>(plan.orders.keys());
    for (const id of plan.orderInserts.keys()) ids.add(id);
    for (const id of plan.orderDeletes.keys()) ids.add(id);
    for (const [id, e] of plan.items) {
      const old = this.items.get(id);
      if (old?.alive) ids.add(old.orderId);
      if (e.after) ids.add(e.after.order_id as number);
    }
    return ids;
  }

  /** Applies a plan made by {@linkcode plan} against this state. */
  applyPlan(plan: Plan): Touched {
    const touched: Touched = {
      products: new Set(),
      categories: new Set(),
      statuses: new Set(),
      inventoryProducts: new Set(),
    };
    for (const [id, e] of plan.orders) {
      const a = e.after;
      const rec = this.orders.get(id);
      if (a === null) {
        if (rec) [rec.pos, rec.alive] = [e.position, false];
        else this.orders.set(id, new OrderRec(e.position, false, 0, null, 0n, null, null, e.position));
        continue;
      }
      const [status, customer, created] = [
        a.status_id as number,
        a.customer_id as number | null,
        a.created_at,
      ];
      const createdNs = (created as Timestamp).epochNanos;
      if (rec) {
        rec.pos = e.position;
        rec.alive = true;
        rec.statusId = status;
        rec.customerId = customer;
        rec.createdNs = createdNs;
      } else {this.orders.set(
          id,
          new OrderRec(e.position, true, status, customer, createdNs, null, null, null),
        );}
    }
    for (const [id, e] of plan.orderInserts) {
      const rec = this.orders.get(id)!;
      if (after(e.position, rec.insertPos)) {
        [rec.insertPos, rec.insertNs] = [e.position, e.commitTs.epochNanos];
      }
    }
    for (const [id, pos] of plan.orderDeletes) {
      const rec = this.orders.get(id)!;
      if (after(pos, rec.deletePos)) rec.deletePos = pos;
    }
    for (const [id, e] of plan.items) {
      const old = this.items.get(id);
      if (old?.alive) removeFrom(this.orderItems, old.orderId, old);
      const a = e.after;
      if (a === null) {
        if (old) [old.pos, old.alive] = [e.position, false];
        else this.items.set(id, new ItemRec(e.position, false, 0, 0, 0, 0n));
        continue;
      }
      const rec = new ItemRec(
        e.position,
        true,
        a.order_id as number,
        a.product_id as number,
        a.quantity as number,
        lineCents(a.quantity as number, a.current_price as Decimal),
      );
      this.items.set(id, rec);
      addTo(this.orderItems, rec.orderId, rec);
    }
    for (const [id, e] of plan.products) {
      const a = e.after;
      this.products.set(
        id,
        a === null
          ? new ProductRec(e.position, false, "", null)
          : new ProductRec(e.position, true, a.name as string, a.category_id as number | null),
      );
      touched.products.add(id);
    }
    for (
      const [winners, recs, ids, column] of [
        [plan.categories, this.categories, touched.categories, "category_name"],
        [plan.statuses, this.statuses, touched.statuses, "status_name"],
      ] as const
    ) {
      for (const [id, e] of winners) {
        recs.set(id, new NamedRec(e.position, e.after !== null, (e.after?.[column] as string) ?? ""));
        ids.add(id);
      }
    }
    for (const [id, e] of plan.inventory) {
      const old = this.inventory.get(id);
      if (old?.alive) {
        removeFrom(this.productInventory, old.productId, old);
        touched.inventoryProducts.add(old.productId);
      }
      const a = e.after;
      if (a === null) {
        this.inventory.set(id, new InventoryRec(e.position, false, 0, "", 0, 0));
        continue;
      }
      const rec = new InventoryRec(
        e.position,
        true,
        a.product_id as number,
        a.inventory_name as string,
        a.quantity_in_stock as number,
        a.reorder_threshold as number,
      );
      this.inventory.set(id, rec);
      addTo(this.productInventory, rec.productId, rec);
      touched.inventoryProducts.add(rec.productId);
    }
    return touched;
  }

  /** Facts of a live order, or null when the order is not live. */
  facts(orderId: number): OrderFacts | null {
    const o = this.orders.get(orderId);
    if (!o?.alive) return null;
    const lines = this.orderItems.get(orderId) ?? NO_LINES;
    let units = 0;
    let cents = 0n;
    for (const it of lines) {
      units += it.quantity;
      cents += it.cents;
    }
    const insertCurrent = o.insertPos !== null && (o.deletePos === null || o.insertPos > o.deletePos);
    const eventNs = insertCurrent ? o.insertNs! : o.createdNs;
    return {
      orderId,
      statusId: o.statusId,
      customerId: o.customerId,
      eventNs,
      minute: periodOf(eventNs, MINUTE_NS),
      day: periodOf(eventNs, DAY_NS),
      sale: !this.#rules.excludedStatusIds.includes(o.statusId),
      units,
      cents,
      lines,
    };
  }

  #tables(): Map<number, { fields(): unknown[] }>[] {
    return [this.orders, this.items, this.products, this.categories, this.statuses, this.inventory];
  }

  /** Writes every record (live rows and tombstones). */
  write(w: ByteWriter): void {
    for (const map of this.#tables()) {
      w.u32(map.size);
      for (const [id, rec] of map) w.f64(id).string(JSON.stringify(rec.fields()));
    }
  }

  /** Reads records written by {@linkcode write} into this (empty) state and rebuilds the indexes. */
  read(r: ByteReader): void {
    const each = <T>(map: Map<number, T>, of: (a: unknown[]) => T) => {
      for (let n = r.u32(); n > 0; n--) {
        const id = r.f64();
        map.set(id, of(JSON.parse(r.string())));
      }
    };
    each(this.orders, OrderRec.of);
    each(this.items, ItemRec.of);
    each(this.products, ProductRec.of);
    each(this.categories, NamedRec.of);
    each(this.statuses, NamedRec.of);
    each(this.inventory, InventoryRec.of);
    for (const it of this.items.values()) if (it.alive) addTo(this.orderItems, it.orderId, it);
    for (const inv of this.inventory.values()) {
      if (inv.alive) addTo(this.productInventory, inv.productId, inv);
    }
  }
}
