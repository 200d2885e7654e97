import assert from "node:assert/strict";
import { ECOMMERCE_TABLES } from "../../pipeline/catalog/mod.ts";
import { openSqlite, runSetup, seedCatalog, type SqliteSourceDb } from "../setup/mod.ts";
import { createExecutor, StaleModelError } from "./executor.ts";
import { loadModel, modelFromSeed } from "./model.ts";
import type { Operation } from "./operation.ts";
import { runFaker } from "./run_faker.ts";

async function freshDb(): Promise<SqliteSourceDb> {
  const db = openSqlite(":memory:");
  await runSetup({ dialect: "sqlite", source: db });
  return db;
}

function maxSeq(db: SqliteSourceDb): number {
  return Number(db.querySync<{ m: number | null }>("SELECT MAX(seq) AS m FROM _changes")[0].m ?? 0);
}

/** Invariants the faker must never break. */
function assertInvariants(db: SqliteSourceDb): void {
  assert.deepEqual(db.querySync("PRAGMA foreign_key_check"), [], "referential integrity");
  const [stock] = db.querySync<{ m: number }>("SELECT MIN(QuantityInStock) AS m FROM Inventory");
  assert.ok(stock.m >= 0, `stock never negative (min ${stock.m})`);
  // Each order was written in one transaction with its items and its payment.
  assert.deepEqual(
    db.querySync(
      `SELECT o.OrderID FROM Orders o WHERE NOT EXISTS (SELECT 1 FROM OrderItems i WHERE i.OrderID = o.OrderID)
                   OR (SELECT COUNT(*) FROM Payments p WHERE p.OrderID = o.OrderID) <> 1`,
    ),
    [],
    "every order has items and exactly one payment",
  );
  // Cancelled and returned orders have their reason.
  assert.deepEqual(
    db.querySync(`SELECT OrderID FROM Orders WHERE StatusID IN (4, 5)
                  AND OrderID NOT IN (SELECT OrderID FROM Reasons)`),
    [],
  );
}

Deno.test("loadModel() reads back exactly the model of the seed catalog", async () => {
  const db = await freshDb();
  try {
    assert.deepEqual(await loadModel(db), modelFromSeed(seedCatalog()));
  } finally {
    await db.close();
  }
});

Deno.test("runFaker() on SQLite keeps the invariants and _changes matches the reported row changes", async () => {
  const db = await freshDb();
  try {
    const seeded = maxSeq(db);
    const report = await runFaker({ source: db, rate: 0, ops: 4000, seed: 21 });
    assert.equal(report.operations, 4000);
    assert.equal(report.stoppedBy, "ops");
    assert.equal(report.errors, 0);
    assertInvariants(db);
    const logged = db.querySync<{ t: string; op: string; n: number }>(
      "SELECT table_name AS t, op, COUNT(*) AS n FROM _changes WHERE seq > ? GROUP BY table_name, op",
      [seeded],
    );
    const fromLog: Record<string, { c: number; u: number; d: number }> = {};
    for (const r of logged) (fromLog[r.t] ??= { c: 0, u: 0, d: 0 })[r.op as "c" | "u" | "d"] = Number(r.n);
    assert.deepEqual(fromLog, report.changes);
    // The run exercised every captured table except the reference tables the faker never writes.
    const untouched = ECOMMERCE_TABLES.map((t) => t.source).filter((t) => !report.changes[t]);
    assert.deepEqual(untouched.sort(), ["OrderStatus", "PaymentMethods", "ProductCategories", "Sellers"]);
    assert.ok(report.changes.Customers.u > 0 && report.changes.Customers.d > 0, "SCD2 history and deletes");
  } finally {
    await db.close();
  }
});

Deno.test("runFaker() with the same seed on two fresh databases performs the same operations", async () => {
  const runs: { ops: Operation[]; data: unknown }[] = [];
  for (let i = 0; i < 2; i++) {
    const db = await freshDb();
    try {
      const ops: Operation[] = [];
      await runFaker({ source: db, rate: 0, ops: 1500, seed: 8, onOperation: (op) => ops.push(op) });
      const data = Object.fromEntries(
        ECOMMERCE_TABLES.map((t) => [
          t.source,
          db.querySync(`SELECT * FROM ${t.source} ORDER BY 1`).map((r) => ({
            ...r,
            CreatedAt: 0,
            UpdatedAt: 0,
          })),
        ]),
      );
      runs.push({ ops, data });
    } finally {
      await db.close();
    }
  }
  assert.equal(runs[0].ops.length, 1500);
  assert.deepEqual(runs[0].ops, runs[1].ops);
  assert.deepEqual(runs[0].data, runs[1].data);
});

Deno.test("runFaker() stops between transactions when its signal aborts", async () => {
  const db = await freshDb();
  try {
    const controller = new AbortController();
    let seen = 0;
    const report = await runFaker({
      source: db,
      rate: 0,
      signal: controller.signal,
      onOperation: () => {
        if (++seen === 700) controller.abort();
      },
    });
    assert.equal(report.stoppedBy, "signal");
    assert.equal(report.operations, 700);
    assertInvariants(db);
  } finally {
    await db.close();
  }
});

Deno.test("runFaker() paces itself at --rate", async () => {
  const db = await freshDb();
  try {
    const report = await runFaker({ source: db, rate: 200, duration: 0.5, seed: 2 });
    assert.equal(report.stoppedBy, "duration");
    // Never faster than the rate; slower only when the machine is busy.
    assert.ok(
      report.operations >= 40 && report.operations <= 101,
      `${report.operations} ops in 0.5 s at 200/s`,
    );
  } finally {
    await db.close();
  }
});

Deno.test("runFaker() retries a busy database and reports the retries", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/source.sqlite`;
    await runSetup({ dialect: "sqlite", db: path });
    const blocker = openSqlite(path);
    const faker = openSqlite(path, { busyTimeoutMs: 1 });
    const lines: string[] = [];
    try {
      await blocker.execScript("BEGIN IMMEDIATE");
      setTimeout(() => blocker.execScript("COMMIT"), 300);
      const report = await runFaker({ source: faker, rate: 0, ops: 200, log: (l) => lines.push(l) });
      assert.equal(report.operations, 200);
      assert.ok(report.retries > 0, "the locked database was retried");
      assert.equal(report.errors, 0);
      assert.match(lines[0], /^faker: \w+ failed \(database is locked\), attempt 1; retrying in 50 ms$/);
      assertInvariants(faker);
    } finally {
      await faker.close();
      await blocker.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("createExecutor() rolls back the whole operation when a change misses its row", async () => {
  const db = await freshDb();
  try {
    const before = maxSeq(db);
    await assert.rejects(
      createExecutor(db).apply([
        {
          kind: "insert",
          table: "Reviews",
          row: { ReviewID: 1, ProductID: 1, CustomerID: 1, Rating: 5, Comment: null },
        },
        { kind: "update", table: "Products", key: "ProductID", id: 9999, set: { Name: "x" } },
      ]),
      StaleModelError,
    );
    assert.equal(maxSeq(db), before);
    assert.deepEqual(db.querySync("SELECT * FROM Reviews"), []);
  } finally {
    await db.close();
  }
});

Deno.test("runFaker() reloads its model and goes on when the database changed under it", async () => {
  const db = await freshDb();
  try {
    // Another writer empties the stock the model believes in: orders fail once, then the reloaded model adapts.
    const lines: string[] = [];
    let zeroed = false;
    const report = await runFaker({
      source: db,
      rate: 0,
      ops: 300,
      log: (l) => lines.push(l),
      onOperation: () => {
        if (!zeroed) {
          zeroed = true;
          db.execSync("DELETE FROM CartItems");
          db.execSync("UPDATE Inventory SET QuantityInStock = 0");
        }
      },
    });
    assert.equal(report.operations, 300);
    assert.ok(report.errors >= 1, "a stale operation was reported");
    assert.ok(lines.some((l) => /reloading the model/.test(l)));
    assertInvariants(db);
  } finally {
    await db.close();
  }
});

Deno.test("runFaker() on a database without the schema says to run setup", async () => {
  const db = openSqlite(":memory:");
  try {
    await assert.rejects(runFaker({ source: db, ops: 1 }), /has `deno task setup --dialect sqlite` run\?/);
  } finally {
    await db.close();
  }
});
