/**
 * The real stack for the stream processor's end-to-end tests: a fresh PostgreSQL database set up by `runSetup`
 * with its own Debezium connector, slot, publication and topics, the faker writing to it, and an
 * `s3://<bucket>/<run>` lake on the stack's MinIO; and the checks that a lake agrees with that source.
 *
 * The source side of every check is read independently of the processor: table contents straight from
 * PostgreSQL (exact text of decimals, microseconds of timestamps), the tracked changes per customer from the
 * faker's own operations, and the commit time of each order insert from the raw Debezium messages.
 *
 * @module
 */
import assert from "node:assert/strict";
import { Kafka, logLevel } from "kafkajs";
import { ECOMMERCE_TABLES, type TableDef } from "../../pipeline/catalog/mod.ts";
import { deleteS3Prefix } from "../../pipeline/delta/storage/s3_store.ts";
import { S3Http, type S3Settings } from "../../pipeline/delta/storage/s3_http.ts";
import { openStore } from "../../pipeline/delta/storage/open_store.ts";
import { rowsDiffer, tableRows } from "../../pipeline/stream/_lake_rows.ts";
import { QUARANTINE } from "../../pipeline/stream/pipeline_tables.ts";
import {
  CUSTOMER_LTV,
  INVENTORY_LEVELS,
  OperatorSet,
  ORDER_STATUS_COUNTS,
  type OutputTable,
  PRODUCT_SALES,
  referenceCustomerLtv,
  referenceInventoryLevels,
  referenceOrderStatusCounts,
  referenceProductSales,
  referenceSalesPerMinute,
  SALES_PER_MINUTE,
  type SalesSource,
  scd2Table,
} from "../../pipeline/stream/operators/mod.ts";
import {
  Decimal,
  type Row,
  rowToJson,
  Timestamp,
  type Value,
  valuesEqual,
} from "../../pipeline/value/mod.ts";
import { type FakerReport, runFaker } from "../../scripts/faker/mod.ts";
import type { Operation } from "../../scripts/faker/operation.ts";
import { deleteConnector, openPostgres, type PostgresConfig, runSetup } from "../../scripts/setup/mod.ts";
import { dropRunDatabase } from "./_pg_run.ts";
import { type StackEnv, stackEnv } from "../../scripts/stack/env.ts";

/** What a faker run wrote, with what the lake must show for it. */
export interface FakerRun {
  report: FakerReport;
  /** customer_id → number of `customers_scd2` versions its tracked changes open. */
  versions: Map<number, number>;
  /** Change events Debezium emits for the whole run so far: snapshot reads plus every row change. */
  events: number;
}

/** One isolated source (database, connector, slot, publication, topics) and lake prefix on the stack. */
export interface StreamRun extends AsyncDisposable {
  /** Unique run name: database, slot, publication and topic prefix. */
  name: string;
  env: StackEnv;
  pg: PostgresConfig;
  s3: S3Settings;
  /** `s3://<bucket>/<name>`: lakes of this run go under it. */
  lakeRoot: string;
  /** Runs the faker against the source (once per run: versions count from the seeded rows). */
  fake(options: { ops: number; seed: number; rate: number }): Promise<FakerRun>;
  /** Waits until every topic holds `events` change events (tombstones not counted). */
  waitForEvents(events: number, timeoutMs?: number): Promise<void>;
  /** Asserts that the lake at `lake` agrees with the source; returns what it compared. */
  assertLakeAgrees(lake: string, faker: FakerRun): Promise<Agreement>;
  close(): Promise<void>;
}

/** What {@linkcode StreamRun.assertLakeAgrees} compared. */
export interface Agreement {
  mirrorRows: number;
  customers: number;
  versions: number;
  aggregateRows: number;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** A SELECT list reading each catalog column exactly: decimals as text, timestamps as epoch microseconds. */
function selectList(def: TableDef): string {
  return def.columns.map((c) => {
    const col = c.source.toLowerCase();
    if (c.type === "timestamp") return `(extract(epoch from ${col}) * 1000000)::bigint::text AS "${c.name}"`;
    if (c.type.startsWith("decimal(") || c.type === "long") return `${col}::text AS "${c.name}"`;
    return `${col} AS "${c.name}"`;
  }).join(", ");
}

/** A PostgreSQL row as the lake's value model holds it (by the catalog's types). */
function sourceRow(def: TableDef, raw: Record<string, unknown>): Row {
  const row: Row = {};
  for (const c of def.columns) {
    const v = raw[c.name];
    if (v === null || v === undefined) row[c.name] = null;
    else if (c.type === "timestamp") row[c.name] = Timestamp.fromMicros(BigInt(v as string));
    else if (c.type.startsWith("decimal(")) row[c.name] = Decimal.parse(v as string);
    else if (c.type === "long") row[c.name] = BigInt(v as string);
    else row[c.name] = v as Value;
  }
  return row;
}

/** Every catalog table of the source, by lake name, in the lake's value model. */
async function readSource(pg: PostgresConfig): Promise<Map<string, Row[]>> {
  const db = openPostgres(pg);
  try {
    const out = new Map<string, Row[]>();
    for (const def of ECOMMERCE_TABLES) {
      const raw = await db.query(`SELECT ${selectList(def)} FROM ${def.source.toLowerCase()}`);
      out.set(def.name, raw.map((r) => sourceRow(def, r)));
    }
    return out;
  } finally {
    await db.close();
  }
}

/**
 * Asserts that the lake rows equal the expected rows on `columns`, matched by `key`; names the first few
 * differences.
 */
function assertSameRows(
  what: string,
  key: readonly string[],
  columns: readonly string[],
  lake: readonly Row[],
  expected: readonly Row[],
): void {
  const keyOf = (r: Row) => rowToJson(Object.fromEntries(key.map((k) => [k, r[k]])));
  const project = (r: Row) => Object.fromEntries(columns.map((c) => [c, r[c] ?? null])) as Row;
  const actual = new Map<string, Row>();
  for (const r of lake) {
    const k = keyOf(r);
    assert.ok(!actual.has(k), `${what}: two lake rows with key ${k}`);
    actual.set(k, project(r));
  }
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const r of expected) {
    const k = keyOf(r);
    seen.add(k);
    const want = project(r);
    const got = actual.get(k);
    if (!got) problems.push(`missing key ${k}: expected ${rowToJson(want)}`);
    else if (!valuesEqual(got, want)) problems.push(`key ${k}: lake ${rowToJson(got)} ≠ ${rowToJson(want)}`);
  }
  for (const [k, r] of actual) if (!seen.has(k)) problems.push(`extra key ${k}: ${rowToJson(r)}`);
  assert.ok(
    problems.length === 0,
    `${what}: ${problems.length} differences (lake ${actual.size} rows, expected ${expected.length}):\n` +
      problems.slice(0, 8).join("\n"),
  );
}

/** Reads every message of `topic` from the beginning to its current end, raw (no lakestream decoder). */
async function readTopic(
  kafka: Kafka,
  topic: string,
  each: (value: Record<string, unknown> | null) => void,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  let ends: Map<number, bigint>;
  try {
    ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, BigInt(p.high)]));
  } finally {
    await admin.disconnect();
  }
  const pending = new Set([...ends].filter(([, end]) => end > 0n).map(([p]) => p));
  if (pending.size === 0) return;
  const consumer = kafka.consumer({ groupId: `check-${crypto.randomUUID()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let done!: () => void;
    const finished = new Promise<void>((r) => done = r);
    await consumer.run({
      eachMessage: ({ partition, message }) => {
        if (!pending.has(partition)) return Promise.resolve();
        each(message.value === null ? null : JSON.parse(message.value.toString()));
        if (BigInt(message.offset) + 1n >= ends.get(partition)!) {
          pending.delete(partition);
          if (pending.size === 0) done();
        }
        return Promise.resolve();
      },
    });
    const timeout = sleep(120_000).then(() => {
      throw new Error(`Cannot read topic "${topic}" to its end within 120 s`);
    });
    await Promise.race([finished, timeout]);
  } finally {
    await consumer.disconnect();
  }
}

/**
 * order_id → commit time of the insert that began its current life, from the raw Debezium messages of the
 * orders topic (`source.ts_us`, else `source.ts_ms`).
 */
async function orderInsertCommits(kafka: Kafka, topic: string): Promise<Map<number, Timestamp>> {
  const out = new Map<number, Timestamp>();
  await readTopic(kafka, topic, (v) => {
    if (v === null) return;
    const p = v.payload as {
      op: string;
      before: { orderid: number } | null;
      after: { orderid: number } | null;
      source: { ts_ms: number; ts_us?: number };
    };
    const id = (p.after ?? p.before)!.orderid;
    if (p.op === "c") {
      out.set(id, Timestamp.fromMicros(BigInt(p.source.ts_us ?? p.source.ts_ms * 1000)));
    } else if (p.op === "d") out.delete(id);
  });
  return out;
}

/** The tables every processor run writes the same way (what two runs are compared on). */
export function comparedTables(): OutputTable[] {
  return [...new OperatorSet().outputs, QUARANTINE];
}

/**
 * Asserts that two lakes hold the same rows in every operator output and `_quarantine` (`_pipeline_metrics`
 * differs by design: instance ids, times).
 */
export async function assertSameLakes(s3: S3Settings, actual: string, expected: string): Promise<number> {
  let rows = 0;
  for (const t of comparedTables()) {
    const a = await tableRows(openStore(`${actual}/${t.name}`, { s3 }), t.key);
    const e = await tableRows(openStore(`${expected}/${t.name}`, { s3 }), t.key);
    const diff = rowsDiffer(a, e, t.name);
    assert.equal(diff, null, diff ?? "");
    rows += e.length;
  }
  return rows;
}

/**
 * Creates a fresh source on the running stack (fails when it is not up): database `<name>` set up by
 * `runSetup` with connector, slot, publication and topic prefix `<name>`. `close()` removes all of them, the
 * consumer groups starting with `<name>` and every object under `lakeRoot`.
 */
export async function openStreamRun(label: string): Promise<StreamRun> {
  const env = stackEnv({ services: ["postgres", "kafka", "connect", "minio"] });
  const name = `${label}_${crypto.randomUUID().slice(0, 8)}`;
  const pg: PostgresConfig = { ...env.postgres, database: name };
  const url = `postgres://${encodeURIComponent(pg.user)}:${
    encodeURIComponent(pg.password)
  }@${pg.host}:${pg.port}/${name}`;
  const names = { name: name.replaceAll("_", "-"), topicPrefix: name, slot: name, publication: name };
  const s3: S3Settings = env.minio;
  const kafka = new Kafka({ clientId: name, brokers: env.kafka.brokers, logLevel: logLevel.NOTHING });
  const topic = (def: TableDef) => `${name}.public.${def.source.toLowerCase()}`;

  const close = async () => {
    const problems: string[] = [];
    const attempt = async (what: string, fn: () => Promise<unknown>) => {
      try {
        await fn();
      } catch (e) {
        problems.push(`${what}: ${(e as Error).message}`);
      }
    };
    await attempt("connector", () => deleteConnector(env.connect.url, names.name));
    await attempt("database", () => dropRunDatabase(pg, name));
    await attempt("topics and groups", async () => {
      const admin = kafka.admin();
      await admin.connect();
      try {
        const topics = (await admin.listTopics()).filter((t) => t.startsWith(`${name}.`));
        if (topics.length > 0) await admin.deleteTopics({ topics });
        let groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) =>
          g.startsWith(name)
        );
        // A group whose members were killed stays non-empty until their sessions time out: retry a while, only
        // the groups still there (one deleted by an earlier attempt answers GROUP_ID_NOT_FOUND).
        for (let attempt = 1; groups.length > 0; attempt++) {
          try {
            await admin.deleteGroups(groups);
            break;
          } catch (e) {
            const answers = (e as { groups?: { groupId: string; error?: { type?: string } }[] }).groups;
            const failed = (answers ?? []).filter((g) => g.error?.type !== "GROUP_ID_NOT_FOUND");
            if (answers && failed.length === 0) break;
            const detail = failed.map((g) => `${g.groupId}: ${g.error?.type ?? "?"}`).join(", ");
            if (attempt >= 30) throw new Error(`${(e as Error).message} (${detail})`);
            if (failed.length > 0) groups = failed.map((g) => g.groupId);
            await new Promise((r) => setTimeout(r, 1000));
          }
        }
      } finally {
        await admin.disconnect();
      }
    });
    await attempt("lake objects", async () => {
      await deleteS3Prefix(new S3Http(s3), env.minio.bucket, `${name}/`);
    });
    if (problems.length > 0) throw new Error(`Cannot clean up run ${name}:\n${problems.join("\n")}`);
  };

  try {
    await runSetup({ dialect: "postgres", url, names, connectUrl: env.connect.url, log: () => {} });
  } catch (e) {
    await close().catch(() => {
      // The setup error is the one to report; what cleanup could not remove is named by a later run's noise.
    });
    throw e;
  }

  return {
    name,
    env,
    pg,
    s3,
    lakeRoot: `s3://${env.minio.bucket}/${name}`,
    async fake({ ops, seed, rate }) {
      const db = openPostgres(pg);
      const tracked = new Map<number, string | null>();
      const versions = new Map<number, number>();
      let seeded = 0;
      try {
        for (const def of ECOMMERCE_TABLES) {
          const [{ n }] = await db.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM ${def.source.toLowerCase()}`,
          );
          seeded += n;
        }
        for (
          const c of await db.query<{ id: number; name: string; email: string; phone: string }>(
            "SELECT customerid AS id, name, email, phonenumber AS phone FROM customers",
          )
        ) {
          tracked.set(c.id, JSON.stringify([c.name, c.email, c.phone]));
          versions.set(c.id, 1);
        }
      } finally {
        await db.close();
      }
      // Each accepted operation in commit order: a change of the tracked columns opens a version.
      const onOperation = (op: Operation) => {
        if (op.kind === "newCustomer") {
          const c = op.customer;
          tracked.set(
            c.CustomerID as number,
            JSON.stringify([c.Name, c.Email ?? null, c.PhoneNumber ?? null]),
          );
          versions.set(c.CustomerID as number, (versions.get(c.CustomerID as number) ?? 0) + 1);
        } else if (op.kind === "updateCustomer") {
          const [n, e, p] = JSON.parse(tracked.get(op.customerId)!) as (string | null)[];
          const next = JSON.stringify([op.set.Name ?? n, op.set.Email ?? e, op.set.PhoneNumber ?? p]);
          if (next !== tracked.get(op.customerId)) {
            versions.set(op.customerId, versions.get(op.customerId)! + 1);
          }
          tracked.set(op.customerId, next);
        } else if (op.kind === "deleteCustomer") tracked.set(op.customerId, null);
      };
      const report = await runFaker({
        dialect: "postgres",
        url,
        ops,
        seed,
        rate,
        log: () => {},
        onOperation,
      });
      assert.equal(report.operations, ops);
      assert.equal(report.errors, 0, "the faker had failed operations");
      let events = seeded;
      for (const c of Object.values(report.changes)) events += c.c + c.u + c.d;
      return { report, versions, events };
    },
    async waitForEvents(events, timeoutMs = 180_000) {
      const admin = kafka.admin();
      await admin.connect();
      try {
        const deadline = Date.now() + timeoutMs;
        let have = 0;
        for (;;) {
          // Offsets count tombstones too: count the change events by reading the topics once they are long enough.
          const topics = new Set(await admin.listTopics());
          let offsets = 0;
          for (const def of ECOMMERCE_TABLES) {
            if (!topics.has(topic(def))) continue;
            for (const p of await admin.fetchTopicOffsets(topic(def))) offsets += Number(p.high);
          }
          if (offsets >= events) {
            have = 0;
            for (const def of ECOMMERCE_TABLES) {
              if (!topics.has(topic(def))) continue;
              await readTopic(kafka, topic(def), (v) => {
                if (v !== null) have++;
              });
            }
            if (have >= events) break;
          }
          assert.ok(
            Date.now() < deadline,
            `Debezium wrote ${have} of ${events} change events (${offsets} messages) in ${
              timeoutMs / 1000
            } s`,
          );
          await sleep(1000);
        }
        assert.equal(have, events, "change events in Kafka (more than the source made: duplicates)");
      } finally {
        await admin.disconnect();
      }
    },
    async assertLakeAgrees(lake, faker) {
      const source = await readSource(pg);
      const rows = async (t: OutputTable) => await tableRows(openStore(`${lake}/${t.name}`, { s3 }), t.key);
      const result: Agreement = { mirrorRows: 0, customers: 0, versions: 0, aggregateRows: 0 };
      const ops = new OperatorSet();
      for (const def of ECOMMERCE_TABLES) {
        if (def.name === "customers") continue;
        const table = ops.outputs.find((t) => t.name === def.name)!;
        const expected = source.get(def.name)!;
        assertSameRows(
          `mirror ${def.name}`,
          def.key,
          def.columns.map((c) => c.name),
          await rows(table),
          expected,
        );
        result.mirrorRows += expected.length;
      }

      const customers = ECOMMERCE_TABLES.find((t) => t.name === "customers")!;
      const scd2 = scd2Table(customers);
      const history = await rows(scd2);
      assertSameRows(
        "customers_scd2 current rows",
        customers.key,
        customers.columns.map((c) => c.name),
        history.filter((r) => r.is_current === true),
        source.get("customers")!,
      );
      const got = new Map<number, number[]>();
      for (const r of history) {
        const id = r.customer_id as number;
        got.set(id, [...(got.get(id) ?? []), Number(r.version)]);
        if (r.is_current === true) {
          assert.equal(r.valid_to, null, `customer ${id}: current version with valid_to`);
        }
      }
      const problems: string[] = [];
      for (const [id, n] of faker.versions) {
        const v = (got.get(id) ?? []).sort((a, b) => a - b);
        if (JSON.stringify(v) !== JSON.stringify(Array.from({ length: n }, (_, i) => i + 1))) {
          problems.push(
            `customer ${id}: versions ${JSON.stringify(v)}, ${n} expected from its tracked changes`,
          );
        }
      }
      for (const id of got.keys()) {
        if (!faker.versions.has(id)) problems.push(`customer ${id}: never in the source`);
      }
      assert.ok(
        problems.length === 0,
        `customers_scd2 versions: ${problems.length} differences:\n${problems.slice(0, 8).join("\n")}`,
      );
      assert.ok(
        [...faker.versions.values()].some((n) => n > 1),
        "some customer has several versions (profile changes reached the lake)",
      );
      result.customers = source.get("customers")!.length;
      result.versions = history.length;

      const sales: SalesSource = {
        tables: Object.fromEntries(source),
        orderInsertCommits: await orderInsertCommits(
          kafka,
          topic(ECOMMERCE_TABLES.find((t) => t.name === "orders")!),
        ),
      };
      const aggregates: [OutputTable, Row[]][] = [
        [SALES_PER_MINUTE, referenceSalesPerMinute(sales)],
        [PRODUCT_SALES, referenceProductSales(sales)],
        [INVENTORY_LEVELS, referenceInventoryLevels(sales)],
        [ORDER_STATUS_COUNTS, referenceOrderStatusCounts(sales)],
        [CUSTOMER_LTV, referenceCustomerLtv(sales)],
      ];
      for (const [table, reference] of aggregates) {
        assertSameRows(
          table.name,
          table.key,
          table.schema.fields.map((f) => f.name),
          await rows(table),
          reference,
        );
        result.aggregateRows += reference.length;
      }
      const quarantined = await rows(QUARANTINE);
      assert.equal(
        quarantined.length,
        0,
        `quarantined: ${quarantined.slice(0, 3).map(rowToJson).join("\n")}`,
      );
      return result;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
