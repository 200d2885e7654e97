/**
 * Setup and faker against the real local stack (PostgreSQL, Kafka Connect + Debezium, Kafka): setup is
 * idempotent, the schema agrees with the catalog, and Debezium produces a topic per captured table with as many
 * change events per table as the source's own counts (snapshot reads = seeded rows, c/u/d = what the faker
 * reports). Runs in its own database, connector, slot, publication and topics, and removes them afterwards.
 * Fails (never skips) when the stack is not up.
 */
import assert from "node:assert/strict";
import { DeleteBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { Kafka, logLevel } from "kafkajs";
import { ECOMMERCE_TABLES } from "../../pipeline/catalog/mod.ts";
import { stackEnv } from "../../scripts/stack/env.ts";
import {
  compareWithCatalog,
  deleteConnector,
  introspectSchema,
  keyColumn,
  openPostgres,
  type PostgresConfig,
  runSetup,
  type SourceDb,
} from "../../scripts/setup/mod.ts";
import { checkSourceDbContract } from "../../scripts/setup/db/source_db_contract.ts";
import { createExecutor, runFaker, StaleModelError } from "../../scripts/faker/mod.ts";
import { dropRunDatabase } from "./_pg_run.ts";

const env = stackEnv();
const run = `it_setup_${crypto.randomUUID().slice(0, 8)}`;
const pg: PostgresConfig = { ...env.postgres, database: run };
const url = `postgres://${encodeURIComponent(pg.user)}:${
  encodeURIComponent(pg.password)
}@${pg.host}:${pg.port}/${run}`;
const names = { name: run.replaceAll("_", "-"), topicPrefix: run, slot: run, publication: run };
const bucket = run.replaceAll("_", "-");
const setupOptions = {
  dialect: "postgres" as const,
  url,
  names,
  connectUrl: env.connect.url,
  lake: `s3://${bucket}/lake`,
  s3: env.minio,
};
const kafka = new Kafka({ clientId: run, brokers: env.kafka.brokers, logLevel: logLevel.NOTHING });

/** Everything setup could change: schema, triggers, capture settings and every row. */
async function dump(db: SourceDb): Promise<unknown> {
  const rows: Record<string, unknown[]> = {};
  for (const t of ECOMMERCE_TABLES) {
    rows[t.source] = await db.query(`SELECT * FROM ${t.source} ORDER BY ${keyColumn(t)}`);
  }
  return {
    schema: [...(await introspectSchema(db)).entries()],
    triggers: await db.query(
      "SELECT tgname, tgrelid::regclass::text AS t FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1",
    ),
    identity: await db.query(
      "SELECT relname, relreplident::text AS r FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' ORDER BY 1",
    ),
    publication: await db.query("SELECT tablename FROM pg_publication_tables WHERE pubname = ? ORDER BY 1", [
      run,
    ]),
    rows,
  };
}

async function counts(db: SourceDb): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of ECOMMERCE_TABLES) {
    out[t.source] = Number((await db.query<{ n: unknown }>(`SELECT COUNT(*) AS n FROM ${t.source}`))[0].n);
  }
  return out;
}

async function cleanUp(): Promise<void> {
  await deleteConnector(env.connect.url, names.name).catch((e) => console.error(`cleanup: ${e.message}`));
  const s3 = new S3Client({
    endpoint: env.minio.endpoint,
    region: env.minio.region,
    forcePathStyle: true,
    credentials: { accessKeyId: env.minio.accessKeyId, secretAccessKey: env.minio.secretAccessKey },
  });
  await s3.send(new DeleteBucketCommand({ Bucket: bucket })).catch((e) => {
    if (e?.$metadata?.httpStatusCode !== 404) console.error(`cleanup: bucket ${bucket}: ${e.message}`);
  });
  s3.destroy();
  await dropRunDatabase(pg, run);
  const ka = kafka.admin();
  await ka.connect();
  try {
    const topics = (await ka.listTopics()).filter((t) => t.startsWith(`${run}.`) || t.includes(run));
    if (topics.length > 0) await ka.deleteTopics({ topics });
  } finally {
    await ka.disconnect();
  }
}

Deno.test({
  name: "setup + faker on PostgreSQL: idempotent setup, and Debezium counts match the source's per table",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    try {
      const first = await runSetup(setupOptions);
      assert.equal(first.changed, true);
      assert.deepEqual(first.steps.map((s) => s.step), [
        "database",
        "schema",
        "capture",
        "seed",
        "bucket",
        "connector",
      ]);
      assert.deepEqual(first.steps.find((s) => s.step === "bucket"), {
        step: "bucket",
        changed: true,
        detail: `bucket ${bucket} created`,
      });

      const db = openPostgres(pg);
      try {
        assert.deepEqual(compareWithCatalog("postgres", await introspectSchema(db)), {
          missing: [],
          problems: [],
        });
        const before = await dump(db);
        const second = await runSetup(setupOptions);
        assert.equal(second.changed, false, JSON.stringify(second.steps));
        assert.deepEqual(await dump(db), before);

        const seeded = await counts(db);
        const report = await runFaker({ dialect: "postgres", url, rate: 0, ops: 3000, seed: 17 });
        assert.equal(report.operations, 3000);
        assert.equal(report.errors, 0);

        // Invariants after the run.
        const [stock] = await db.query<{ m: unknown }>("SELECT MIN(QuantityInStock) AS m FROM Inventory");
        assert.ok(Number(stock.m) >= 0);
        assert.deepEqual(
          await db.query(`SELECT o.OrderID FROM Orders o
                          WHERE NOT EXISTS (SELECT 1 FROM OrderItems i WHERE i.OrderID = o.OrderID)
                             OR (SELECT COUNT(*) FROM Payments p WHERE p.OrderID = o.OrderID) <> 1`),
          [],
        );
        const after = await counts(db);
        for (const t of ECOMMERCE_TABLES) {
          const c = report.changes[t.source] ?? { c: 0, u: 0, d: 0 };
          assert.equal(
            after[t.source],
            seeded[t.source] + c.c - c.d,
            `${t.source} rows = seeded + inserts - deletes`,
          );
        }

        // Expected Debezium events per table: snapshot reads of the seeded rows, then the faker's changes.
        const expected: Record<string, Record<string, number>> = {};
        for (const t of ECOMMERCE_TABLES) {
          const c = report.changes[t.source] ?? { c: 0, u: 0, d: 0 };
          expected[`${run}.public.${t.source.toLowerCase()}`] = {
            r: seeded[t.source],
            c: c.c,
            u: c.u,
            d: c.d,
          };
        }
        const topics = Object.keys(expected);
        const ka = kafka.admin();
        await ka.connect();
        try {
          const deadline = Date.now() + 120_000;
          let missing = topics;
          while (missing.length > 0 && Date.now() < deadline) {
            const have = new Set(await ka.listTopics());
            missing = topics.filter((t) => !have.has(t));
            if (missing.length > 0) await new Promise((r) => setTimeout(r, 500));
          }
          assert.deepEqual(missing, [], "a topic per captured table");
        } finally {
          await ka.disconnect();
        }

        const seen: Record<string, Record<string, number>> = Object.fromEntries(
          topics.map((t) => [t, { r: 0, c: 0, u: 0, d: 0 }]),
        );
        const consumer = kafka.consumer({ groupId: `${run}-check` });
        await consumer.connect();
        try {
          await consumer.subscribe({ topics, fromBeginning: true });
          await consumer.run({
            eachMessage: ({ topic, message }) => {
              if (message.value === null) return Promise.resolve(); // tombstone after a delete
              const op = JSON.parse(message.value.toString()).payload.op as string;
              seen[topic][op] = (seen[topic][op] ?? 0) + 1;
              return Promise.resolve();
            },
          });
          const deadline = Date.now() + 180_000;
          while (JSON.stringify(seen) !== JSON.stringify(expected) && Date.now() < deadline) {
            await new Promise((r) => setTimeout(r, 500));
          }
          // Give stray extra events (e.g. duplicates) a moment to show up before comparing.
          await new Promise((r) => setTimeout(r, 2000));
        } finally {
          await consumer.disconnect();
        }
        assert.deepEqual(seen, expected);
      } finally {
        await db.close();
      }
    } finally {
      await cleanUp();
    }
  },
});

Deno.test("PostgresSourceDb keeps the SourceDb contract and reconnects after a lost connection", async (t) => {
  await checkSourceDbContract(t, () => openPostgres(env.postgres));
  await t.step("the next call after a terminated backend reconnects", async () => {
    const db = openPostgres(env.postgres);
    const admin = openPostgres(env.postgres);
    try {
      const [{ pid }] = await db.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
      await admin.query("SELECT pg_terminate_backend(?)", [pid]);
      const failed = await db.query("SELECT 1 AS x").catch((e) => e);
      if (failed instanceof Error) assert.equal(db.isTransient(failed), true, failed.message);
      const [{ pid: again }] = await db.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
      assert.notEqual(again, pid);
    } finally {
      await db.close();
      await admin.close();
    }
  });
});

Deno.test("PostgresSourceDb.execTransactions() pipelines transactions and stops at the first failure", async () => {
  const db = openPostgres(env.postgres);
  const table = `pipeline_${crypto.randomUUID().slice(0, 8)}`;
  try {
    await db.execScript(`CREATE TABLE ${table} (id integer PRIMARY KEY, v text)`);
    const insert = (id: number, v: string) => ({
      sql: `INSERT INTO ${table} (id, v) VALUES (?, ?)`,
      params: [id, v],
    });
    assert.deepEqual(await db.execTransactions([insert(1, "a"), insert(2, "b")]), {
      committed: 2,
      error: null,
    });
    const failed = await db.execTransactions([
      insert(3, "c"),
      insert(1, "duplicate"),
      insert(4, "never runs"),
    ]);
    assert.equal(failed.committed, 1);
    assert.match(String((failed.error as Error).message), /duplicate key/);
    const rows = await db.query<{ id: number }>(`SELECT id FROM ${table} ORDER BY id`);
    assert.deepEqual(rows.map((r) => r.id), [1, 2, 3]);
    // The connection is usable afterwards, prepared statements included (they are parsed again).
    assert.deepEqual(await db.execTransactions([insert(4, "d")]), { committed: 1, error: null });
    assert.equal((await db.query(`SELECT id FROM ${table} WHERE id = ?`, [4])).length, 1);
  } finally {
    await db.execScript(`DROP TABLE IF EXISTS ${table}`);
    await db.close();
  }
});

Deno.test({
  name: "faker on PostgreSQL keeps the invariants over a long run with lost connections",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const database = `${run}_long`;
    const longUrl = url.replace(new RegExp(`/${run}$`), `/${database}`);
    const admin = openPostgres({ ...pg, database: "postgres" });
    try {
      await runSetup({
        dialect: "postgres",
        url: longUrl,
        connector: false,
        names: { publication: database },
      });
      const kills: Promise<unknown>[] = [];
      let done = 0;
      const report = await runFaker({
        dialect: "postgres",
        url: longUrl,
        rate: 0,
        ops: 20_000,
        seed: 99,
        log: () => {},
        onOperation: () => {
          // Kill the faker's backend three times while it runs: it must reconnect and go on.
          if (++done % 5000 === 0 && done < 20_000) {
            kills.push(admin.query(
              "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ? AND application_name = 'lakestream'",
              [database],
            ));
          }
        },
      });
      await Promise.all(kills);
      assert.equal(report.operations, 20_000);
      assert.equal(kills.length, 3);
      assert.ok(report.errors <= 3, `at most one ambiguous commit per lost connection, got ${report.errors}`);
      const db = openPostgres({ ...pg, database });
      try {
        const [stock] = await db.query<{ m: unknown }>("SELECT MIN(QuantityInStock) AS m FROM Inventory");
        assert.ok(Number(stock.m) >= 0, "stock never negative");
        assert.deepEqual(
          await db.query(`SELECT o.OrderID FROM Orders o
                          WHERE NOT EXISTS (SELECT 1 FROM OrderItems i WHERE i.OrderID = o.OrderID)
                             OR (SELECT COUNT(*) FROM Payments p WHERE p.OrderID = o.OrderID) <> 1
                             OR (o.StatusID IN (4, 5) AND NOT EXISTS (SELECT 1 FROM Reasons r WHERE r.OrderID = o.OrderID))`),
          [],
        );
        const [delivered] = await db.query<{ n: unknown }>(
          "SELECT COUNT(*) AS n FROM Orders WHERE StatusID = 3",
        );
        assert.ok(Number(delivered.n) > 0, "orders reach Delivered");
        // A change that misses its row rolls its whole operation back (nothing of it is committed).
        const reviews = Number((await db.query<{ n: unknown }>("SELECT COUNT(*) AS n FROM Reviews"))[0].n);
        await assert.rejects(
          createExecutor(db).apply([
            { kind: "insert", table: "Reviews", row: { ReviewID: 999_999, ProductID: 1, Rating: 5 } },
            { kind: "update", table: "Products", key: "ProductID", id: 999_999, set: { Name: "x" } },
          ]),
          (e) =>
            e instanceof StaleModelError &&
            /update of Products ProductID 999999 changed 0 rows/.test(e.message),
        );
        assert.equal(
          Number((await db.query<{ n: unknown }>("SELECT COUNT(*) AS n FROM Reviews"))[0].n),
          reviews,
        );
        // The faker moved the identity sequences past its explicit keys: a default key does not collide.
        assert.equal(await db.exec("INSERT INTO Customers (Name) VALUES ('Default Key')"), 1);
      } finally {
        await db.close();
      }
    } finally {
      await admin.exec(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.close();
    }
  },
});

Deno.test("faker on PostgreSQL keeps to --rate while batching round trips", async () => {
  const database = `${run}_paced`;
  const pacedUrl = url.replace(new RegExp(`/${run}$`), `/${database}`);
  const admin = openPostgres({ ...pg, database: "postgres" });
  try {
    await runSetup({
      dialect: "postgres",
      url: pacedUrl,
      connector: false,
      names: { publication: database },
    });
    const report = await runFaker({ dialect: "postgres", url: pacedUrl, rate: 300, duration: 3, seed: 3 });
    assert.equal(report.stoppedBy, "duration");
    // Never faster than the rate (batches run at most 10 ms, 3 operations, early); slower only by what loading
    // the model and a busy machine take.
    assert.ok(report.operations <= 903, `${report.operations} operations in 3 s at 300/s`);
    assert.ok(report.operations >= 600, `${report.operations} operations in 3 s at 300/s`);
  } finally {
    await admin.exec(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.close();
  }
});
