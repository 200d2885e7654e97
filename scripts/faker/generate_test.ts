import assert from "node:assert/strict";
import { seedCatalog } from "../setup/mod.ts";
import { generateOperations, OperationGenerator } from "./generate.ts";
import { modelFromSeed } from "./model.ts";
import { DEFAULT_WEIGHTS } from "./operation.ts";

Deno.test("generateOperations() with the same seed twice gives identical operations", () => {
  const a = generateOperations(modelFromSeed(seedCatalog()), 3000, { seed: 11 });
  const b = generateOperations(modelFromSeed(seedCatalog()), 3000, { seed: 11 });
  assert.deepEqual(a, b);
  const c = generateOperations(modelFromSeed(seedCatalog()), 3000, { seed: 12 });
  assert.notDeepEqual(a, c);
});

Deno.test("generateOperations() draws every kind and keeps the model's stock non-negative", () => {
  const model = modelFromSeed(seedCatalog());
  const ops = generateOperations(model, 20_000, { seed: 3 });
  const kinds = new Set(ops.map((o) => o.kind));
  assert.deepEqual([...kinds].sort(), Object.keys(DEFAULT_WEIGHTS).sort());
  for (const inv of model.inventory.values()) assert.ok(inv.stock >= 0, `inventory ${inv.id}: ${inv.stock}`);
  for (const op of ops) {
    if (op.kind === "newOrder") {
      assert.ok(op.lines.length >= 1 && op.lines.length <= 5);
      assert.equal(
        new Set(op.lines.map((l) => l.inventoryId)).size,
        op.lines.length,
        "one line per stock row",
      );
      const total = op.lines.reduce((s, l) => s + Number(l.price.unscaled) * l.quantity, 0);
      assert.equal(Number(op.total.unscaled), total);
      assert.equal(op.total.scale, 2);
    }
  }
});

Deno.test("OperationGenerator honours weights: only kinds with weight > 0 are drawn", () => {
  const g = new OperationGenerator(modelFromSeed(seedCatalog()), {
    seed: 5,
    weights: {
      ...Object.fromEntries(Object.keys(DEFAULT_WEIGHTS).map((k) => [k, 0])),
      newCustomer: 1,
      restock: 1,
    },
  });
  const kinds = new Set(Array.from({ length: 500 }, () => g.next().kind));
  assert.deepEqual([...kinds].sort(), ["newCustomer", "restock"]);
  assert.throws(
    () => new OperationGenerator(modelFromSeed(seedCatalog()), { weights: { newOrder: -1 } }),
    RangeError,
  );
});

Deno.test("generateOperations() updates customers with values that differ from the current ones", () => {
  const model = modelFromSeed(seedCatalog());
  const before = new Map([...model.customers.values()].map((c) => [c.id, { ...c }]));
  const ops = generateOperations(model, 5000, { seed: 9, weights: { updateCustomer: 100 } });
  let checked = 0;
  const current = new Map(
    [...before].map(([id, c]) => [id, { Name: c.name, Email: c.email, PhoneNumber: c.phone }]),
  );
  for (const op of ops) {
    if (op.kind !== "updateCustomer" || !current.has(op.customerId)) continue;
    const cur = current.get(op.customerId)!;
    for (const [k, v] of Object.entries(op.set)) {
      assert.notEqual(v, cur[k as keyof typeof cur], `${k} of customer ${op.customerId}`);
      (cur as Record<string, unknown>)[k] = v;
      checked++;
    }
  }
  assert.ok(checked > 1000);
});
