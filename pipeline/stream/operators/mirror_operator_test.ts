import assert from "node:assert/strict";
import type { ChangeEvent } from "../../cdc/change_event.ts";
import { Decimal, type Row } from "../../value/mod.ts";
import { Prng } from "./_prng.ts";
import { referenceMirror } from "./_reference_model.ts";
import { deliver, randomHistory, SourceSimulator, tableDef } from "./_source_simulator.ts";
import { assertSameRows, sortRows, TableImage } from "./_table_image.ts";
import { MirrorOperator, mirrorTable } from "./mirror_operator.ts";

const PRODUCTS = tableDef("products");

function product(sim: SourceSimulator, id: number, name: string, price = "10.00"): Row {
  return {
    product_id: id,
    name,
    description: null,
    price: Decimal.parse(price),
    category_id: 1,
    seller_id: null,
    created_at: sim.now,
    updated_at: sim.now,
  };
}

/** Runs batches through a fresh operator and returns the table it produces. */
function run(
  batches: ChangeEvent[][],
  op = new MirrorOperator(PRODUCTS),
): { op: MirrorOperator; rows: Row[] } {
  const image = new TableImage(op.outputs);
  for (const b of batches) image.apply(op.apply(b));
  return { op, rows: image.rows("products") };
}

function expected(events: ChangeEvent[]): Row[] {
  return sortRows(referenceMirror(PRODUCTS, events), PRODUCTS.key);
}

Deno.test("mirrorTable() adds source_position and source_commit_ts to the source columns", () => {
  const t = mirrorTable(PRODUCTS);
  assert.equal(t.name, "products");
  assert.deepEqual(t.key, ["product_id"]);
  assert.deepEqual(t.schema.fields.slice(-2).map((f) => [f.name, f.type, f.nullable]), [
    ["source_position", "string", false],
    ["source_commit_ts", "timestamp", false],
  ]);
  assert.equal(t.schema.fields.find((f) => f.name === "price")!.type, "decimal(18,2)");
});

Deno.test("MirrorOperator.apply() keeps the last change by position and applies deletes", () => {
  const sim = new SourceSimulator();
  sim.insert("products", product(sim, 1, "Lamp"));
  sim.insert("products", product(sim, 2, "Desk"));
  sim.update("products", 1, { name: "Lamp XL" });
  sim.delete("products", 2);
  const { rows } = run([sim.events]);
  assert.equal(rows.length, 1);
  assert.equal(rows[0].name, "Lamp XL");
  assert.equal(rows[0].source_position, sim.events[2].position);
  assertSameRows(rows, expected(sim.events), "products");
});

Deno.test("MirrorOperator.apply() ignores a late older change and emits nothing for it", () => {
  const sim = new SourceSimulator();
  sim.insert("products", product(sim, 1, "Lamp"));
  sim.update("products", 1, { name: "Lamp XL" });
  const [insert, update] = sim.events;
  const op = new MirrorOperator(PRODUCTS);
  const first = op.apply([update]);
  assert.equal(first.get("products")!.upserts[0].name, "Lamp XL");
  assert.equal(op.apply([insert]).size, 0);
  assert.equal(op.apply([update, update]).size, 0, "a replayed change is a no-op");
});

Deno.test("MirrorOperator.apply() keeps a deleted row deleted when an older change arrives after the delete", () => {
  const sim = new SourceSimulator();
  sim.insert("products", product(sim, 1, "Lamp"));
  sim.update("products", 1, { name: "Lamp XL" });
  sim.delete("products", 1);
  const [insert, update, del] = sim.events;
  const { rows } = run([[insert], [del], [update]]);
  assert.deepEqual(rows, []);
});

Deno.test("MirrorOperator.apply() re-inserts after a delete and treats snapshot reads as upserts", () => {
  const sim = new SourceSimulator();
  sim.insert("products", product(sim, 1, "Lamp"));
  sim.delete("products", 1);
  sim.insert("products", product(sim, 1, "Lamp II", "12.50"));
  sim.insert("products", product(sim, 2, "Desk"));
  sim.snapshot("products");
  const { rows } = run([sim.events.slice(0, 2), sim.events.slice(2)]);
  assert.deepEqual(rows.map((r) => [r.product_id, r.name]), [[1, "Lamp II"], [2, "Desk"]]);
  assert.equal(rows[0].source_position, sim.events.at(-1)!.position, "the re-snapshot is the latest change");
  assertSameRows(rows, expected(sim.events), "products");
});

Deno.test("MirrorOperator.apply() emits each key once per batch and a delete only for a live row", () => {
  const sim = new SourceSimulator();
  sim.insert("products", product(sim, 1, "Lamp"));
  sim.delete("products", 1);
  sim.insert("products", product(sim, 2, "Desk"));
  sim.delete("products", 2);
  const op = new MirrorOperator(PRODUCTS);
  op.apply([sim.events[0]]);
  const out = op.apply(sim.events).get("products")!;
  assert.deepEqual(out.deletes, [{ product_id: 1 }]);
  assert.deepEqual(out.upserts, []);
  assert.equal(op.rowCount, 0);
});

Deno.test("MirrorOperator.apply() rejects a bad event and leaves its state unchanged", () => {
  const sim = new SourceSimulator();
  sim.insert("products", product(sim, 1, "Lamp"));
  sim.insert("products", { ...product(sim, 2, "Desk"), price: 3 });
  const op = new MirrorOperator(PRODUCTS);
  assert.throws(() => op.apply(sim.events), /position "000000000002" to "products": column "price"/);
  assert.equal(op.rowCount, 0);
});

Deno.test("MirrorOperator.restore() continues exactly where snapshotState() was taken", () => {
  const rng = new Prng(5);
  const sim = new SourceSimulator();
  randomHistory(sim, PRODUCTS, rng, 20, 300);
  const batches = deliver(sim.events, rng, { duplicates: 0.2, order: "shuffle", maxBatch: 40 });
  const half = Math.floor(batches.length / 2);
  const first = new MirrorOperator(PRODUCTS);
  const image = new TableImage(first.outputs);
  for (const b of batches.slice(0, half)) image.apply(first.apply(b));
  const second = new MirrorOperator(PRODUCTS);
  second.restore(first.snapshotState());
  for (const b of batches.slice(half)) image.apply(second.apply(b));
  assertSameRows(image.rows("products"), expected(sim.events), "products after restore");
  assert.throws(() => new MirrorOperator(tableDef("orders")).restore(first.snapshotState()), RangeError);
});

Deno.test("MirrorOperator.rebuildFromRows() continues in-order changes exactly from the table", async () => {
  const rng = new Prng(6);
  const sim = new SourceSimulator();
  randomHistory(sim, PRODUCTS, rng, 20, 200);
  const cut = sim.events.length;
  randomHistory(sim, PRODUCTS, rng, 20, 200);
  const { rows } = run([sim.events.slice(0, cut)]);
  const op = new MirrorOperator(PRODUCTS);
  await op.rebuildFromRows(rows);
  const image = new TableImage(op.outputs);
  image.apply(new Map([["products", { upserts: rows, deletes: [] }]]));
  for (const b of deliver(sim.events.slice(cut), rng, { duplicates: 0.1, order: "local", maxBatch: 30 })) {
    image.apply(op.apply(b));
  }
  assertSameRows(image.rows("products"), expected(sim.events), "products after rebuild");
  await assert.rejects(op.rebuildFromRows([{ product_id: 1 }]), /no source_position/);
  assert.equal(op.rowCount, image.rows("products").length, "a failed rebuild keeps the state");
});

Deno.test("MirrorOperator output equals the reference for random histories, orders and batch splits", () => {
  for (const name of ["products", "orders", "inventory", "addresses"]) {
    const def = tableDef(name);
    for (let seed = 1; seed <= 25; seed++) {
      const rng = new Prng(seed * 7919);
      const sim = new SourceSimulator();
      randomHistory(sim, def, rng, rng.between(1, 30), rng.between(1, 400));
      const order = rng.pick(["shuffle", "local", "in-order"] as const);
      const batches = deliver(sim.events, rng, { duplicates: 0.15, order, maxBatch: rng.between(1, 80) });
      const op = new MirrorOperator(def);
      const image = new TableImage(op.outputs);
      for (const b of batches) image.apply(op.apply(b));
      assertSameRows(
        image.rows(name),
        sortRows(referenceMirror(def, sim.events), def.key),
        `${name}, seed ${seed}, ${order}`,
      );
    }
  }
});
