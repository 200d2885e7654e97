/**
 * The e-commerce source as `deno task setup --dialect postgres` creates it, captured by Debezium and read with
 * KafkaSource and the default catalog: topics `<prefix>.public.<lower-case table>` map to the lake's snake_case
 * tables and columns (`orderitems` → `order_items`, `quantityinstock` → `quantity_in_stock`), money arrives as
 * exact decimal(18,2), and every seeded row arrives as a snapshot read, equal to the database's own values.
 * Runs in its own database, connector, slot, publication and topics, and removes them afterwards.
 */
import assert from "node:assert/strict";
import { ECOMMERCE_TABLES } from "../../pipeline/catalog/mod.ts";
import type { ChangeEvent } from "../../pipeline/cdc/change_event.ts";
import { KafkaSource } from "../../pipeline/cdc/source/kafka_source.ts";
import { toJsonValue } from "../../pipeline/value/mod.ts";
import { deleteConnector, openPostgres, type PostgresConfig, runSetup } from "../../scripts/setup/mod.ts";
import { dropRunDatabase } from "./_pg_run.ts";
import { stackEnv } from "../../scripts/stack/env.ts";
import { deleteTopics, kafkaClient } from "./cdc_kafka_fixture.ts";

Deno.test("KafkaSource decodes the e-commerce tables setup captures into the catalog's lake names and exact values", async () => {
  const env = stackEnv({ services: ["postgres", "kafka", "connect"] });
  const run = `cdc_ecom_${crypto.randomUUID().slice(0, 8)}`;
  const pg: PostgresConfig = { ...env.postgres, database: run };
  const url = `postgres://${encodeURIComponent(pg.user)}:${
    encodeURIComponent(pg.password)
  }@${pg.host}:${pg.port}/${run}`;
  const names = { name: run.replaceAll("_", "-"), topicPrefix: run, slot: run, publication: run };
  const kafka = kafkaClient();
  let source: KafkaSource | null = null;
  try {
    await runSetup({ dialect: "postgres", url, names, connectUrl: env.connect.url, log: () => {} });
    const db = openPostgres(pg);
    let expected: Map<string, number>;
    let products: Record<string, unknown>[];
    try {
      expected = new Map();
      for (const t of ECOMMERCE_TABLES) {
        const [row] = await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM ${t.source.toLowerCase()}`,
        );
        if (row.n > 0) expected.set(t.name, row.n);
      }
      products = await db.query(
        `SELECT productid::text AS product_id, price::text AS price,
           to_char(createdat AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS created_at FROM products`,
      );
    } finally {
      await db.close();
    }
    // Wait for Debezium's snapshot to create the topics, then read them all.
    const admin = kafka.admin();
    await admin.connect();
    const wanted = [...expected.keys()].map((t) =>
      `${run}.public.${ECOMMERCE_TABLES.find((d) => d.name === t)!.source.toLowerCase()}`
    );
    const deadline = Date.now() + 120_000;
    for (;;) {
      const topics = await admin.listTopics();
      if (wanted.every((t) => topics.includes(t))) break;
      assert.ok(
        Date.now() < deadline,
        `topics missing after 120 s: ${wanted.filter((t) => !topics.includes(t))}`,
      );
      await new Promise((r) => setTimeout(r, 500));
    }
    await admin.disconnect();
    source = new KafkaSource({ brokers: env.kafka.brokers, groupId: `${run}-g`, topicPrefix: run });
    const events: ChangeEvent[] = [];
    const total = [...expected.values()].reduce((a, b) => a + b, 0);
    const end = Date.now() + 120_000;
    while (events.length < total) {
      assert.ok(Date.now() < end, `${events.length} of ${total} snapshot rows after 120 s`);
      const b = await source.next({ maxWaitMs: 500 });
      assert.equal(b.quarantined.length, 0, b.quarantined[0]?.error);
      for (const r of b.records) if (r.kind === "change") events.push(r.event);
    }
    const perTable = new Map<string, number>();
    for (const e of events) perTable.set(e.table, (perTable.get(e.table) ?? 0) + 1);
    assert.deepEqual(perTable, expected, "every seeded row, under the lake's table name");
    for (const e of events) {
      const def = ECOMMERCE_TABLES.find((t) => t.name === e.table)!;
      assert.equal(e.op, "r");
      assert.deepEqual(Object.keys(e.after!).sort(), def.columns.map((c) => c.name).sort(), e.table);
      assert.deepEqual(Object.keys(e.key), def.key);
    }
    const decoded = events.filter((e) => e.table === "products").map((e) => {
      const j = toJsonValue(e.after!) as Record<string, string | number>;
      return {
        product_id: String(j.product_id),
        price: j.price,
        created_at: String(j.created_at).replace(/Z$/, ""),
      };
    });
    const byId = (a: { product_id: string }, b: { product_id: string }) =>
      Number(a.product_id) - Number(b.product_id);
    assert.deepEqual(
      decoded.sort(byId),
      products.sort(byId as never),
      "prices and times as PostgreSQL has them",
    );
  } finally {
    await source?.close();
    await deleteConnector(env.connect.url, names.name).catch(() => undefined);
    await dropRunDatabase(pg, run);
    await deleteTopics(kafka, run);
  }
});
