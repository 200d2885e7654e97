/**
 * The reference data and starting catalog that setup loads, generated deterministically from a seed (like the
 * original `fake-db-new.py`, minus its random history): the same seed always gives the same rows.
 *
 * @module
 */
import { en, Faker } from "@faker-js/faker";
import { Decimal } from "../../pipeline/value/mod.ts";
import type { SqlValue } from "./db/source_db.ts";

/** A row to insert: source column name → value. */
export type SeedRow = Record<string, SqlValue>;

/** Rows per source table, in an order that satisfies foreign keys. */
export interface SeedData {
  /** Reference tables: rows whose key is missing are inserted on every setup run. */
  reference: { table: string; key: string; rows: SeedRow[] }[];
  /** Catalog tables: loaded only into an empty table, since the faker changes them afterwards. */
  catalog: { table: string; key: string; rows: SeedRow[] }[];
}

/** The default seed of setup's catalog. */
export const DEFAULT_SEED = 42;

/** Order statuses, ids fixed: the faker and the lake's views refer to them by id. */
export const ORDER_STATUSES = [
  { id: 1, name: "Ordered", description: "Order placed, awaiting shipment" },
  { id: 2, name: "Shipped", description: "Handed to the carrier" },
  { id: 3, name: "Delivered", description: "Received by the customer" },
  { id: 4, name: "Returned", description: "Sent back by the customer and restocked" },
  { id: 5, name: "Cancelled", description: "Cancelled before shipment and restocked" },
] as const;

/** Status ids by name. */
export const STATUS = { Ordered: 1, Shipped: 2, Delivered: 3, Returned: 4, Cancelled: 5 } as const;

const PAYMENT_METHODS = [
  ["Credit Card", "Visa, Mastercard, American Express"],
  ["Debit Card", "Direct debit from a bank card"],
  ["PayPal", "PayPal wallet"],
  ["Bank Transfer", "Wire transfer before shipment"],
  ["Cash on Delivery", "Paid in cash to the courier"],
] as const;

const CATEGORIES: readonly [string, string, readonly string[]][] = [
  ["Electronics", "Phones, computers and gadgets", [
    "Headphones",
    "Smartwatch",
    "Charger",
    "Speaker",
    "Tablet",
  ]],
  ["Fashion", "Clothing, shoes and accessories", ["T-Shirt", "Sneakers", "Jacket", "Backpack", "Scarf"]],
  ["Home & Kitchen", "Furniture, cookware and decor", ["Blender", "Pan", "Lamp", "Kettle", "Cushion"]],
  ["Books", "Printed and electronic books", ["Novel", "Cookbook", "Atlas", "Biography", "Comic"]],
  ["Sports & Outdoors", "Equipment for sport and travel", [
    "Yoga Mat",
    "Tent",
    "Football",
    "Bottle",
    "Racket",
  ]],
  ["Beauty", "Cosmetics and personal care", ["Serum", "Lipstick", "Shampoo", "Perfume", "Cream"]],
  ["Toys & Games", "Toys, puzzles and board games", ["Puzzle", "Board Game", "Robot Kit", "Doll", "Blocks"]],
  ["Grocery", "Food and drinks", ["Coffee", "Tea", "Olive Oil", "Chocolate", "Honey"]],
  ["Automotive", "Car parts and accessories", ["Wiper", "Car Mount", "Tire Gauge", "Dash Cam", "Seat Cover"]],
  ["Health", "Health and wellness products", ["Vitamins", "Thermometer", "First Aid Kit", "Mask", "Scale"]],
];

/** Inventory regions and the share of products each stocks (as the original seeder). */
export const REGIONS: readonly [string, number][] = [
  ["Asia", 1.0],
  ["Europe", 0.7],
  ["North America", 0.5],
  ["South America", 0.3],
  ["Australia", 0.2],
  ["Africa", 0.1],
];

const SELLERS = 40;
const CUSTOMERS = 70;
const PRODUCTS = 60;

/** Money from integer cents, exact. */
export function cents(n: number): Decimal {
  return new Decimal(BigInt(n), 2);
}

/** A seeded Faker (English), independent of the library's global instance. */
export function seededFaker(seed: number): Faker {
  const f = new Faker({ locale: [en] });
  f.seed(seed);
  return f;
}

/** A phone number that fits the schema's 20 characters. */
export function phoneNumber(f: Faker): string {
  return f.phone.number({ style: "national" }).slice(0, 20);
}

/** A customer email that is unique by construction (the id is part of it). */
export function customerEmail(f: Faker, name: string, id: number): string {
  const [first, ...rest] = name.replace(/[^A-Za-z ]/g, "").split(" ").filter(Boolean);
  const local = `${(first ?? "customer").toLowerCase()}.${(rest.at(-1) ?? "x").toLowerCase()}.${id}`;
  return `${local}@${f.internet.domainName()}`.slice(0, 100);
}

/** One or two addresses of a customer, billing and shipping flags set like a real shop. */
export function customerAddresses(f: Faker, customerId: number, firstAddressId: number): SeedRow[] {
  const count = f.number.int({ min: 1, max: 2 });
  const rows: SeedRow[] = [];
  for (let i = 0; i < count; i++) {
    rows.push({
      AddressID: firstAddressId + i,
      CustomerID: customerId,
      AddressLine: f.location.streetAddress().slice(0, 100),
      City: f.location.city().slice(0, 50),
      State: f.location.state().slice(0, 50),
      ZipCode: f.location.zipCode().slice(0, 20),
      Country: f.location.country().slice(0, 50),
      IsBillingAddress: i === 0,
      IsShippingAddress: count === 1 || i === 1,
    });
  }
  return rows;
}

/** Generates the reference data and starting catalog from `seed`. Pure. */
export function seedCatalog(seed: number = DEFAULT_SEED): SeedData {
  const f = seededFaker(seed);
  const statuses = ORDER_STATUSES.map((s) => ({
    StatusID: s.id,
    StatusName: s.name,
    StatusDescription: s.description,
  }));
  const methods = PAYMENT_METHODS.map(([name, description], i) => ({
    PaymentMethodID: i + 1,
    MethodName: name,
    MethodDescription: description,
  }));
  const categories = CATEGORIES.map(([name, description], i) => ({
    CategoryID: i + 1,
    CategoryName: name,
    CategoryDescription: description,
  }));
  const sellers: SeedRow[] = [];
  for (let id = 1; id <= SELLERS; id++) {
    const name = f.company.name().slice(0, 100);
    sellers.push({
      SellerID: id,
      Name: name,
      Email: `sales@${f.internet.domainWord()}-${id}.example`.slice(0, 100),
      PhoneNumber: phoneNumber(f),
    });
  }
  const customers: SeedRow[] = [];
  const addresses: SeedRow[] = [];
  for (let id = 1; id <= CUSTOMERS; id++) {
    const name = f.person.fullName().slice(0, 100);
    customers.push({
      CustomerID: id,
      Name: name,
      Email: customerEmail(f, name, id),
      PhoneNumber: phoneNumber(f),
    });
    addresses.push(...customerAddresses(f, id, addresses.length + 1));
  }
  const products: SeedRow[] = [];
  const prices: number[] = [];
  for (let id = 1; id <= PRODUCTS; id++) {
    const category = f.number.int({ min: 1, max: CATEGORIES.length });
    const kind = f.helpers.arrayElement(CATEGORIES[category - 1][2]);
    const code = `${f.string.alpha({ length: 2, casing: "upper" })}-${String(id).padStart(3, "0")}`;
    const price = f.number.int({ min: 500, max: 50_000 });
    prices.push(price);
    products.push({
      ProductID: id,
      Name: `${f.commerce.productAdjective()} ${kind} ${code}`.slice(0, 100),
      Description: f.commerce.productDescription(),
      Price: cents(price),
      CategoryID: category,
      SellerID: f.number.int({ min: 1, max: SELLERS }),
    });
  }
  const inventory: SeedRow[] = [];
  for (const [region, share] of REGIONS) {
    const stocked = f.helpers.arrayElements(products, Math.round(products.length * share));
    stocked.sort((a, b) => Number(a.ProductID) - Number(b.ProductID));
    for (const p of stocked) {
      const price = prices[Number(p.ProductID) - 1];
      inventory.push({
        InventoryID: inventory.length + 1,
        InventoryName: region,
        ProductID: p.ProductID,
        QuantityInStock: f.number.int({ min: 0, max: 1000 }),
        ReorderThreshold: f.number.int({ min: 10, max: 50 }),
        UnitCost: cents(Math.round(price * f.number.float({ min: 0.5, max: 0.8, fractionDigits: 3 }))),
      });
    }
  }
  return {
    reference: [
      { table: "OrderStatus", key: "StatusID", rows: statuses },
      { table: "PaymentMethods", key: "PaymentMethodID", rows: methods },
      { table: "ProductCategories", key: "CategoryID", rows: categories },
      { table: "Sellers", key: "SellerID", rows: sellers },
    ],
    catalog: [
      { table: "Customers", key: "CustomerID", rows: customers },
      { table: "Addresses", key: "AddressID", rows: addresses },
      { table: "Products", key: "ProductID", rows: products },
      { table: "Inventory", key: "InventoryID", rows: inventory },
    ],
  };
}
