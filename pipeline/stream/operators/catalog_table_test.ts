import assert from "node:assert/strict";
import { catalogTable } from "./catalog_table.ts";

Deno.test("catalogTable() finds a table by lake name and names a missing one", () => {
  assert.deepEqual(catalogTable("order_items").key, ["order_item_id"]);
  assert.throws(() => catalogTable("nope"), /Cannot find table "nope" in the catalog/);
});
