import assert from "node:assert/strict";
import { OperatorSet } from "../../pipeline/stream/operators/mod.ts";
import { OperatorWorkload } from "./operator_workload.ts";

Deno.test("OperatorWorkload emits valid events in position order, the same for the same seed", () => {
  const a = new OperatorWorkload(1, 20);
  const events = [...a.catalog(), ...a.customerSnapshot(50), ...a.mix(2000)];
  const set = new OperatorSet();
  assert.deepEqual(set.problems(events), []);
  assert.ok(events.every((e, i) => i === 0 || events[i - 1].position < e.position));
  const tables = new Set(events.map((e) => e.table));
  for (const t of ["orders", "order_items", "inventory", "customers", "reviews", "products"]) {
    assert.ok(tables.has(t), t);
  }
  const changes = set.apply(events);
  assert.ok(changes.get("sales_per_minute")!.upserts.length > 0);
  assert.ok(changes.get("customers_scd2")!.upserts.length > 50, "customer updates open versions");
  const b = new OperatorWorkload(1, 20);
  const again = [...b.catalog(), ...b.customerSnapshot(50), ...b.mix(2000)];
  assert.deepEqual(
    again.map((e) => e.position + e.table + e.op),
    events.map((e) => e.position + e.table + e.op),
  );
});
