import assert from "node:assert/strict";
import type { ChangeEvent } from "../../cdc/change_event.ts";
import { Decimal, type Row, Timestamp } from "../../value/mod.ts";
import { commerceHistory } from "./_commerce_history.ts";
import { Prng } from "./_prng.ts";
import { referenceMirror, referenceOrderInsertCommits } from "./_reference_model.ts";
import { deliver, SourceSimulator, tableDef } from "./_source_simulator.ts";
import { assertSameRows, sortRows, TableImage } from "./_table_image.ts";
import { referenceCustomerLtv } from "./customer_ltv.ts";
import { referenceInventoryLevels } from "./inventory_levels.ts";
import { referenceOrderStatusCounts } from "./order_status_counts.ts";
import { referenceProductSales } from "./product_sales.ts";
import { SalesAggregatesOperator } from "./sales_aggregates_operator.ts";
import { referenceSalesPerMinute } from "./sales_per_minute.ts";
import type { SalesSource } from "./sales_source.ts";

const REFERENCES: [string, (s: SalesSource) => Row[]][] = [
  ["sales_per_minute", referenceSalesPerMinute],
  ["product_sales", referenceProductSales],
  ["inventory_levels", referenceInventoryLevels],
  ["order_status_counts", referenceOrderStatusCounts],
  ["customer_ltv", referenceCustomerLtv],
];

function run(batches: ChangeEvent[][], op = new SalesAggregatesOperator()): TableImage {
  const image = new TableImage(op.outputs);
  for (const b of batches) image.apply(op.apply(b));
  return image;
}

function sourceOf(sim: SourceSimulator): SalesSource {
  return {
    tables: sim.contents(),
    orderInsertCommits: referenceOrderInsertCommits(tableDef("orders"), sim.events),
  };
}

function assertMatchesReference(image: TableImage, source: SalesSource, what: string): void {
  for (const [name, reference] of REFERENCES) {
    const key = image.rows(name).length > 0 ? Object.keys(image.rows(name)[0]).slice(0, 1) : ["x"];
    assertSameRows(image.rows(name), sortRows(reference(source), key), `${what}: ${name}`);
  }
}

const MIN = 60_000;
const t0 = Date.UTC(2024, 4, 1, 12, 0, 0);

/** A small fixed catalog: statuses, one category, two products, inventory in two regions. */
function catalog(sim: SourceSimulator): void {
  const audit = { created_at: sim.now, updated_at: sim.now };
  ["Ordered", "Shipped", "Delivered", "Returned", "Cancelled"].forEach((name, i) =>
    sim.insert("order_status", { status_id: i + 1, status_name: name, status_description: null, ...audit })
  );
  sim.insert("product_categories", {
    category_id: 1,
    category_name: "Toys",
    category_description: null,
    ...audit,
  });
  for (const [id, name] of [[1, "Puzzle"], [2, "Kite"]] as const) {
    sim.insert("products", {
      product_id: id,
      name,
      description: null,
      price: Decimal.parse("10.00"),
      category_id: 1,
      seller_id: null,
      ...audit,
    });
  }
  sim.insert("inventory", inv(sim, 1, "Europe", 1, 70, 10));
  sim.insert("inventory", inv(sim, 2, "Asia", 1, 5, 5));
}

function inv(
  sim: SourceSimulator,
  id: number,
  region: string,
  product: number,
  stock: number,
  threshold: number,
): Row {
  return {
    inventory_id: id,
    inventory_name: region,
    product_id: product,
    quantity_in_stock: stock,
    reorder_threshold: threshold,
    unit_cost: Decimal.parse("5.00"),
    created_at: sim.now,
    updated_at: sim.now,
  };
}

function placeOrder(
  sim: SourceSimulator,
  id: number,
  customer: number,
  items: [number, number, number, string][],
) {
  sim.insert("orders", {
    order_id: id,
    order_number: `ORD-${id}`,
    total_amount: Decimal.parse("0.00"),
    status_id: 1,
    customer_id: customer,
    created_at: sim.now,
    updated_at: sim.now,
  });
  for (const [itemId, product, quantity, price] of items) {
    sim.insert("order_items", {
      order_item_id: itemId,
      order_id: id,
      product_id: product,
      quantity,
      current_price: Decimal.parse(price),
      created_at: sim.now,
      updated_at: sim.now,
    });
  }
}

function plain(rows: Row[], columns: string[]): unknown[][] {
  return rows.map((r) => columns.map((c) => (r[c] === null ? null : String(r[c]))));
}

Deno.test("SalesAggregatesOperator computes every aggregate for orders placed in two minutes", () => {
  const sim = new SourceSimulator(t0);
  catalog(sim);
  placeOrder(sim, 1, 7, [[1, 1, 2, "10.00"], [2, 2, 1, "4.99"]]);
  placeOrder(sim, 2, 7, [[3, 1, 1, "10.00"]]);
  sim.tick(MIN);
  placeOrder(sim, 3, 8, [[4, 2, 3, "5.00"]]);
  const image = run([sim.events]);
  assert.deepEqual(
    plain(image.rows("sales_per_minute"), ["window_start", "orders", "units", "revenue", "avg_order_value"]),
    [
      ["2024-05-01T12:00:00.000000Z", "2", "4", "34.99", "17.50"],
      ["2024-05-01T12:01:00.000000Z", "1", "3", "15.00", "15.00"],
    ],
  );
  assert.deepEqual(
    plain(image.rows("product_sales"), ["product_id", "name", "category", "units", "revenue"]),
    [
      ["1", "Puzzle", "Toys", "3", "30.00"],
      ["2", "Kite", "Toys", "4", "19.99"],
    ],
  );
  assert.deepEqual(plain(image.rows("order_status_counts"), ["status_id", "status", "orders"]), [[
    "1",
    "Ordered",
    "3",
  ]]);
  assert.deepEqual(
    plain(image.rows("customer_ltv"), [
      "customer_id",
      "orders",
      "revenue",
      "first_order_at",
      "last_order_at",
    ]),
    [
      ["7", "2", "34.99", "2024-05-01T12:00:00.000000Z", "2024-05-01T12:00:00.000000Z"],
      ["8", "1", "15.00", "2024-05-01T12:01:00.000000Z", "2024-05-01T12:01:00.000000Z"],
    ],
  );
  assert.deepEqual(
    plain(image.rows("inventory_levels"), [
      "product_id",
      "total_stock",
      "stock_by_region",
      "low_stock",
      "units_sold_7d",
      "days_of_cover",
    ]),
    [["1", "75", '{"Asia":5,"Europe":70}', "true", "3", "175.0"]],
  );
  assertMatchesReference(image, sourceOf(sim), "two minutes");
});

Deno.test("SalesAggregatesOperator retracts a cancelled order and corrects updated, moved and deleted items", () => {
  const sim = new SourceSimulator(t0);
  catalog(sim);
  placeOrder(sim, 1, 7, [[1, 1, 2, "10.00"], [2, 2, 1, "4.99"]]);
  sim.tick(MIN);
  placeOrder(sim, 2, 8, [[3, 1, 1, "10.00"]]);
  const op = new SalesAggregatesOperator();
  const image = run([sim.events], op);
  const start = sim.events.length;
  sim.update("order_items", 1, { quantity: 5 });
  sim.update("order_items", 2, { order_id: 2 });
  sim.delete("order_items", 3);
  sim.update("orders", 2, { status_id: 5 });
  const changes = op.apply(sim.events.slice(start));
  image.apply(changes);
  assert.deepEqual(plain(image.rows("sales_per_minute"), ["window_start", "orders", "units", "revenue"]), [
    ["2024-05-01T12:00:00.000000Z", "1", "5", "50.00"],
  ]);
  assert.deepEqual(changes.get("sales_per_minute")!.deletes, [
    { window_start: Timestamp.parse("2024-05-01T12:01:00Z") },
  ]);
  assert.deepEqual(plain(image.rows("customer_ltv"), ["customer_id", "orders", "revenue"]), [[
    "7",
    "1",
    "50.00",
  ]]);
  assert.deepEqual(plain(image.rows("product_sales"), ["product_id", "units"]), [["1", "5"]]);
  assert.deepEqual(plain(image.rows("order_status_counts"), ["status_id", "status", "orders"]), [
    ["1", "Ordered", "1"],
    ["5", "Cancelled", "1"],
  ]);
  assertMatchesReference(image, sourceOf(sim), "after retractions");
});

Deno.test("SalesAggregatesOperator gives the same tables when changes arrive before the rows they change", () => {
  const sim = new SourceSimulator(t0);
  catalog(sim);
  placeOrder(sim, 1, 7, [[1, 1, 2, "10.00"]]);
  sim.tick(MIN);
  sim.update("order_items", 1, { quantity: 3 });
  sim.update("orders", 1, { status_id: 2 });
  sim.update("products", 1, { name: "Puzzle 2" });
  sim.update("product_categories", 1, { category_name: "Games" });
  sim.update("order_status", 2, { status_name: "Sent" });
  const reversed = [...sim.events].reverse().map((e) => [e]);
  const image = run(reversed);
  assert.deepEqual(plain(image.rows("product_sales"), ["name", "category", "units", "revenue"]), [
    ["Puzzle 2", "Games", "3", "30.00"],
  ]);
  assert.deepEqual(plain(image.rows("order_status_counts"), ["status", "orders"]), [["Sent", "1"]]);
  assertMatchesReference(image, sourceOf(sim), "reversed");
});

Deno.test("SalesAggregatesOperator uses created_at for snapshot-read orders until their insert is seen", () => {
  const sim = new SourceSimulator(t0);
  catalog(sim);
  const created = sim.now;
  sim.tick(10 * MIN);
  placeOrder(sim, 1, 7, [[1, 1, 1, "10.00"]]);
  const insert = sim.events.find((e) => e.table === "orders" && e.op === "c")!;
  const snapshotRead: ChangeEvent = {
    ...insert,
    op: "r",
    snapshot: true,
    position: insert.position + "5",
    after: { ...insert.after, created_at: created },
  };
  const op = new SalesAggregatesOperator();
  const image = run([sim.events.filter((e) => e !== insert), [snapshotRead]], op);
  assert.deepEqual(plain(image.rows("sales_per_minute"), ["window_start", "orders"]), [
    ["2024-05-01T12:00:00.000000Z", "1"],
  ]);
  image.apply(op.apply([insert]));
  assert.deepEqual(plain(image.rows("sales_per_minute"), ["window_start", "orders"]), [
    ["2024-05-01T12:10:00.000000Z", "1"],
  ]);
  assert.ok((op.metrics().watermark as Timestamp).epochMillis === t0 + 9 * MIN);
});

Deno.test("SalesAggregatesOperator drops an insert's commit time once a later delete shows a new life began", () => {
  const sim = new SourceSimulator(t0);
  catalog(sim);
  const created = sim.now;
  sim.tick(10 * MIN);
  placeOrder(sim, 1, 7, [[1, 1, 1, "10.00"]]);
  sim.tick(10 * MIN);
  sim.delete("orders", 1);
  const [insert, del] = sim.events.filter((e) => e.table === "orders");
  // The order came back without its insert being captured: only a later snapshot read shows it.
  const reread: ChangeEvent = {
    ...insert,
    op: "r",
    position: del.position + "9",
    after: { ...insert.after, created_at: created },
  };
  const op = new SalesAggregatesOperator();
  const image = run([sim.events.filter((e) => e !== del), [reread]], op);
  assert.deepEqual(plain(image.rows("sales_per_minute"), ["window_start"]), [[
    "2024-05-01T12:10:00.000000Z",
  ]]);
  image.apply(op.apply([del]));
  assert.deepEqual(plain(image.rows("sales_per_minute"), ["window_start"]), [[
    "2024-05-01T12:00:00.000000Z",
  ]]);
  const source = sourceOf(sim);
  const orders = referenceMirror(tableDef("orders"), [...sim.events, reread]);
  assertMatchesReference(image, {
    tables: { ...source.tables, orders },
    orderInsertCommits: referenceOrderInsertCommits(tableDef("orders"), [...sim.events, reread]),
  }, "revived");
});

Deno.test("SalesAggregatesOperator moves the 7-day velocity window with the latest order day", () => {
  const sim = new SourceSimulator(t0);
  catalog(sim);
  placeOrder(sim, 1, 7, [[1, 1, 10, "1.00"]]);
  const op = new SalesAggregatesOperator();
  const image = run([sim.events], op);
  const levels = () => plain(image.rows("inventory_levels"), ["units_sold_7d", "days_of_cover"]);
  assert.deepEqual(levels(), [["10", "52.5"]]);
  sim.tick(6 * 86_400_000);
  placeOrder(sim, 2, 7, [[2, 2, 1, "1.00"]]);
  image.apply(op.apply(sim.events.slice(-2)));
  assert.deepEqual(levels(), [["10", "52.5"]], "day 7 of the window still counts day 1");
  sim.tick(86_400_000);
  placeOrder(sim, 3, 7, [[3, 2, 1, "1.00"]]);
  image.apply(op.apply(sim.events.slice(-2)));
  assert.deepEqual(levels(), [["0", null]]);
  sim.delete("orders", 3);
  sim.delete("orders", 2);
  image.apply(op.apply(sim.events.slice(-2)));
  assert.deepEqual(levels(), [["10", "52.5"]], "deleting the later orders moves the window back");
  assertMatchesReference(image, sourceOf(sim), "velocity");
});

Deno.test("SalesAggregatesOperator.restore() continues exactly and refuses other rules", () => {
  const rng = new Prng(99);
  const sim = new SourceSimulator();
  commerceHistory(sim, rng, { products: 8, customers: 10, seededOrders: 30, steps: 600 });
  const batches = deliver(sim.events, rng, { duplicates: 0.2, order: "shuffle", maxBatch: 60 });
  const half = Math.floor(batches.length / 2);
  const first = new SalesAggregatesOperator();
  const image = new TableImage(first.outputs);
  for (const b of batches.slice(0, half)) image.apply(first.apply(b));
  const second = new SalesAggregatesOperator();
  second.restore(first.snapshotState());
  for (const b of batches.slice(half)) image.apply(second.apply(b));
  assertMatchesReference(image, sourceOf(sim), "after restore");
  const other = new SalesAggregatesOperator({ excludedStatusIds: [5], allowedLatenessMs: 0 });
  assert.throws(() => other.restore(first.snapshotState()), /taken with rules/);
});

Deno.test("SalesAggregatesOperator rejects a bad event before changing any state", () => {
  const sim = new SourceSimulator(t0);
  catalog(sim);
  placeOrder(sim, 1, 7, [[1, 1, 2, "10.005"]]);
  const op = new SalesAggregatesOperator();
  assert.throws(
    () => op.apply(sim.events),
    /to "order_items": column "current_price" expects non-null decimal\(18,2\)/,
  );
  assert.equal(
    op.apply(sim.events.filter((e) => e.table !== "order_items")).get("sales_per_minute")!.upserts.length,
    1,
  );
});

Deno.test("the reference model's replay equals the simulated source tables", () => {
  const sim = new SourceSimulator();
  commerceHistory(sim, new Prng(3), { products: 5, customers: 5, seededOrders: 10, steps: 400 });
  for (const name of ["orders", "order_items", "products", "inventory"]) {
    const def = tableDef(name);
    const replay = referenceMirror(def, sim.events).map((r) => {
      const { source_position: _p, source_commit_ts: _t, ...row } = r;
      return row;
    });
    assertSameRows(sortRows(replay, def.key), sortRows(sim.rows(name), def.key), name);
  }
});

Deno.test("SalesAggregatesOperator output equals the references for random histories, orders and batch splits", () => {
  for (let seed = 1; seed <= 40; seed++) {
    const rng = new Prng(seed * 15485863);
    const sim = new SourceSimulator();
    commerceHistory(sim, rng, {
      products: rng.between(1, 10),
      customers: rng.between(1, 15),
      seededOrders: rng.between(0, 30),
      steps: rng.between(0, 700),
    });
    const order = rng.pick(["shuffle", "local", "in-order"] as const);
    const batches = deliver(sim.events, rng, {
      duplicates: 0.15,
      order,
      window: 40,
      maxBatch: rng.between(1, 120),
    });
    assertMatchesReference(run(batches), sourceOf(sim), `seed ${seed}, ${order}`);
  }
});
