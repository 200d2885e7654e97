import assert from "node:assert/strict";
import { Naming, tableFromTopic } from "./naming.ts";

Deno.test("Naming.table() maps SQL Server, PostgreSQL and lake spellings to one lake table", () => {
  const n = new Naming();
  for (const source of ["OrderItems", "orderitems", "order_items", "ORDERITEMS"]) {
    assert.equal(n.table(source).name, "order_items");
  }
  assert.equal(n.table("OrderItems").column("OrderItemID"), "order_item_id");
  assert.equal(n.table("orderitems").column("orderitemid"), "order_item_id");
  assert.equal(n.table("orderitems").columnDef("currentprice")?.type, "decimal(18,2)");
});

Deno.test("Naming.table() falls back to snake_case for unknown tables and columns", () => {
  const n = new Naming();
  const t = n.table("EmpGpsData");
  assert.equal(t.name, "emp_gps_data");
  assert.equal(t.def, undefined);
  assert.equal(t.column("HisUid"), "his_uid");
  assert.equal(n.table("Customers").column("LoyaltyTier"), "loyalty_tier");
  assert.equal(n.table("Customers").columnDef("LoyaltyTier"), undefined);
});

Deno.test("tableFromTopic() takes the table from SQL Server and PostgreSQL topic names", () => {
  assert.equal(tableFromTopic("server_docker.testdb.dbo.Customers"), "Customers");
  assert.equal(tableFromTopic("lakestream.public.orderitems"), "orderitems");
  assert.equal(new Naming().table(tableFromTopic("lakestream.public.orderitems")).name, "order_items");
});
