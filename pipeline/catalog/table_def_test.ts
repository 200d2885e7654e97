import assert from "node:assert/strict";
import { ECOMMERCE_TABLES, normalizeName, snakeCase } from "./mod.ts";

Deno.test("snakeCase() turns the original's names into lake names", () => {
  const cases: [string, string][] = [
    ["CustomerID", "customer_id"],
    ["OrderItems", "order_items"],
    ["QuantityInStock", "quantity_in_stock"],
    ["IsBillingAddress", "is_billing_address"],
    ["OrderStatus", "order_status"],
    ["customer_id", "customer_id"],
  ];
  for (const [input, want] of cases) assert.equal(snakeCase(input), want);
});

Deno.test("normalizeName() matches SQL Server, PostgreSQL and lake spellings", () => {
  assert.equal(normalizeName("CustomerID"), normalizeName("customerid"));
  assert.equal(normalizeName("customer_id"), normalizeName("CUSTOMERID"));
});

Deno.test("ECOMMERCE_TABLES has 15 tables with unique lake names and keys among their columns", () => {
  assert.equal(ECOMMERCE_TABLES.length, 15);
  assert.equal(new Set(ECOMMERCE_TABLES.map((t) => t.name)).size, 15);
  for (const t of ECOMMERCE_TABLES) {
    for (const k of t.key) assert.ok(t.columns.some((c) => c.name === k && !c.nullable), `${t.name}.${k}`);
  }
});
