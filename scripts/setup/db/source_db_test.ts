import assert from "node:assert/strict";
import { checkSourceDbContract } from "./source_db_contract.ts";
import { numberPlaceholders } from "./source_db.ts";
import { openSqlite } from "./sqlite_source_db.ts";

Deno.test("SqliteSourceDb keeps the SourceDb contract", async (t) => {
  await checkSourceDbContract(t, () => openSqlite(":memory:"));
});

Deno.test("SqliteSourceDb reports a locked database as transient", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const a = openSqlite(`${dir}/x.sqlite`);
    const b = openSqlite(`${dir}/x.sqlite`, { busyTimeoutMs: 1 });
    await a.execScript("CREATE TABLE t (x integer); BEGIN IMMEDIATE; INSERT INTO t VALUES (1);");
    const e = await b.transaction((tx) => tx.exec("INSERT INTO t VALUES (2)")).catch((e) => e);
    assert.ok(e instanceof Error);
    assert.equal(b.isTransient(e), true);
    await a.execScript("COMMIT");
    assert.equal(await b.transaction((tx) => tx.exec("INSERT INTO t VALUES (2)")), 1);
    await a.close();
    await b.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("numberPlaceholders() numbers ? outside quotes", () => {
  assert.equal(
    numberPlaceholders(`SELECT ? AS "a?", '?' FROM t WHERE x = ? AND y = 'it''s?'`, (n) => `$${n}`),
    `SELECT $1 AS "a?", '?' FROM t WHERE x = $2 AND y = 'it''s?'`,
  );
});
