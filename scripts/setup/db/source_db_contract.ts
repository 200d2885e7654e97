/**
 * The guarantees every SourceDb implementation keeps (see source_db.ts), as one suite run against each:
 * SQLite in unit tests, PostgreSQL in tests/integration (SQL Server has no server here).
 *
 * @module
 */
import assert from "node:assert/strict";
import type { SourceDb } from "./source_db.ts";

/** Runs the contract as steps of `t` against a fresh connection from `open`, using table `table` (dropped). */
export async function checkSourceDbContract(
  t: Deno.TestContext,
  open: () => SourceDb,
  table = `contract_${crypto.randomUUID().slice(0, 8)}`,
): Promise<void> {
  const db = open();
  try {
    await db.execScript(
      `CREATE TABLE ${table} (id integer PRIMARY KEY, v varchar(40));
       INSERT INTO ${table} (id, v) VALUES (1, 'one');`,
    );

    await t.step("execScript() runs several statements", async () => {
      const rows = await db.query(`SELECT id, v FROM ${table}`);
      assert.deepEqual(rows.map((r) => ({ id: Number(r.id), v: r.v })), [{ id: 1, v: "one" }]);
    });

    await t.step("query() binds ? placeholders in order and leaves quoted ? alone", async () => {
      assert.equal(await db.exec(`INSERT INTO ${table} (id, v) VALUES (?, ?)`, [2, "two?"]), 1);
      const rows = await db.query<{ id: number; v: string; q: string }>(
        `SELECT id, v, '?' AS q FROM ${table} WHERE id = ? AND v = ?`,
        [2, "two?"],
      );
      assert.deepEqual(rows.map((r) => [Number(r.id), r.v, r.q]), [[2, "two?", "?"]]);
    });

    await t.step("exec() returns the number of rows changed", async () => {
      assert.equal(await db.exec(`UPDATE ${table} SET v = ? WHERE id > ?`, ["x", 0]), 2);
      assert.equal(await db.exec(`DELETE FROM ${table} WHERE id = ?`, [99]), 0);
    });

    await t.step("transaction() commits when its callback resolves", async () => {
      const result = await db.transaction(async (tx) => {
        await tx.exec(`INSERT INTO ${table} (id, v) VALUES (?, ?)`, [3, "three"]);
        return "done";
      });
      assert.equal(result, "done");
      assert.equal((await db.query(`SELECT id FROM ${table} WHERE id = ?`, [3])).length, 1);
    });

    await t.step("transaction() rolls back and rethrows when its callback throws", async () => {
      await assert.rejects(
        db.transaction(async (tx) => {
          await tx.exec(`INSERT INTO ${table} (id, v) VALUES (?, ?)`, [4, "four"]);
          throw new Error("boom");
        }),
        /boom/,
      );
      assert.equal((await db.query(`SELECT id FROM ${table} WHERE id = ?`, [4])).length, 0);
    });

    await t.step("errors of bad statements are not transient", async () => {
      const dup = await db.exec(`INSERT INTO ${table} (id, v) VALUES (?, ?)`, [1, "dup"]).catch((e) => e);
      assert.ok(dup instanceof Error, "a duplicate key fails");
      assert.equal(db.isTransient(dup), false);
      const syntax = await db.query("SELEC nonsense").catch((e) => e);
      assert.ok(syntax instanceof Error);
      assert.equal(db.isTransient(syntax), false);
      assert.equal(db.isTransient("not an error"), false);
    });
  } finally {
    await db.execScript(`DROP TABLE ${table}`).catch(
      () => {/* the connection may be gone: nothing to drop */},
    );
    await db.close();
  }
}
