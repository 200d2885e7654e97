import assert from "node:assert/strict";
import { createOperators } from "./operators/mod.ts";
import { shardTopics } from "./run_shards.ts";
import { assignShardTopics } from "./shard_assigner.ts";
import { planShards } from "./shard_plan.ts";

const plan = shardTopics(planShards(createOperators()));
const topics = [
  "p.public.orders",
  "p.public.orderitems",
  "p.public.customers",
  "p.public.reviews",
  "p.public.unknown",
]
  .map((topic) => ({ topic, partitions: [1, 0] }));

Deno.test("shardTopics() maps a topic to the shard of its table, unknown tables to the heaviest shard", () => {
  assert.equal(plan.shardOf("p.public.orderitems"), "sales");
  assert.equal(plan.shardOf("server.testdb.dbo.Customers"), "customers_scd2");
  assert.equal(plan.shardOf("p.public.reviews"), "reviews");
  assert.equal(plan.shardOf("p.public.unknown"), "sales");
});

Deno.test("assignShardTopics() gives every partition of a shard's topics to one member of its instance", () => {
  const members = ["a", "b"].flatMap((instance) =>
    ["sales", "customers_scd2", "reviews"].map((shard) => ({
      memberId: `${shard}-${instance}`,
      instance,
      shard,
    }))
  );
  const out = assignShardTopics(members, topics, plan);
  assert.deepEqual(out.get("sales-a"), {
    "p.public.orders": [0, 1],
    "p.public.orderitems": [0, 1],
    "p.public.unknown": [0, 1],
  });
  assert.deepEqual(out.get("customers_scd2-b"), { "p.public.customers": [0, 1] });
  assert.deepEqual(out.get("reviews-b"), { "p.public.reviews": [0, 1] });
  for (const id of ["customers_scd2-a", "reviews-a", "sales-b"]) assert.deepEqual(out.get(id), {}, id);
});

Deno.test("assignShardTopics() moves a shard to the instance that still has a member for it", () => {
  const members = [
    { memberId: "m1", instance: "a", shard: "reviews" },
    { memberId: "m2", instance: "b", shard: "sales" },
    { memberId: "m0", instance: "b", shard: "sales" }, // a consumer of b that has not left yet
  ];
  const out = assignShardTopics(members, topics, plan);
  assert.deepEqual(Object.keys(out.get("m0")!).sort(), [
    "p.public.orderitems",
    "p.public.orders",
    "p.public.unknown",
  ]);
  assert.deepEqual(out.get("m2"), {});
  assert.deepEqual(out.get("m1"), { "p.public.reviews": [0, 1] });
});

Deno.test("assignShardTopics() leaves the sales shard with the instance that runs it when another joins", () => {
  const members = ["a", "b"].flatMap((instance) =>
    ["sales", "customers_scd2", "reviews"].map((shard) => ({
      memberId: `${shard}-${instance}`,
      instance,
      shard,
      holds: instance === "b",
    }))
  );
  const out = assignShardTopics(members, topics, plan);
  assert.deepEqual(Object.keys(out.get("sales-b")!).sort(), [
    "p.public.orderitems",
    "p.public.orders",
    "p.public.unknown",
  ]);
  assert.deepEqual(out.get("sales-a"), {});
  assert.deepEqual(out.get("customers_scd2-a"), { "p.public.customers": [0, 1] });
  assert.deepEqual(out.get("reviews-a"), { "p.public.reviews": [0, 1] });
});
