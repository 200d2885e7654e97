/**
 * What the faker knows about the source database: just enough state to generate valid operations (keys,
 * stock, order states, carts) without reading the database on the hot path. It is built from the database
 * (`loadModel`) or from a seed catalog (`modelFromSeed`) through the same plain rows.
 *
 * @module
 */
import { Decimal } from "../../pipeline/value/mod.ts";
import { type SeedData, type SourceDb, STATUS } from "../setup/mod.ts";
import { RandomSet } from "./random_set.ts";

export interface CustomerState {
  id: number;
  name: string;
  email: string | null;
  phone: string | null;
  orders: number;
  reviews: number;
  addressIds: number[];
  cartId: number | null;
}

export interface InventoryState {
  id: number;
  productId: number;
  stock: number;
  threshold: number;
}

export interface ProductState {
  id: number;
  price: Decimal;
  inventory: InventoryState[];
}

export interface OrderItemState {
  productId: number;
  /** The row the stock came from; null when unknown (loaded from the database). */
  inventoryId: number | null;
  quantity: number;
}

export interface OrderState {
  id: number;
  customerId: number | null;
  items: OrderItemState[];
}

export interface CartState {
  id: number;
  customerId: number | null;
  /** Product id → cart item. */
  items: Map<number, { id: number; quantity: number }>;
}

/** Tables whose keys the faker allocates. */
export const KEYED_TABLES = [
  "Customers",
  "Addresses",
  "Orders",
  "OrderItems",
  "Payments",
  "Reasons",
  "Reviews",
  "ShoppingCarts",
  "CartItems",
] as const;
export type KeyedTable = typeof KEYED_TABLES[number];

/** Delivered orders kept for returns and reviews; older ones are forgotten (the model stays bounded). */
export const DELIVERED_CAP = 10_000;

/** The model state. Mutated by the generator as it emits operations. */
export interface FakerModel {
  nextId: Record<KeyedTable, number>;
  customers: RandomSet<CustomerState>;
  products: RandomSet<ProductState>;
  inventory: RandomSet<InventoryState>;
  ordered: RandomSet<OrderState>;
  shipped: RandomSet<OrderState>;
  delivered: RandomSet<OrderState>;
  carts: Map<number, CartState>;
  paymentMethodIds: number[];
}

/** Plain rows the model is built from, with lower-case field names (as portable SQL aliases give them). */
export interface ModelRows {
  maxIds: Record<KeyedTable, number>;
  customers: { id: number; name: string; email: string | null; phone: string | null }[];
  addresses: { id: number; customer: number }[];
  products: { id: number; price: string }[];
  inventory: { id: number; product: number; stock: number; threshold: number }[];
  orders: { id: number; customer: number | null; status: number }[];
  orderCounts: { customer: number; n: number }[];
  reviewCounts: { customer: number; n: number }[];
  items: { order: number; product: number; qty: number }[];
  carts: { id: number; customer: number | null }[];
  cartItems: { id: number; cart: number; product: number; qty: number }[];
  paymentMethods: { id: number }[];
}

/** Builds the model from plain rows. */
export function modelFromRows(rows: ModelRows): FakerModel {
  const nextId = Object.fromEntries(KEYED_TABLES.map((t) => [t, rows.maxIds[t] + 1])) as Record<
    KeyedTable,
    number
  >;
  const customers = new RandomSet<CustomerState>();
  for (const c of rows.customers) {
    customers.add({ ...c, orders: 0, reviews: 0, addressIds: [], cartId: null });
  }
  for (const a of rows.addresses) customers.get(a.customer)?.addressIds.push(a.id);
  for (const o of rows.orderCounts) {
    const c = customers.get(o.customer);
    if (c) c.orders = o.n;
  }
  for (const r of rows.reviewCounts) {
    const c = customers.get(r.customer);
    if (c) c.reviews = r.n;
  }
  const products = new RandomSet<ProductState>();
  for (const p of rows.products) {
    products.add({ id: p.id, price: Decimal.parse(p.price).rescale(2), inventory: [] });
  }
  const inventory = new RandomSet<InventoryState>();
  for (const i of rows.inventory) {
    const row = { id: i.id, productId: i.product, stock: i.stock, threshold: i.threshold };
    inventory.add(row);
    products.get(i.product)?.inventory.push(row);
  }
  const ordered = new RandomSet<OrderState>();
  const shipped = new RandomSet<OrderState>();
  const delivered = new RandomSet<OrderState>();
  const byId = new Map<number, OrderState>();
  const sorted = [...rows.orders].sort((a, b) => a.id - b.id);
  const deliveredRows = sorted.filter((o) => o.status === STATUS.Delivered).slice(-DELIVERED_CAP);
  for (const o of [...sorted.filter((o) => o.status !== STATUS.Delivered), ...deliveredRows]) {
    const order: OrderState = { id: o.id, customerId: o.customer, items: [] };
    byId.set(o.id, order);
    if (o.status === STATUS.Ordered) ordered.add(order);
    else if (o.status === STATUS.Shipped) shipped.add(order);
    else if (o.status === STATUS.Delivered) delivered.add(order);
  }
  for (const it of rows.items) {
    byId.get(it.order)?.items.push({ productId: it.product, inventoryId: null, quantity: it.qty });
  }
  const carts = new Map<number, CartState>();
  for (const c of rows.carts) {
    carts.set(c.id, { id: c.id, customerId: c.customer, items: new Map() });
    if (c.customer !== null) {
      const cust = customers.get(c.customer);
      if (cust) cust.cartId = c.id;
    }
  }
  for (const ci of rows.cartItems) carts.get(ci.cart)?.items.set(ci.product, { id: ci.id, quantity: ci.qty });
  return {
    nextId,
    customers,
    products,
    inventory,
    ordered,
    shipped,
    delivered,
    carts,
    paymentMethodIds: rows.paymentMethods.map((m) => m.id).sort((a, b) => a - b),
  };
}

/** The model of a database freshly set up from `seed` (no orders yet), without reading it. */
export function modelFromSeed(seed: SeedData): FakerModel {
  const table = (name: string) =>
    [...seed.reference, ...seed.catalog].find((t) => t.table === name)?.rows ?? [];
  const maxOf = (name: string, key: string) => Math.max(0, ...table(name).map((r) => Number(r[key])));
  return modelFromRows({
    maxIds: {
      Customers: maxOf("Customers", "CustomerID"),
      Addresses: maxOf("Addresses", "AddressID"),
      Orders: 0,
      OrderItems: 0,
      Payments: 0,
      Reasons: 0,
      Reviews: 0,
      ShoppingCarts: 0,
      CartItems: 0,
    },
    customers: table("Customers").map((r) => ({
      id: Number(r.CustomerID),
      name: String(r.Name),
      email: r.Email == null ? null : String(r.Email),
      phone: r.PhoneNumber == null ? null : String(r.PhoneNumber),
    })),
    addresses: table("Addresses").map((r) => ({ id: Number(r.AddressID), customer: Number(r.CustomerID) })),
    products: table("Products").map((r) => ({ id: Number(r.ProductID), price: String(r.Price) })),
    inventory: table("Inventory").map((r) => ({
      id: Number(r.InventoryID),
      product: Number(r.ProductID),
      stock: Number(r.QuantityInStock),
      threshold: Number(r.ReorderThreshold),
    })),
    orders: [],
    orderCounts: [],
    reviewCounts: [],
    items: [],
    carts: [],
    cartItems: [],
    paymentMethods: table("PaymentMethods").map((r) => ({ id: Number(r.PaymentMethodID) })),
  });
}

const KEYS: Record<KeyedTable, string> = {
  Customers: "CustomerID",
  Addresses: "AddressID",
  Orders: "OrderID",
  OrderItems: "OrderItemID",
  Payments: "PaymentID",
  Reasons: "ReasonID",
  Reviews: "ReviewID",
  ShoppingCarts: "CartID",
  CartItems: "CartItemID",
};

/** How far back (in order ids) delivered orders are loaded. */
const DELIVERED_WINDOW = 50_000;

/** Reads the model from the database (portable SQL: lower-case aliases, no LIMIT/TOP). */
export async function loadModel(db: SourceDb): Promise<FakerModel> {
  const num = (v: unknown) => Number(v);
  const nullableNum = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  const maxIds = {} as Record<KeyedTable, number>;
  for (const t of KEYED_TABLES) {
    const [r] = await db.query<{ m: unknown }>(`SELECT MAX(${KEYS[t]}) AS m FROM ${t}`);
    maxIds[t] = r.m == null ? 0 : Number(r.m);
  }
  const since = maxIds.Orders - DELIVERED_WINDOW;
  const open =
    `(StatusID IN (${STATUS.Ordered}, ${STATUS.Shipped}) OR (StatusID = ${STATUS.Delivered} AND OrderID > ?))`;
  const q = <T extends Record<string, unknown>>(sql: string, params: number[] = []) =>
    db.query<T>(sql, params);
  return modelFromRows({
    maxIds,
    customers: (await q<{ id: unknown; name: string; email: string | null; phone: string | null }>(
      "SELECT CustomerID AS id, Name AS name, Email AS email, PhoneNumber AS phone FROM Customers ORDER BY CustomerID",
    )).map((r) => ({ ...r, id: num(r.id) })),
    addresses: (await q<{ id: unknown; customer: unknown }>(
      "SELECT AddressID AS id, CustomerID AS customer FROM Addresses ORDER BY AddressID",
    )).map((r) => ({ id: num(r.id), customer: num(r.customer) })),
    products: (await q<{ id: unknown; price: unknown }>(
      db.dialect === "sqlserver"
        ? "SELECT ProductID AS id, CAST(Price AS varchar(40)) AS price FROM Products ORDER BY ProductID"
        : "SELECT ProductID AS id, Price AS price FROM Products ORDER BY ProductID",
    )).map((r) => ({ id: num(r.id), price: String(r.price) })),
    inventory: (await q<{ id: unknown; product: unknown; stock: unknown; threshold: unknown }>(
      "SELECT InventoryID AS id, ProductID AS product, QuantityInStock AS stock, ReorderThreshold AS threshold FROM Inventory ORDER BY InventoryID",
    )).map((r) => ({
      id: num(r.id),
      product: num(r.product),
      stock: num(r.stock),
      threshold: num(r.threshold),
    })),
    orders: (await q<{ id: unknown; customer: unknown; status: unknown }>(
      `SELECT OrderID AS id, CustomerID AS customer, StatusID AS status FROM Orders WHERE ${open} ORDER BY OrderID`,
      [since],
    )).map((r) => ({ id: num(r.id), customer: nullableNum(r.customer), status: num(r.status) })),
    orderCounts: (await q<{ customer: unknown; n: unknown }>(
      "SELECT CustomerID AS customer, COUNT(*) AS n FROM Orders WHERE CustomerID IS NOT NULL GROUP BY CustomerID ORDER BY CustomerID",
    )).map((r) => ({ customer: num(r.customer), n: num(r.n) })),
    reviewCounts: (await q<{ customer: unknown; n: unknown }>(
      "SELECT CustomerID AS customer, COUNT(*) AS n FROM Reviews WHERE CustomerID IS NOT NULL GROUP BY CustomerID ORDER BY CustomerID",
    )).map((r) => ({ customer: num(r.customer), n: num(r.n) })),
    items: (await q<{ o: unknown; product: unknown; qty: unknown }>(
      `SELECT OrderID AS o, ProductID AS product, Quantity AS qty FROM OrderItems
       WHERE OrderID IN (SELECT OrderID FROM Orders WHERE ${open}) ORDER BY OrderItemID`,
      [since],
    )).map((r) => ({ order: num(r.o), product: num(r.product), qty: num(r.qty) })),
    carts: (await q<{ id: unknown; customer: unknown }>(
      "SELECT CartID AS id, CustomerID AS customer FROM ShoppingCarts ORDER BY CartID",
    ))
      .map((r) => ({ id: num(r.id), customer: nullableNum(r.customer) })),
    cartItems: (await q<{ id: unknown; cart: unknown; product: unknown; qty: unknown }>(
      "SELECT CartItemID AS id, CartID AS cart, ProductID AS product, Quantity AS qty FROM CartItems ORDER BY CartItemID",
    )).map((r) => ({ id: num(r.id), cart: num(r.cart), product: num(r.product), qty: num(r.qty) })),
    paymentMethods:
      (await q<{ id: unknown }>("SELECT PaymentMethodID AS id FROM PaymentMethods ORDER BY PaymentMethodID"))
        .map((r) => ({ id: num(r.id) })),
  });
}
