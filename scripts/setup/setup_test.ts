import assert from "node:assert/strict";
import { ECOMMERCE_TABLES } from "../../pipeline/catalog/mod.ts";
import { openSqlite } from "./db/sqlite_source_db.ts";
import { compareWithCatalog, introspectSchema } from "./schema.ts";
import { runSetup } from "./setup.ts";

/** Schema objects and every row of every table, for comparing two states of a database. */
function dump(path: string): { schema: unknown[]; rows: Record<string, unknown[]> } {
  const db = openSqlite(path);
  try {
    const schema = db.querySync("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name");
    const rows: Record<string, unknown[]> = {};
    for (const t of [...ECOMMERCE_TABLES.map((t) => t.source), "_changes"]) {
      rows[t] = db.querySync(`SELECT * FROM ${t} ORDER BY 1`);
    }
    return { schema, rows };
  } finally {
    db.close();
  }
}

Deno.test("runSetup() on SQLite twice gives identical schema and data, and the second run changes nothing", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/source.sqlite`;
    const first = await runSetup({ dialect: "sqlite", db: path });
    assert.equal(first.changed, true);
    assert.deepEqual(first.steps.map((s) => [s.step, s.changed]), [
      ["database", true],
      ["schema", true],
      ["capture", true],
      ["seed", true],
    ]);
    const afterFirst = dump(path);
    const second = await runSetup({ dialect: "sqlite", db: path });
    assert.equal(second.changed, false);
    assert.ok(second.steps.every((s) => !s.changed), JSON.stringify(second.steps));
    assert.deepEqual(dump(path), afterFirst);
    assert.equal(afterFirst.rows.OrderStatus.length, 5);
    assert.equal(afterFirst.rows.Customers.length, 70);
    assert.equal(afterFirst.rows.Products.length, 60);
    // The seed went through the capture triggers: one 'c' change per seeded row.
    const seeded = Object.entries(afterFirst.rows).filter(([t]) => t !== "_changes")
      .reduce((n, [, rows]) => n + rows.length, 0);
    assert.equal(afterFirst.rows._changes.length, seeded);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("runSetup() with the same seed on two databases produces the same catalog", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await runSetup({ dialect: "sqlite", db: `${dir}/a.sqlite`, seed: 7 });
    await runSetup({ dialect: "sqlite", db: `${dir}/b.sqlite`, seed: 7 });
    const strip = (d: ReturnType<typeof dump>) =>
      Object.fromEntries(
        Object.entries(d.rows).filter(([t]) => t !== "_changes").map(([t, rows]) => [
          t,
          rows.map((r) => ({ ...(r as object), CreatedAt: null, UpdatedAt: null })),
        ]),
      );
    assert.deepEqual(strip(dump(`${dir}/a.sqlite`)), strip(dump(`${dir}/b.sqlite`)));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("sql/sqlite/schema.sql agrees with the catalog: every table, column, type and nullability", async () => {
  const db = openSqlite(":memory:");
  try {
    await runSetup({ dialect: "sqlite", source: db });
    const live = await introspectSchema(db);
    assert.deepEqual(compareWithCatalog("sqlite", live), { missing: [], problems: [] });
    assert.equal(live.size, ECOMMERCE_TABLES.length + 1, "15 tables and _changes");
  } finally {
    await db.close();
  }
});

Deno.test("compareWithCatalog() names missing tables and disagreeing columns", () => {
  const live = new Map([["customers", [
    { name: "CustomerID", type: "integer", nullable: false },
    { name: "Name", type: "integer", nullable: true },
    { name: "Extra", type: "text", nullable: true },
  ]]]);
  const result = compareWithCatalog("sqlite", live, ECOMMERCE_TABLES.filter((t) => t.source === "Customers"));
  assert.deepEqual(result.missing, []);
  assert.deepEqual(result.problems, [
    "column Customers.Name is integer, expected text (lake string)",
    "column Customers.Name is nullable, expected NOT NULL",
    "table Customers has no column Email",
    "table Customers has no column PhoneNumber",
    "table Customers has no column CreatedAt",
    "table Customers has no column UpdatedAt",
    "table Customers has an extra column Extra",
  ]);
});
