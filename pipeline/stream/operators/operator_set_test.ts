import assert from "node:assert/strict";
import { ECOMMERCE_TABLES } from "../../catalog/mod.ts";
import type { ChangeEvent } from "../../cdc/change_event.ts";
import type { Row } from "../../value/mod.ts";
import { commerceHistory } from "./_commerce_history.ts";
import { Prng } from "./_prng.ts";
import { referenceMirror, referenceOrderInsertCommits, referenceScd2 } from "./_reference_model.ts";
import { deliver, randomHistory, SourceSimulator, tableDef } from "./_source_simulator.ts";
import { assertSameRows, sortRows, TableImage } from "./_table_image.ts";
import { referenceCustomerLtv } from "./customer_ltv.ts";
import { referenceInventoryLevels } from "./inventory_levels.ts";
import { MirrorOperator } from "./mirror_operator.ts";
import { createOperators, OperatorSet } from "./operator_set.ts";
import { referenceOrderStatusCounts } from "./order_status_counts.ts";
import { referenceProductSales } from "./product_sales.ts";
import { referenceSalesPerMinute } from "./sales_per_minute.ts";
import type { SalesSource } from "./sales_source.ts";

Deno.test("OperatorSet writes the product's lake tables, each keyed by non-null columns of its schema", () => {
  const set = new OperatorSet();
  const names = set.outputs.map((t) => t.name);
  assert.deepEqual(
    names.sort(),
    [
      ...ECOMMERCE_TABLES.map((t) => t.name).filter((n) => n !== "customers"),
      "customer_ltv",
      "customers_scd2",
      "inventory_levels",
      "order_status_counts",
      "product_sales",
      "sales_per_minute",
    ].sort(),
  );
  for (const t of set.outputs) {
    for (const k of t.key) {
      assert.ok(t.schema.fields.some((f) => f.name === k && !f.nullable), `${t.name}.${k}`);
    }
  }
  const money = set.outputs.flatMap((t) => t.schema.fields).filter((f) =>
    String(f.type).startsWith("decimal")
  );
  assert.ok(
    money.every((f) =>
      f.type === "decimal(18,2)" || f.type === "decimal(38,2)" || f.type === "decimal(18,1)"
    ),
  );
});

Deno.test("OperatorSet refuses two operators writing one table", () => {
  const orders = tableDef("orders");
  assert.throws(
    () => new OperatorSet([new MirrorOperator(orders), new MirrorOperator(orders)]),
    /appears twice/,
  );
});

function history(seed: number): SourceSimulator {
  const rng = new Prng(seed);
  const sim = new SourceSimulator();
  commerceHistory(sim, rng, { products: 6, customers: 12, seededOrders: 20, steps: 500 });
  randomHistory(sim, tableDef("customers"), rng, 12, 200);
  randomHistory(sim, tableDef("reviews"), rng, 10, 100);
  return sim;
}

function expected(sim: SourceSimulator): Map<string, Row[]> {
  const out = new Map<string, Row[]>();
  for (const def of ECOMMERCE_TABLES) {
    if (def.name !== "customers") out.set(def.name, referenceMirror(def, sim.events));
  }
  const customers = tableDef("customers");
  out.set("customers_scd2", referenceScd2(customers, sim.events, ["name", "email", "phone_number"]));
  const source: SalesSource = {
    tables: sim.contents(),
    orderInsertCommits: referenceOrderInsertCommits(tableDef("orders"), sim.events),
  };
  out.set("sales_per_minute", referenceSalesPerMinute(source));
  out.set("product_sales", referenceProductSales(source));
  out.set("inventory_levels", referenceInventoryLevels(source));
  out.set("order_status_counts", referenceOrderStatusCounts(source));
  out.set("customer_ltv", referenceCustomerLtv(source));
  return out;
}

function assertTables(set: OperatorSet, image: TableImage, want: Map<string, Row[]>, what: string): void {
  for (const t of set.outputs) {
    assertSameRows(image.rows(t.name), sortRows(want.get(t.name)!, t.key), `${what}: ${t.name}`);
  }
}

Deno.test("OperatorSet output equals the reference model for every table, across a checkpoint restore", () => {
  for (let seed = 1; seed <= 6; seed++) {
    const sim = history(seed);
    const rng = new Prng(seed);
    const batches = deliver(sim.events, rng, { duplicates: 0.1, order: "local", window: 200, maxBatch: 300 });
    let set = new OperatorSet();
    const image = new TableImage(set.outputs);
    const cut = rng.int(batches.length);
    batches.forEach((b, i) => {
      if (i === cut) {
        const state = set.snapshotState();
        set = new OperatorSet();
        set.restore(state);
      }
      image.apply(set.apply(b));
    });
    assertTables(set, image, expected(sim), `seed ${seed}`);
  }
});

Deno.test("OperatorSet.apply() changes no operator when one event is bad, and problems() names it", () => {
  const sim = history(9);
  const events = sim.events.slice(0, 200);
  const bad: ChangeEvent = { ...events[150], after: { ...events[150].after, bogus: 1 } };
  const batch = [...events.slice(0, 150), bad, ...events.slice(151)];
  const set = new OperatorSet();
  const before = set.snapshotState();
  assert.throws(() => set.apply(batch), TypeError);
  assert.deepEqual(set.snapshotState(), before);
  const problems = set.problems(batch);
  assert.equal(problems.length, 1);
  assert.equal(problems[0].event, bad);
  assert.match(problems[0].problem, /column "bogus" is not in the catalog/);
  assert.equal(set.problems([{ ...bad, table: "not_captured" }]).length, 0);
});

Deno.test("OperatorSet.restore() refuses a snapshot of other operators", () => {
  const state = new OperatorSet(createOperators().slice(0, 3)).snapshotState();
  assert.throws(() => new OperatorSet().restore(state), /Cannot restore operators .*: the snapshot holds/);
  const set = new OperatorSet();
  const small = set.snapshotState({ omit: ["customers_scd2"] });
  assert.throws(() => new OperatorSet().restore(small), /the snapshot left out "customers_scd2"/);
  assert.throws(
    () => set.snapshotState({ omit: ["sales_aggregates"] }),
    /not an operator of this set that can rebuild/,
  );
  assert.throws(() => set.restore(small, { rebuild: ["nope"] }), /Cannot rebuild "nope"/);
});

Deno.test("OperatorSet checkpoints without its rebuildable operators and continues exactly after rebuilding them", async () => {
  const sim = history(21);
  const rng = new Prng(21);
  const batches = deliver(sim.events, rng, { duplicates: 0.05, order: "in-order", maxBatch: 300 });
  const half = Math.floor(batches.length / 2);
  const first = new OperatorSet();
  const image = new TableImage(first.outputs);
  for (const b of batches.slice(0, half)) image.apply(first.apply(b));
  const rebuildable = first.rebuildable;
  assert.equal(rebuildable.length, 15, "14 mirrors and customers_scd2");
  const small = first.snapshotState({ omit: rebuildable });
  assert.ok(small.length < first.snapshotState().length);

  const second = new OperatorSet();
  second.restore(small, { rebuild: rebuildable });
  for (const name of rebuildable) await second.rebuild(name, image.rows(name));
  await assert.rejects(second.rebuild("sales_aggregates", []), /Cannot rebuild "sales_aggregates"/);
  for (const b of batches.slice(half)) image.apply(second.apply(b));
  assertTables(second, image, expected(sim), "after rebuild");
});
