import assert from "node:assert/strict";
import type { SourceDb, SqlRow, SqlValue } from "../setup/mod.ts";
import { createExecutor, StaleModelError } from "./executor.ts";
import { cents } from "../setup/mod.ts";
import type { RowChange } from "./row_changes.ts";

/**
 * Records what an executor sends. Only for SQL Server and the PostgreSQL statement text: no SQL Server can run
 * here, and PostgreSQL execution is covered against the real server in tests/integration.
 */
function recorder(dialect: "postgres" | "sqlserver", answer: SqlRow[] = [], fail?: Error) {
  const sent: { sql: string; params: readonly SqlValue[] }[] = [];
  const db: SourceDb = {
    dialect,
    query: <T extends SqlRow>(sql: string, params: readonly SqlValue[] = []) => {
      sent.push({ sql, params });
      return fail ? Promise.reject(fail) : Promise.resolve(answer as T[]);
    },
    exec: (sql: string, params: readonly SqlValue[] = []) => {
      sent.push({ sql, params });
      return fail ? Promise.reject(fail) : Promise.resolve(1);
    },
    execScript: () => Promise.resolve(),
    transaction: (fn) => fn(db),
    isTransient: () => false,
    close: () => Promise.resolve(),
  };
  return { db, sent };
}

const CHANGES: RowChange[] = [
  { kind: "insert", table: "Orders", row: { OrderID: 7, OrderNumber: "ORD-7", TotalAmount: cents(1230) } },
  { kind: "update", table: "Inventory", key: "InventoryID", id: 3, add: { QuantityInStock: -2 } },
  { kind: "delete", table: "CartItems", key: "CartItemID", id: 9 },
];

Deno.test("createExecutor() sends SQL Server one XACT_ABORT batch that sets UpdatedAt and throws on a missed row", async () => {
  const { db, sent } = recorder("sqlserver");
  await createExecutor(db).apply(CHANGES);
  assert.equal(sent.length, 1);
  assert.equal(
    sent[0].sql,
    [
      "SET XACT_ABORT ON;",
      "DECLARE @changed TABLE (k int);",
      "BEGIN TRANSACTION;",
      "INSERT INTO Orders (OrderID, OrderNumber, TotalAmount) OUTPUT inserted.OrderID INTO @changed VALUES (?, ?, ?);",
      "IF (SELECT COUNT(*) FROM @changed) <> 1 THROW 50001, N'Stale faker model: insert into Orders missed its row', 1;",
      "DELETE FROM @changed;",
      "UPDATE Inventory SET QuantityInStock = QuantityInStock + ?, UpdatedAt = SYSUTCDATETIME() OUTPUT inserted.InventoryID INTO @changed WHERE InventoryID = ?;",
      "IF (SELECT COUNT(*) FROM @changed) <> 1 THROW 50001, N'Stale faker model: update of Inventory InventoryID 3 missed its row', 1;",
      "DELETE FROM @changed;",
      "DELETE FROM CartItems OUTPUT deleted.CartItemID INTO @changed WHERE CartItemID = ?;",
      "IF (SELECT COUNT(*) FROM @changed) <> 1 THROW 50001, N'Stale faker model: delete of CartItems CartItemID 9 missed its row', 1;",
      "DELETE FROM @changed;",
      "COMMIT TRANSACTION;",
    ].join("\n"),
  );
  assert.deepEqual(sent[0].params, [7, "ORD-7", cents(1230), -2, 3, 9]);
});

Deno.test("createExecutor() maps SQL Server's missed-row THROW to StaleModelError", async () => {
  const { db } = recorder(
    "sqlserver",
    [],
    Object.assign(new Error("Stale faker model: …"), { number: 50001 }),
  );
  await assert.rejects(createExecutor(db).apply(CHANGES), StaleModelError);
});

Deno.test("createExecutor() sends PostgreSQL one statement of data-modifying CTEs and checks each count", async () => {
  const ok = recorder("postgres", [{ c0: "1", c1: "1", c2: "1" }]);
  await createExecutor(ok.db).apply(CHANGES);
  assert.equal(
    ok.sent[0].sql,
    "WITH s0 AS (INSERT INTO Orders (OrderID, OrderNumber, TotalAmount) VALUES (?, ?, ?) RETURNING 1), " +
      "s1 AS (UPDATE Inventory SET QuantityInStock = QuantityInStock + ? WHERE InventoryID = ? RETURNING 1), " +
      "s2 AS (DELETE FROM CartItems WHERE CartItemID = ? RETURNING 1) " +
      "SELECT (SELECT count(*) FROM s0) AS c0, (SELECT count(*) FROM s1) AS c1, (SELECT count(*) FROM s2) AS c2",
  );
  const stale = recorder("postgres", [{ c0: "1", c1: "0", c2: "1" }]);
  await assert.rejects(
    createExecutor(stale.db).apply(CHANGES),
    /update of Inventory InventoryID 3 changed 0 rows/,
  );
});
