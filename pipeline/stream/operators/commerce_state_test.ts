import assert from "node:assert/strict";
import { Decimal } from "../../value/mod.ts";
import { ByteReader, ByteWriter } from "./byte_buffer.ts";
import { CommerceState } from "./commerce_state.ts";
import { SourceSimulator } from "./_source_simulator.ts";
import { DEFAULT_SALES_RULES } from "./sales_rules.ts";
import { commerceHistory } from "./_commerce_history.ts";
import { Prng } from "./_prng.ts";

Deno.test("CommerceState.facts() sums an order's live items and follows the sale rules", () => {
  const sim = new SourceSimulator(0);
  sim.insert("orders", {
    order_id: 1,
    order_number: "A",
    total_amount: Decimal.parse("0"),
    status_id: 4,
    customer_id: 2,
    created_at: sim.now,
    updated_at: sim.now,
  });
  for (const [id, q] of [[1, 2], [2, 3]]) {
    sim.insert("order_items", {
      order_item_id: id,
      order_id: 1,
      product_id: 5,
      quantity: q,
      current_price: Decimal.parse("1.25"),
      created_at: sim.now,
      updated_at: sim.now,
    });
  }
  sim.delete("order_items", 2);
  const state = new CommerceState(DEFAULT_SALES_RULES);
  const plan = state.plan(sim.events);
  assert.deepEqual([...state.affectedOrders(plan)], [1]);
  state.applyPlan(plan);
  const f = state.facts(1)!;
  assert.deepEqual([f.units, f.cents, f.sale, f.customerId, f.lines.length], [2, 250n, false, 2, 1]);
  assert.equal(state.facts(2), null);
});

Deno.test("CommerceState.write() and read() round-trip records, tombstones and indexes", () => {
  const sim = new SourceSimulator();
  commerceHistory(sim, new Prng(4), { products: 5, customers: 5, seededOrders: 10, steps: 300 });
  const state = new CommerceState(DEFAULT_SALES_RULES);
  state.applyPlan(state.plan(sim.events));
  const w = new ByteWriter();
  state.write(w);
  const copy = new CommerceState(DEFAULT_SALES_RULES);
  const r = new ByteReader(w.finish(), "commerce state");
  copy.read(r);
  r.end();
  assert.deepEqual(copy.orders, state.orders);
  assert.deepEqual(copy.items, state.items);
  assert.deepEqual(copy.inventory, state.inventory);
  for (const id of state.orders.keys()) assert.deepEqual(copy.facts(id), state.facts(id));
  assert.deepEqual(
    new Map([...copy.productInventory].map(([k, v]) => [k, [...v].sort()])),
    new Map([...state.productInventory].map(([k, v]) => [k, [...v].sort()])),
  );
});
