/**
 * The source rows the sales aggregates are derived from, kept compactly (only the columns they use), with the
 * same last-change-by-position rules as the mirrors, and each order's derived facts.
 *
 * @module
 */
import type { ChangeEvent } from "../../cdc/change_event.ts";
import type { Decimal, Timestamp } from "../../value/mod.ts";
import type { ByteReader, ByteWriter } from "./byte_buffer.ts";
import { catalogTable } from "./catalog_table.ts";
import { lineCents, type SalesRules } from "./sales_rules.ts";

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
  productId: number;
  quantity: number;
  cents: bigint;
}

/** What the aggregates derive from one live order and its items. */
export interface OrderFacts {
  orderId: number;
  statusId: number;
  customerId: number | null;
  /** Event time, ns since the epoch (see `orderEventNs`). */
  eventNs: bigint;
  /** Whether it counts as a sale. */
  sale: boolean;
  units: number;
  cents: bigint;
  lines: SaleLine[];
}

/** What one batch changed besides orders, for the aggregates that show names or stock. */
export interface Touched {
  products: Set<number>;
  categories: Set<number>;
  statuses: Set<number>;
  /** Products whose inventory rows changed. */
  inventoryProducts: Set<number>;
}

/** The winning change per key and table of one batch, and the order inserts and deletes it saw. */
export interface Plan {
  winners: Map<string, Map<number, ChangeEvent>>;
  orderInserts: Map<number, ChangeEvent>;
  orderDeletes: Map<number, string>;
}

type Rec = { pos: string };

/** Whether position `pos` is after `than` (anything is after nothing). */
function after(pos: string, than: string | null | undefined): boolean {
  return than === null || than === undefined || pos > than;
}

const KEY_COLUMN: Record<string, string> = Object.fromEntries(
  SALES_INPUTS.map((t) => [t, catalogTable(t).key[0]]),
);

function removeFrom(index: Map<number, number[]>, at: number, id: number): void {
  const list = index.get(at);
  if (!list) return;
  const i = list.indexOf(id);
  if (i >= 0) list.splice(i, 1);
  if (list.length === 0) index.delete(at);
}

function addTo(index: Map<number, number[]>, at: number, id: number): void {
  const list = index.get(at);
  if (list) list.push(id);
  else index.set(at, [id]);
}

/** Source rows for the sales aggregates. Keys of all six tables are single integer columns. */
export class CommerceState {
  readonly orders = new Map<number, OrderRec>();
  readonly items = new Map<number, ItemRec>();
  readonly products = new Map<number, ProductRec>();
  readonly categories = new Map<number, NamedRec>();
  readonly statuses = new Map<number, NamedRec>();
  readonly inventory = new Map<number, InventoryRec>();
  /** order_id → ids of its live items. */
  readonly orderItems = new Map<number, number[]>();
  /** product_id → ids of its live inventory rows. */
  readonly productInventory = new Map<number, number[]>();
  readonly #rules: SalesRules;

  constructor(rules: SalesRules) {
    this.#rules = rules;
  }

  #recs(table: string): Map<number, Rec> {
    switch (table) {
      case "orders":
        return this.orders;
      case "order_items":
        return this.items;
      case "products":
        return this.products;
      case "product_categories":
        return this.categories;
      case "order_status":
        return this.statuses;
      default:
        return this.inventory;
    }
  }

  /** Picks, per table and key, the change that wins over the state (highest position, newer than applied). */
  plan(events: readonly ChangeEvent[]): Plan {
    const winners = new Map<string, Map<number, ChangeEvent>>(SALES_INPUTS.map((t) => [t, new Map()]));
    const orderInserts = new Map<number, ChangeEvent>();
    const orderDeletes = new Map<number, string>();
    for (const e of events) {
      const w = winners.get(e.table);
      if (!w) continue;
      const id = e.key[KEY_COLUMN[e.table]] as number;
      if (e.op === "c" && e.table === "orders" && after(e.position, orderInserts.get(id)?.position)) {
        orderInserts.set(id, e);
      }
      if (e.op === "d" && e.table === "orders" && after(e.position, orderDeletes.get(id))) {
        orderDeletes.set(id, e.position);
      }
      if (after(e.position, w.get(id)?.position ?? this.#recs(e.table).get(id)?.pos)) w.set(id, e);
    }
    return { winners, orderInserts, orderDeletes };
  }

  /** Orders whose facts the plan can change. */
  affectedOrders(plan: Plan): Set<number> {
    const ids = new Set<number>([...plan.winners.get("orders")!.keys(), ...plan.orderInserts.keys()]);
    for (const id of plan.orderDeletes.keys()) ids.add(id);
    for (const [id, e] of plan.winners.get("order_items")!) {
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
    for (const [id, e] of plan.winners.get("orders")!) {
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
        Object.assign(rec, {
          pos: e.position,
          alive: true,
          statusId: status,
          customerId: customer,
          createdNs,
        });
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
    for (const [id, e] of plan.winners.get("order_items")!) {
      const old = this.items.get(id);
      if (old?.alive) removeFrom(this.orderItems, old.orderId, id);
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
      addTo(this.orderItems, rec.orderId, id);
    }
    for (const [id, e] of plan.winners.get("products")!) {
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
      const [table, recs, ids, column] of [
        ["product_categories", this.categories, touched.categories, "category_name"],
        ["order_status", this.statuses, touched.statuses, "status_name"],
      ] as const
    ) {
      for (const [id, e] of plan.winners.get(table)!) {
        recs.set(id, new NamedRec(e.position, e.after !== null, (e.after?.[column] as string) ?? ""));
        ids.add(id);
      }
    }
    for (const [id, e] of plan.winners.get("inventory")!) {
      const old = this.inventory.get(id);
      if (old?.alive) {
        removeFrom(this.productInventory, old.productId, id);
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
      addTo(this.productInventory, rec.productId, id);
      touched.inventoryProducts.add(rec.productId);
    }
    return touched;
  }

  /** Facts of a live order, or null when the order is not live. */
  facts(orderId: number): OrderFacts | null {
    const o = this.orders.get(orderId);
    if (!o?.alive) return null;
    const lines: SaleLine[] = [];
    let units = 0;
    let cents = 0n;
    for (const itemId of this.orderItems.get(orderId) ?? []) {
      const it = this.items.get(itemId)!;
      lines.push({ productId: it.productId, quantity: it.quantity, cents: it.cents });
      units += it.quantity;
      cents += it.cents;
    }
    const insertCurrent = o.insertPos !== null && (o.deletePos === null || o.insertPos > o.deletePos);
    return {
      orderId,
      statusId: o.statusId,
      customerId: o.customerId,
      eventNs: insertCurrent ? o.insertNs! : o.createdNs,
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
    for (const [id, it] of this.items) if (it.alive) addTo(this.orderItems, it.orderId, id);
    for (const [id, inv] of this.inventory) if (inv.alive) addTo(this.productInventory, inv.productId, id);
  }
}
