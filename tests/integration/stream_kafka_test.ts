/**
 * The stream processor on the Kafka path of the real local stack: the faker writes into PostgreSQL, Debezium
 * captures it into Kafka, and `deno task stream --source kafka` (a subprocess) writes the lake.
 * - One instance: every mirror holds as many rows as its PostgreSQL table.
 * - Two instances with `--ha` started together on another lake: one runs, the other waits as hot standby; the active one is
 *   killed with SIGKILL after a few batches, the standby takes over from the WAL; the tables equal the single
 *   instance's, row by row.
 * Runs in its own database, connector, slot, publication and topics, and removes them afterwards. Fails (never
 * skips) when the stack is not up.
 */
import assert from "node:assert/strict";
import { Kafka, logLevel } from "kafkajs";
import { ECOMMERCE_TABLES } from "../../pipeline/catalog/mod.ts";
import { openStore } from "../../pipeline/delta/storage/open_store.ts";
import { rowsDiffer, tableRows } from "../../pipeline/stream/_lake_rows.ts";
import { OperatorSet } from "../../pipeline/stream/operators/mod.ts";
import { PIPELINE_METRICS, QUARANTINE } from "../../pipeline/stream/pipeline_tables.ts";
import { runFaker } from "../../scripts/faker/mod.ts";
import { deleteConnector, openPostgres, type PostgresConfig, runSetup } from "../../scripts/setup/mod.ts";
import { dropRunDatabase } from "./_pg_run.ts";
import { deleteTopics } from "./cdc_kafka_fixture.ts";
import { stackEnv } from "../../scripts/stack/env.ts";

const MAIN = new URL("../../pipeline/stream/main.ts", import.meta.url).pathname;

/** Processors started by the test, stopped in its `finally` when an assertion failed while they ran. */
const running = new Set<Deno.ChildProcess>();

function spawn(args: string[]): Deno.ChildProcess {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, ...args],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  running.add(child);
  child.status.finally(() => running.delete(child));
  return child;
}

async function stopAll(): Promise<void> {
  for (const child of running) {
    try {
      child.kill("SIGKILL");
    } catch {
      // Exited meanwhile.
    }
    await child.output();
  }
}

async function succeed(child: Deno.ChildProcess, what: string): Promise<void> {
  const out = await child.output();
  assert.equal(out.code, 0, `${what} failed:\n${new TextDecoder().decode(out.stderr)}`);
}

/** Waits until the topics under `prefix` hold at least `min` messages and stop growing for `quietMs`. */
async function waitForTopics(kafka: Kafka, prefix: string, min: number, quietMs: number): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    let last = -1;
    let since = Date.now();
    const deadline = Date.now() + 180_000;
    for (;;) {
      assert.ok(
        Date.now() < deadline,
        `Debezium did not deliver ${min} messages under ${prefix} within 180 s`,
      );
      let total = 0;
      for (const topic of (await admin.listTopics()).filter((t) => t.startsWith(`${prefix}.`))) {
        for (const p of await admin.fetchTopicOffsets(topic)) total += Number(p.high) - Number(p.low);
      }
      if (total !== last) {
        last = total;
        since = Date.now();
      } else if (total >= min && Date.now() - since >= quietMs) return total;
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    await admin.disconnect();
  }
}

/** Batches committed to a lake: one `_pipeline_metrics` commit each (its last table to commit a batch). */
async function countBatches(lake: string): Promise<number> {
  let n = 0;
  try {
    for await (const e of Deno.readDir(`${lake}/_pipeline_metrics/_delta_log`)) {
      if (/^\d{20}\.json$/.test(e.name)) n++;
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return n;
}

Deno.test("stream processor on Kafka: one instance mirrors PostgreSQL; two with --ha, the active one killed, give the same tables", async () => {
  const env = stackEnv({ services: ["postgres", "kafka", "connect"] });
  const run = `it_stream_${crypto.randomUUID().slice(0, 8)}`;
  const pg: PostgresConfig = { ...env.postgres, database: run };
  const url = `postgres://${encodeURIComponent(pg.user)}:${
    encodeURIComponent(pg.password)
  }@${pg.host}:${pg.port}/${run}`;
  const names = { name: run.replaceAll("_", "-"), topicPrefix: run, slot: run, publication: run };
  const kafka = new Kafka({
    clientId: "stream-test",
    brokers: env.kafka.brokers,
    logLevel: logLevel.NOTHING,
  });
  const dir = await Deno.makeTempDir({ prefix: "stream_kafka_" });
  try {
    await runSetup({ dialect: "postgres", url, names, connectUrl: env.connect.url, log: () => {} });
    const faker = await runFaker({ dialect: "postgres", url, ops: 400, rate: 0, seed: 5, log: () => {} });
    const db = openPostgres(pg);
    const counts = new Map<string, number>();
    let seeded = 0;
    try {
      for (const t of ECOMMERCE_TABLES) {
        const [row] = await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM ${t.source.toLowerCase()}`,
        );
        counts.set(t.name, row.n);
        seeded += row.n;
      }
    } finally {
      await db.close();
    }
    const messages = await waitForTopics(kafka, run, seeded, 5000);
    assert.ok(messages >= faker.operations, `${messages} messages`);

    const common = [
      "--source",
      "kafka",
      "--brokers",
      env.kafka.brokers.join(","),
      "--topic-prefix",
      run,
      "--session-timeout-ms",
      "6000",
      "--max-batch-events",
      "30",
      "--state-every",
      "5",
      "--no-status",
      "--log-format",
      "json",
    ];
    await succeed(
      spawn([...common, "--lake", `${dir}/single`, "--job", "single", "--exit-when-idle", "8"]),
      "the single instance",
    );
    for (const def of ECOMMERCE_TABLES.filter((t) => t.name !== "customers")) {
      const rows = await tableRows(openStore(`${dir}/single/${def.name}`), def.key);
      assert.equal(rows.length, counts.get(def.name), `mirror ${def.name} vs PostgreSQL`);
    }

    // Both start at once: one takes the lease, the other stands by. The active one (the instance of the last
    // committed batch) is killed after a few batches, and the standby takes over from the WAL.
    const pair = [...common, "--lake", `${dir}/pair`, "--job", "pair", "--ha", "--lease-ttl-ms", "2000"];
    const instances = new Map(
      ["a", "b"].map((id) => [id, spawn([...pair, "--exit-when-idle", "10", "--instance", id])]),
    );
    const deadline = Date.now() + 120_000;
    while (await countBatches(`${dir}/pair`) < 3) {
      assert.ok(Date.now() < deadline, "the active instance committed no batches within 120 s");
      await new Promise((r) => setTimeout(r, 50));
    }
    const early = await tableRows(openStore(`${dir}/pair/${PIPELINE_METRICS.name}`), PIPELINE_METRICS.key);
    const activeId = String(early.reduce((a, b) => (b.batch_id! > a.batch_id! ? b : a)).instance);
    const active = instances.get(activeId)!;
    active.kill("SIGKILL");
    const killed = await active.output();
    assert.equal(killed.signal, "SIGKILL", "the active instance was still running when killed");
    await succeed(instances.get(activeId === "a" ? "b" : "a")!, "the standby instance");

    // Every column, source_position too: snapshot rows sharing an LSN are told apart by their Kafka offset, so
    // the rows a standby re-reads from the middle of a snapshot keep their positions.
    for (const t of [...new OperatorSet().outputs, QUARANTINE]) {
      const one = await tableRows(openStore(`${dir}/single/${t.name}`), t.key);
      const two = await tableRows(openStore(`${dir}/pair/${t.name}`), t.key);
      const diff = rowsDiffer(two, one, t.name);
      assert.equal(diff, null, diff ?? "");
    }
    const metrics = await tableRows(openStore(`${dir}/pair/${PIPELINE_METRICS.name}`), PIPELINE_METRICS.key);
    const byInstance = Map.groupBy(metrics, (r) => `${r.instance}${r.replayed ? " (replayed)" : ""}`);
    console.log(
      `${messages} messages; pair batches: ${
        [...byInstance].map(([k, v]) => `${v.length} by ${k}`).join(", ")
      }`,
    );
    assert.ok(byInstance.has("a") && byInstance.has("b"), "both instances committed batches");
  } finally {
    await stopAll();
    await Deno.remove(dir, { recursive: true });
    await cleanUp(env.connect.url, names.name, pg, run, kafka);
  }
});

async function cleanUp(connectUrl: string, connector: string, pg: PostgresConfig, run: string, kafka: Kafka) {
  await deleteConnector(connectUrl, connector).catch((e) => console.error(`cleanup: ${e.message}`));
  await dropRunDatabase(pg, run);
  await deleteTopics(kafka, `${run}.`);
}
