import assert from "node:assert/strict";
import { openSqlite } from "./db/sqlite_source_db.ts";
import { runSetup } from "./setup.ts";

async function setUp() {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/source.sqlite`;
  await runSetup({ dialect: "sqlite", db: path });
  const db = openSqlite(path);
  const last = () =>
    db.querySync<
      { seq: number; table_name: string; op: string; before: string | null; after: string | null }
    >(
      "SELECT * FROM _changes ORDER BY seq DESC LIMIT 1",
    )[0];
  const count = () => Number(db.querySync<{ n: number }>("SELECT COUNT(*) AS n FROM _changes")[0].n);
  return {
    db,
    last,
    count,
    [Symbol.asyncDispose]: async () => {
      await db.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

Deno.test("sqlite capture logs one 'u' change per update, with a touched UpdatedAt in the after-image", async () => {
  await using s = await setUp();
  const n = s.count();
  const [row] = s.db.querySync<{ UpdatedAt: string }>("SELECT UpdatedAt FROM Customers WHERE CustomerID = 3");
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(s.db.execSync("UPDATE Customers SET Email = ? WHERE CustomerID = 3", ["new@example.com"]), 1);
  assert.equal(s.count(), n + 1);
  const change = s.last();
  assert.equal(change.table_name, "Customers");
  assert.equal(change.op, "u");
  const before = JSON.parse(change.before!);
  const after = JSON.parse(change.after!);
  assert.equal(after.Email, "new@example.com");
  assert.notEqual(before.Email, "new@example.com");
  assert.equal(before.UpdatedAt, row.UpdatedAt);
  assert.ok(after.UpdatedAt > before.UpdatedAt, `${after.UpdatedAt} > ${before.UpdatedAt}`);
  const [stored] = s.db.querySync<{ UpdatedAt: string }>(
    "SELECT UpdatedAt FROM Customers WHERE CustomerID = 3",
  );
  assert.equal(stored.UpdatedAt, after.UpdatedAt);
  assert.match(after.UpdatedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
});

Deno.test("sqlite capture logs nothing for an update that changes nothing", async () => {
  await using s = await setUp();
  const n = s.count();
  s.db.execSync("UPDATE Products SET Price = Price WHERE ProductID = 1");
  assert.equal(s.count(), n);
});

Deno.test("sqlite capture logs inserts and deletes with full images and JSON types", async () => {
  await using s = await setUp();
  s.db.execSync(
    "INSERT INTO Orders (OrderID, OrderNumber, TotalAmount, StatusID, CustomerID) VALUES (900, 'ORD-X', '12.30', 1, 2)",
  );
  const c = s.last();
  assert.equal(c.op, "c");
  assert.equal(c.before, null);
  const after = JSON.parse(c.after!);
  assert.deepEqual({ ...after, CreatedAt: null, UpdatedAt: null }, {
    OrderID: 900,
    OrderNumber: "ORD-X",
    TotalAmount: "12.30",
    StatusID: 1,
    CustomerID: 2,
    CreatedAt: null,
    UpdatedAt: null,
  });
  s.db.execSync("DELETE FROM Orders WHERE OrderID = 900");
  const d = s.last();
  assert.equal(d.op, "d");
  assert.equal(d.after, null);
  assert.equal(JSON.parse(d.before!).OrderNumber, "ORD-X");
});

Deno.test("sqlite schema refuses negative stock, malformed money and unknown statuses", async () => {
  await using s = await setUp();
  const n = s.count();
  assert.throws(
    () => s.db.execSync("UPDATE Inventory SET QuantityInStock = -1 WHERE InventoryID = 1"),
    /CHECK/,
  );
  assert.throws(() => s.db.execSync("UPDATE Products SET Price = '12.3' WHERE ProductID = 1"), /CHECK/);
  assert.throws(
    () => s.db.execSync("UPDATE Products SET Price = 12.5 WHERE ProductID = 1"),
    /CHECK|cannot store/,
  );
  assert.throws(
    () =>
      s.db.execSync(
        "INSERT INTO Orders (OrderID, OrderNumber, TotalAmount, StatusID) VALUES (901, 'ORD-Y', '1.00', 9)",
      ),
    /FOREIGN KEY/,
  );
  s.db.execSync("INSERT INTO Orders (OrderID, OrderNumber, TotalAmount) VALUES (902, 'ORD-Z', '1.00')");
  assert.throws(
    () =>
      s.db.execSync("INSERT INTO Orders (OrderID, OrderNumber, TotalAmount) VALUES (903, 'ORD-Z', '1.00')"),
    /UNIQUE/,
  );
  assert.equal(s.count(), n + 1, "only the one valid insert is logged");
});
