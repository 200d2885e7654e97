/**
 * A seeded e-commerce change stream for the pipeline benchmarks, rendered as the Debezium PostgreSQL connector
 * writes it with Kafka Connect's JsonConverter and schemas on (the original's default): topics
 * `<prefix>.public.<table>`, REPLICA IDENTITY FULL before images, exact decimals as base64 bytes, `timestamptz`
 * as ZonedTimestamp text, a tombstone after each delete.
 *
 * The action mix follows the faker (new orders with items, stock decrements and a payment; order
 * progressions; new customers with an address; reviews) plus what exercises the operators: customer profile
 * changes (tracked, or `UpdatedAt` only), customer deletions, cart items added and removed, cancellations and
 * returns with a reason and restocks, price changes, restocks. About 4 % of the change events are deletes.
 *
 * Commit times (`source.ts_ms`) and positions (LSNs) are given by the caller at render time, so an open-loop
 * producer stamps each message with its scheduled send time. The model keeps its state in typed arrays: a
 * million customers cost a few megabytes.
 *
 * @module
 */
import { ECOMMERCE_TABLES, type TableDef } from "../../pipeline/catalog/mod.ts";
import {
  debeziumKey,
  debeziumMessage,
  decimalBase64,
  type FixtureColumn,
} from "../../pipeline/cdc/debezium_fixture.ts";
import { Prng } from "../../pipeline/stream/operators/_prng.ts";

/** A row image: source column (lower case) → JSON text of its value. */
export type RowImage = Record<string, string>;

/** One row change of the model, before rendering. */
export interface RowChange {
  table: TableDef;
  op: "r" | "c" | "u" | "d";
  before: RowImage | null;
  after: RowImage | null;
}

/** A Kafka message (a null value is a tombstone). */
export interface LoadMessage {
  topic: string;
  key: string;
  value: string | null;
}

const REGIONS = ["Asia", "Europe", "North America", "South America", "Australia", "Africa"];
const STATUSES = ["Ordered", "Shipped", "Delivered", "Returned", "Cancelled"];
const FIRST = ["Ann", "Bob", "Chloé", "Dmitri", "Eve", "Farid", "Grace", "Hiro", "Ines", "Jon"];
const LAST = ["Nguyen", "Smith", "Garcia", "Kowalski", "Okafor", "Tanaka", "Rossi", "Berg"];

function def(name: string): TableDef {
  const t = ECOMMERCE_TABLES.find((d) => d.name === name);
  if (!t) throw new RangeError(`Cannot find catalog table "${name}"`);
  return t;
}

const T = {
  sellers: def("sellers"),
  customers: def("customers"),
  categories: def("product_categories"),
  products: def("products"),
  statuses: def("order_status"),
  orders: def("orders"),
  reasons: def("reasons"),
  items: def("order_items"),
  carts: def("shopping_carts"),
  cartItems: def("cart_items"),
  methods: def("payment_methods"),
  payments: def("payments"),
  reviews: def("reviews"),
  addresses: def("addresses"),
  inventory: def("inventory"),
};

/** The Connect schema of a catalog column as the PostgreSQL connector writes it (decimal.handling.mode precise). */
function columnSchema(type: string, optional: boolean): FixtureColumn["schema"] {
  if (type === "integer") return { type: "int32", optional };
  if (type === "long") return { type: "int64", optional };
  if (type === "boolean") return { type: "boolean", optional };
  if (type === "string") return { type: "string", optional };
  if (type === "timestamp") {
    return { type: "string", optional, name: "io.debezium.time.ZonedTimestamp", version: 1 };
  }
  const m = /^decimal\((\d+),(\d+)\)$/.exec(type);
  if (m) {
    return {
      type: "bytes",
      optional,
      name: "org.apache.kafka.connect.data.Decimal",
      version: 1,
      parameters: { scale: m[2], "connect.decimal.precision": m[1] },
    };
  }
  throw new TypeError(`Cannot render catalog type "${type}" as a Connect schema`);
}

const COLUMNS = new Map<TableDef, FixtureColumn[]>(
  ECOMMERCE_TABLES.map((t) => [
    t,
    t.columns.map((c) => ({ name: c.source.toLowerCase(), schema: columnSchema(c.type, c.nullable) })),
  ]),
);
const KEYS = new Map<TableDef, string[]>(
  ECOMMERCE_TABLES.map((t) => [
    t,
    t.key.map((k) => t.columns.find((c) => c.name === k)!.source.toLowerCase()),
  ]),
);

/** The topic of a table under `prefix`. */
export function loadTopic(prefix: string, table: TableDef): string {
  return `${prefix}.public.${table.source.toLowerCase()}`;
}

/** Every topic of the load under `prefix`. */
export function loadTopics(prefix: string): string[] {
  return ECOMMERCE_TABLES.map((t) => loadTopic(prefix, t));
}

/** Where and when a change was committed, set by the producer. */
export interface Commit {
  /** Source commit time, epoch ms. */
  tsMs: number;
  /** The change's LSN (strictly increasing per change). */
  lsn: number;
  /** Transaction id and its commit LSN (the last commit LSN before it, as Debezium's `sequence` has it). */
  txId: number;
  lastCommitLsn: number;
}

/** Per table: the `{"schema":…,"payload":` and key schema prefixes JsonConverter writes, rendered once. */
const PREFIXES = new Map<TableDef, { value: string; key: string }>();

/** Splits a fixture rendering into its constant schema prefix and the payload (checked, not assumed). */
function schemaPrefix(full: string, payload: string, what: string): string {
  if (!full.endsWith(payload + "}")) throw new Error(`Cannot split the schema from the ${what}`);
  return full.slice(0, full.length - payload.length - 1);
}

/** The Kafka messages of one change: the event, and for a delete its tombstone. */
export function renderChange(prefix: string, change: RowChange, commit: Commit): LoadMessage[] {
  const m = {
    connector: "postgresql" as const,
    prefix,
    db: "lakestream",
    schema: "public",
    table: change.table.source.toLowerCase(),
    columns: COLUMNS.get(change.table)!,
    keyColumns: KEYS.get(change.table)!,
    op: change.op,
    before: change.before,
    after: change.after,
    tsMs: commit.tsMs,
    lsn: commit.lsn,
    lastCommitLsn: commit.lastCommitLsn,
    txId: commit.txId,
    snapshot: change.op === "r" ? "true" : "false",
  };
  // The schema part is the same for every message of a table: stringify it once (it is most of the bytes).
  const bare = { ...m, schemas: false };
  const payload = debeziumMessage(bare);
  const keyPayload = debeziumKey(bare);
  let p = PREFIXES.get(change.table);
  if (p === undefined || !p.value.includes(`"${prefix}.public.`)) {
    p = {
      value: schemaPrefix(debeziumMessage(m), payload, "value"),
      key: schemaPrefix(debeziumKey(m), keyPayload, "key"),
    };
    PREFIXES.set(change.table, p);
  }
  const topic = loadTopic(prefix, change.table);
  const key = `${p.key}${keyPayload}}`;
  const event = { topic, key, value: `${p.value}${payload}}` };
  return change.op === "d" ? [event, { topic, key, value: null }] : [event];
}

/** A growable numeric column (ids start at 1); float64 so ms offsets of long runs fit. */
class Ints {
  #a: Float64Array;
  constructor(size = 1024) {
    this.#a = new Float64Array(size);
  }
  get(i: number): number {
    return i < this.#a.length ? this.#a[i] : 0;
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

const str = (s: string) => JSON.stringify(s);
const money = (cents: number) => JSON.stringify(decimalBase64(BigInt(cents)));
let lastMs = NaN;
let lastText = "";
/** ZonedTimestamp text of an epoch-ms time (consecutive calls mostly ask for the same time). */
const ts = (ms: number) => {
  if (ms !== lastMs) {
    lastMs = ms;
    lastText = JSON.stringify(new Date(ms).toISOString());
  }
  return lastText;
};

/** Options of {@linkcode CommerceLoad}. */
export interface CommerceLoadOptions {
  /** @default 1 */
  seed?: number;
  /** @default 1000 */
  products?: number;
  /** Source time of the catalog rows and of `created_at` columns, epoch ms. @default 2025-01-01 */
  startMs?: number;
}

/** The seeded commerce model. Call {@linkcode catalog} first, then {@linkcode customers}, then {@linkcode action}. */
export class CommerceLoad {
  readonly #rng: Prng;
  readonly #startMs: number;
  readonly #products: number;
  #nowMs: number;
  #productCents = new Ints();
  #productTouched = new Ints();
  /** Inventory rows: product, region index, stock, threshold, unit cost. */
  #invProduct = new Ints();
  #invRegion = new Ints();
  #invStock = new Ints();
  #invThreshold = new Ints();
  #invCost = new Ints();
  #inventory = 0;
  #customers = 0;
  #customerVersion = new Ints();
  #customerTouch = new Ints();
  #customerGone = new Uint8Array(0);
  #orders = 0;
  #orderStatus = new Ints();
  #orderCustomer = new Ints();
  #orderCents = new Ints();
  #orderCreated = new Ints();
  #orderTouched = new Ints();
  #orderFirstItem = new Ints();
  #orderItems = new Ints();
  #open: number[] = [];
  #items = 0;
  #itemProduct = new Ints();
  #itemQty = new Ints();
  #itemCents = new Ints();
  #itemInv = new Ints();
  #payments = 0;
  #reasons = 0;
  #reviews = 0;
  #carts = new Ints();
  #cartCount = 0;
  #cartItems = 0;
  /** Cart items still in a cart: id → product (0: removed). */
  #cartItemProduct = new Ints();
  #cartItemCart = new Ints();
  #liveCartItems: number[] = [];

  constructor(options: CommerceLoadOptions = {}) {
    this.#rng = new Prng(options.seed ?? 1);
    this.#products = options.products ?? 1000;
    this.#startMs = options.startMs ?? Date.UTC(2025, 0, 1);
    this.#nowMs = this.#startMs;
  }

  /** Customers created so far (deleted ones included). */
  get customerCount(): number {
    return this.#customers;
  }

  /** Sets the source time `updated_at` and new rows' `created_at` take (the commit time of what comes next). */
  setTime(ms: number): void {
    this.#nowMs = ms;
  }

  /** The reference tables, products and their stock, as snapshot reads. */
  catalog(): RowChange[] {
    const out: RowChange[] = [];
    const t = ts(this.#startMs);
    const read = (table: TableDef, after: RowImage) => out.push({ table, op: "r", before: null, after });
    STATUSES.forEach((name, i) =>
      read(T.statuses, {
        statusid: String(i + 1),
        statusname: str(name),
        statusdescription: "null",
        createdat: t,
        updatedat: t,
      })
    );
    ["Card", "Cash", "Transfer", "Wallet", "Voucher"].forEach((name, i) =>
      read(T.methods, {
        paymentmethodid: String(i + 1),
        methodname: str(name),
        methoddescription: "null",
        createdat: t,
        updatedat: t,
      })
    );
    for (let s = 1; s <= 40; s++) {
      read(T.sellers, {
        sellerid: String(s),
        name: str(`Seller ${s}`),
        email: str(`seller${s}@example.org`),
        phonenumber: "null",
        createdat: t,
        updatedat: t,
      });
    }
    for (let c = 1; c <= 10; c++) {
      read(T.categories, {
        categoryid: String(c),
        categoryname: str(`Category ${c}`),
        categorydescription: "null",
        createdat: t,
        updatedat: t,
      });
    }
    for (let p = 1; p <= this.#products; p++) {
      this.#productCents.set(p, this.#rng.between(500, 50_000));
      read(T.products, this.#product(p));
      REGIONS.forEach((_, region) => {
        if (!this.#rng.chance(1 - region * 0.15)) return;
        const id = ++this.#inventory;
        this.#invProduct.set(id, p);
        this.#invRegion.set(id, region);
        this.#invStock.set(id, this.#rng.between(100, 1000));
        this.#invThreshold.set(id, this.#rng.between(10, 50));
        this.#invCost.set(id, Math.floor(this.#productCents.get(p) * 0.6));
        read(T.inventory, this.#stock(id, this.#startMs));
      });
    }
    return out;
  }

  /** `count` new customers as snapshot reads (an initial load). */
  customers(count: number): RowChange[] {
    const out: RowChange[] = [];
    for (let i = 0; i < count; i++) {
      const id = this.#newCustomerId();
      out.push({ table: T.customers, op: "r", before: null, after: this.#customer(id) });
    }
    return out;
  }

  /** The row changes of the next action (one source transaction), at the time last given to setTime. */
  action(): RowChange[] {
    const out: RowChange[] = [];
    const r = this.#rng.int(1000);
    if (r < 300) this.#newOrder(out);
    else if (r < 560) this.#progress(out);
    else if (r < 600) this.#takeBack(out);
    else if (r < 680) this.#newCustomer(out);
    else if (r < 790) this.#updateCustomer(out);
    else if (r < 810) this.#deleteCustomer(out);
    else if (r < 870) this.#review(out);
    else if (r < 930) this.#addToCart(out);
    else if (r < 965) this.#removeFromCart(out);
    else if (r < 985) this.#changePrice(out);
    else this.#restock(out);
    if (out.length === 0) this.#newCustomer(out);
    return out;
  }

  #product(p: number): RowImage {
    const updated = this.#startMs + this.#productTouched.get(p);
    return {
      productid: String(p),
      name: str(`Product ${p}`),
      description: str(`A product of category ${1 + (p % 10)}`),
      price: money(this.#productCents.get(p)),
      categoryid: String(1 + (p % 10)),
      sellerid: String(1 + (p % 40)),
      createdat: ts(this.#startMs),
      updatedat: ts(updated),
    };
  }

  #stock(id: number, updated: number): RowImage {
    return {
      inventoryid: String(id),
      inventoryname: str(REGIONS[this.#invRegion.get(id)]),
      productid: String(this.#invProduct.get(id)),
      quantityinstock: String(this.#invStock.get(id)),
      reorderthreshold: String(this.#invThreshold.get(id)),
      unitcost: money(this.#invCost.get(id)),
      createdat: ts(this.#startMs),
      updatedat: ts(updated),
    };
  }

  #newCustomerId(): number {
    const id = ++this.#customers;
    if (id >= this.#customerGone.length) {
      const next = new Uint8Array(Math.max(1024, this.#customerGone.length * 2));
      next.set(this.#customerGone);
      this.#customerGone = next;
    }
    this.#customerTouch.set(id, this.#nowMs - this.#startMs);
    return id;
  }

  #customer(id: number): RowImage {
    const v = this.#customerVersion.get(id);
    return {
      customerid: String(id),
      name: str(`${FIRST[(id + v) % FIRST.length]} ${LAST[(id >> 3) % LAST.length]}`),
      email: str(v === 0 ? `c${id}@example.org` : `c${id}.${v}@example.org`),
      phonenumber: str(`+1-555-${String(id).padStart(7, "0")}`),
      createdat: ts(this.#startMs),
      updatedat: ts(this.#startMs + this.#customerTouch.get(id)),
    };
  }

  #liveCustomer(): number {
    for (let tries = 0; tries < 20 && this.#customers > 0; tries++) {
      const id = this.#rng.between(1, this.#customers);
      if (!this.#customerGone[id]) return id;
    }
    return 0;
  }

  #order(id: number): RowImage {
    const customer = this.#orderCustomer.get(id);
    return {
      orderid: String(id),
      ordernumber: str(`ORD-${String(id).padStart(8, "0")}`),
      totalamount: money(this.#orderCents.get(id)),
      statusid: String(this.#orderStatus.get(id)),
      customerid: customer === 0 ? "null" : String(customer),
      createdat: ts(this.#startMs + this.#orderCreated.get(id)),
      updatedat: ts(this.#startMs + this.#orderTouched.get(id)),
    };
  }

  #item(id: number, order: number): RowImage {
    return {
      orderitemid: String(id),
      orderid: String(order),
      productid: String(this.#itemProduct.get(id)),
      quantity: String(this.#itemQty.get(id)),
      currentprice: money(this.#itemCents.get(id)),
      createdat: ts(this.#startMs + this.#orderCreated.get(order)),
      updatedat: ts(this.#startMs + this.#orderCreated.get(order)),
    };
  }

  /** Stock moves by `delta` (never below 0): an update with before and after images. */
  #moveStock(out: RowChange[], inv: number, delta: number): void {
    const before = this.#stock(inv, this.#startMs + this.#invTouched(inv));
    this.#invStock.set(inv, Math.max(0, this.#invStock.get(inv) + delta));
    this.#invTouchedSet(inv);
    out.push({ table: T.inventory, op: "u", before, after: this.#stock(inv, this.#nowMs) });
  }

  #invTouchedAt = new Ints();
  #invTouched(inv: number): number {
    return this.#invTouchedAt.get(inv);
  }
  #invTouchedSet(inv: number): void {
    this.#invTouchedAt.set(inv, this.#nowMs - this.#startMs);
  }

  #newOrder(out: RowChange[]): void {
    const customer = this.#liveCustomer();
    if (customer === 0) return;
    const id = ++this.#orders;
    const lines = this.#rng.between(1, 4);
    this.#orderStatus.set(id, 1);
    this.#orderCustomer.set(id, customer);
    this.#orderCreated.set(id, this.#nowMs - this.#startMs);
    this.#orderTouched.set(id, this.#nowMs - this.#startMs);
    this.#orderFirstItem.set(id, this.#items + 1);
    this.#orderItems.set(id, lines);
    let total = 0;
    const items: number[] = [];
    for (let n = 0; n < lines; n++) {
      const item = ++this.#items;
      const inv = this.#rng.between(1, this.#inventory);
      const product = this.#invProduct.get(inv);
      this.#itemProduct.set(item, product);
      this.#itemQty.set(item, this.#rng.between(1, 3));
      this.#itemCents.set(item, this.#productCents.get(product));
      this.#itemInv.set(item, inv);
      total += this.#itemQty.get(item) * this.#itemCents.get(item);
      items.push(item);
    }
    this.#orderCents.set(id, total);
    out.push({ table: T.orders, op: "c", before: null, after: this.#order(id) });
    for (const item of items) {
      out.push({ table: T.items, op: "c", before: null, after: this.#item(item, id) });
    }
    for (const item of items) this.#moveStock(out, this.#itemInv.get(item), -this.#itemQty.get(item));
    const payment = ++this.#payments;
    out.push({
      table: T.payments,
      op: "c",
      before: null,
      after: {
        paymentid: String(payment),
        orderid: String(id),
        paymentmethodid: String(this.#rng.between(1, 5)),
        amount: money(total),
        createdat: ts(this.#nowMs),
        updatedat: ts(this.#nowMs),
      },
    });
    this.#open.push(id);
  }

  #setStatus(out: RowChange[], id: number, status: number): void {
    const before = this.#order(id);
    this.#orderStatus.set(id, status);
    this.#orderTouched.set(id, this.#nowMs - this.#startMs);
    out.push({ table: T.orders, op: "u", before, after: this.#order(id) });
  }

  #progress(out: RowChange[]): void {
    if (this.#open.length === 0) return this.#newOrder(out);
    const i = this.#rng.int(this.#open.length);
    const id = this.#open[i];
    const status = this.#orderStatus.get(id) + 1;
    this.#setStatus(out, id, status);
    if (status >= 3) {
      this.#open[i] = this.#open[this.#open.length - 1];
      this.#open.pop();
    }
  }

  /** A cancellation (open orders) or a return (delivered ones): status, a reason, the stock back. */
  #takeBack(out: RowChange[]): void {
    if (this.#orders === 0) return;
    const id = this.#rng.between(1, this.#orders);
    const status = this.#orderStatus.get(id);
    if (status >= 4) return;
    const cancel = status < 3;
    this.#setStatus(out, id, cancel ? 5 : 4);
    const reason = ++this.#reasons;
    out.push({
      table: T.reasons,
      op: "c",
      before: null,
      after: {
        reasonid: String(reason),
        orderid: String(id),
        reasontype: str(cancel ? "Cancellation" : "Return"),
        reasondescription: str(cancel ? "Changed my mind" : "Did not fit"),
        createdat: ts(this.#nowMs),
        updatedat: ts(this.#nowMs),
      },
    });
    const first = this.#orderFirstItem.get(id);
    for (let item = first; item < first + this.#orderItems.get(id); item++) {
      this.#moveStock(out, this.#itemInv.get(item), this.#itemQty.get(item));
    }
    if (cancel) {
      const i = this.#open.indexOf(id);
      if (i >= 0) {
        this.#open[i] = this.#open[this.#open.length - 1];
        this.#open.pop();
      }
    }
  }

  #newCustomer(out: RowChange[]): void {
    const id = this.#newCustomerId();
    out.push({ table: T.customers, op: "c", before: null, after: this.#customer(id) });
    out.push({ table: T.addresses, op: "c", before: null, after: this.#address(id) });
  }

  #address(customer: number): RowImage {
    return {
      addressid: String(customer),
      customerid: String(customer),
      addressline: str(`${customer} Main Street`),
      city: str("Springfield"),
      state: "null",
      zipcode: str(String(10000 + (customer % 89999))),
      country: str(REGIONS[customer % REGIONS.length]),
      isbillingaddress: "true",
      isshippingaddress: "true",
      createdat: ts(this.#startMs),
      updatedat: ts(this.#startMs),
    };
  }

  #updateCustomer(out: RowChange[]): void {
    const id = this.#liveCustomer();
    if (id === 0) return;
    const before = this.#customer(id);
    // Most change a tracked column (a new SCD2 version); the rest only touch updated_at (in place).
    if (this.#rng.chance(0.7)) this.#customerVersion.set(id, this.#customerVersion.get(id) + 1);
    this.#customerTouch.set(id, this.#nowMs - this.#startMs);
    out.push({ table: T.customers, op: "u", before, after: this.#customer(id) });
  }

  #deleteCustomer(out: RowChange[]): void {
    const id = this.#liveCustomer();
    if (id === 0) return;
    out.push({ table: T.addresses, op: "d", before: this.#address(id), after: null });
    out.push({ table: T.customers, op: "d", before: this.#customer(id), after: null });
    this.#customerGone[id] = 1;
  }

  #review(out: RowChange[]): void {
    const customer = this.#liveCustomer();
    if (customer === 0) return;
    const id = ++this.#reviews;
    out.push({
      table: T.reviews,
      op: "c",
      before: null,
      after: {
        reviewid: String(id),
        productid: String(this.#rng.between(1, this.#products)),
        customerid: String(customer),
        rating: String(this.#rng.between(3, 5)),
        comment: str("Fine"),
        createdat: ts(this.#nowMs),
        updatedat: ts(this.#nowMs),
      },
    });
  }

  #cartItem(id: number): RowImage {
    return {
      cartitemid: String(id),
      cartid: String(this.#cartItemCart.get(id)),
      productid: String(this.#cartItemProduct.get(id)),
      quantity: "1",
      createdat: ts(this.#startMs),
      updatedat: ts(this.#startMs),
    };
  }

  #addToCart(out: RowChange[]): void {
    const customer = this.#liveCustomer();
    if (customer === 0) return;
    let cart = this.#carts.get(customer);
    if (cart === 0) {
      cart = ++this.#cartCount;
      this.#carts.set(customer, cart);
      out.push({
        table: T.carts,
        op: "c",
        before: null,
        after: {
          cartid: String(cart),
          customerid: String(customer),
          createdat: ts(this.#startMs),
          updatedat: ts(this.#startMs),
        },
      });
    }
    const id = ++this.#cartItems;
    this.#cartItemCart.set(id, cart);
    this.#cartItemProduct.set(id, this.#rng.between(1, this.#products));
    this.#liveCartItems.push(id);
    out.push({ table: T.cartItems, op: "c", before: null, after: this.#cartItem(id) });
  }

  #removeFromCart(out: RowChange[]): void {
    if (this.#liveCartItems.length === 0) return this.#addToCart(out);
    const i = this.#rng.int(this.#liveCartItems.length);
    const id = this.#liveCartItems[i];
    this.#liveCartItems[i] = this.#liveCartItems[this.#liveCartItems.length - 1];
    this.#liveCartItems.pop();
    out.push({ table: T.cartItems, op: "d", before: this.#cartItem(id), after: null });
  }

  #changePrice(out: RowChange[]): void {
    const p = this.#rng.between(1, this.#products);
    const before = this.#product(p);
    this.#productCents.set(p, this.#rng.between(500, 50_000));
    this.#productTouched.set(p, this.#nowMs - this.#startMs);
    out.push({ table: T.products, op: "u", before, after: this.#product(p) });
  }

  #restock(out: RowChange[]): void {
    if (this.#inventory === 0) return;
    this.#moveStock(out, this.#rng.between(1, this.#inventory), this.#rng.between(50, 500));
  }
}
