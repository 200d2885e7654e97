import assert from "node:assert/strict";
import type { SourceDb, SqlRow, SqlValue } from "../setup/mod.ts";
import { createExecutor, postgresStatement, StaleModelError } from "./executor.ts";
import { cents } from "../setup/mod.ts";
import type { RowChange } from "./row_changes.ts";

/**
 * Records what the SQL Server executor sends: no SQL Server can run here. (PostgreSQL execution is covered
 * against the real server in tests/integration.)
 */
function recorder(dialect: "sqlserver", answer: SqlRow[] = [], fail?: Error) {
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

Deno.test("postgresStatement() chains an operation's changes as CTEs that fail unless each changes one row", () => {
  const { sql, params } = postgresStatement(CHANGES);
  assert.equal(
    sql,
    "WITH s0 AS (INSERT INTO Orders (OrderID, OrderNumber, TotalAmount) VALUES (?, ?, ?) RETURNING 1), " +
      "s1 AS (UPDATE Inventory SET QuantityInStock = QuantityInStock + ? WHERE InventoryID = ? RETURNING 1), " +
      "s2 AS (DELETE FROM CartItems WHERE CartItemID = ? RETURNING 1) SELECT " +
      [0, 1, 2].map((i) =>
        `CASE WHEN (SELECT count(*) FROM s${i}) = 1 THEN 1 ELSE CAST('Lakestream faker stale model: change ${i} changed ' || (SELECT count(*) FROM s${i}) AS int) END`
      ).join(", "),
  );
  assert.deepEqual(params, [7, "ORD-7", cents(1230), -2, 3, 9]);
  // The text depends on the shape only, so one prepared statement serves every operation of that shape.
  assert.equal(
    postgresStatement([{ kind: "delete", table: "CartItems", key: "CartItemID", id: 1 }]).sql,
    postgresStatement([{ kind: "delete", table: "CartItems", key: "CartItemID", id: 2 }]).sql,
  );
});
