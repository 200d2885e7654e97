import assert from "node:assert/strict";
import { ECOMMERCE_TABLES } from "../catalog/mod.ts";
import { createOperators } from "./operators/mod.ts";
import { assignShards, planShards } from "./shard_plan.ts";

Deno.test("planShards() groups the product's operators by the tables they share", () => {
  const shards = planShards(createOperators());
  const sales = shards.find((s) => s.name === "sales")!;
  assert.ok(sales.operators.includes("sales_aggregates"));
  assert.deepEqual(sales.operators.filter((o) => o !== "sales_aggregates").sort(), sales.tables);
  assert.ok(sales.tables.includes("orders") && sales.tables.includes("order_items"));
  assert.deepEqual(shards.find((s) => s.name === "customers_scd2")?.tables, ["customers"]);
  // Every catalog table is read by exactly one shard, every operator runs in exactly one.
  const tables = shards.flatMap((s) => s.tables).sort();
  assert.deepEqual(tables, ECOMMERCE_TABLES.map((t) => t.name).sort());
  assert.equal(shards.flatMap((s) => s.operators).length, createOperators().length);
  for (const s of shards.filter((s) => s.operators.length === 1 && s.name !== "customers_scd2")) {
    assert.deepEqual(s.tables, [s.name], `lone mirror ${s.name}`);
  }
});

Deno.test("assignShards() balances by weight and gives every instance the same answer", () => {
  const shards = [
    { name: "sales", weight: 12 },
    { name: "customers_scd2", weight: 1 },
    ...["a", "b", "c", "d"].map((name) => ({ name, weight: 1 })),
  ];
  const two = assignShards(shards, ["i2", "i1"]);
  assert.equal(two.get("sales"), "i1");
  assert.deepEqual([...two].filter(([, i]) => i === "i2").map(([s]) => s).sort(), [
    "a",
    "b",
    "c",
    "customers_scd2",
    "d",
  ]);
  assert.deepEqual(assignShards([...shards].reverse(), ["i1", "i2", "i1"]), two);
  const one = assignShards(shards, ["solo"]);
  assert.deepEqual([...one.values()], shards.map(() => "solo"));
  assert.equal(assignShards(shards, []).size, 0);
});

Deno.test("assignShards() leaves a shard to instances that can run it", () => {
  const owner = assignShards(
    [{ name: "sales", weight: 1 }, { name: "x", weight: 5 }],
    ["new", "old"],
    (instance, shard) => instance === "new" || shard !== "x",
  );
  assert.equal(owner.get("x"), "new");
  assert.equal(owner.get("sales"), "old");
  assert.equal(assignShards([{ name: "x", weight: 1 }], ["old"], (_, s) => s !== "x").size, 0);
});

Deno.test("assignShards() keeps a shard where it runs on a tie and moves it only for the balance", () => {
  const shards = [{ name: "sales", weight: 12 }, { name: "x", weight: 1 }, { name: "y", weight: 1 }];
  // i2 ran everything alone; i1 (first in sorted order) joins: sales stays, the small ones go to i1.
  const joined = assignShards(shards, ["i1", "i2"], undefined, (i) => i === "i2");
  assert.deepEqual(Object.fromEntries(joined), { sales: "i2", x: "i1", y: "i1" });
  // Without holders the first in sorted order gets the heaviest shard.
  assert.equal(assignShards(shards, ["i1", "i2"]).get("sales"), "i1");
  // Holding does not beat a lower load.
  const uneven = assignShards(
    [{ name: "a", weight: 5 }, { name: "b", weight: 4 }, { name: "c", weight: 1 }],
    ["i1", "i2"],
    undefined,
    (i, s) => i === "i1" && s === "b",
  );
  assert.deepEqual(Object.fromEntries(uneven), { a: "i1", b: "i2", c: "i2" });
});
