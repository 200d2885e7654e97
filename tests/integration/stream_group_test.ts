/**
 * Several processor instances of one job in one Kafka consumer group, on the real stack with the lake on MinIO.
 * With `--ha`:
 * two `deno task stream --source kafka --ha` subprocesses start at the same moment (they race for the job's
 * lease: one runs, the other stands by), then the active one is killed with SIGKILL mid-run, a fresh standby
 * is started in its place, and so on for {@linkcode FAILOVERS} takeovers, each kill landing at a random moment
 * after the new active instance committed a few batches. When the last active instance has gone idle, both
 * remaining instances exit cleanly and the lake equals, row by row, the one a single in-process instance made
 * from the same topics, and agrees with the PostgreSQL source.
 * `source_position` included: rows of a PostgreSQL snapshot share one LSN and are told apart by their Kafka
 * offset, so a new active instance re-reading from the middle of a snapshot gives them the same positions.
 *
 * With `--shard`: two instances share the job's shards while the faker writes; the one running the `sales` shard
 * is killed after a few of its batches and a third joins; the group moves its shards to the others, which
 * recover them from their WALs. Every table equals the single instance's and agrees with the source, both
 * first instances committed batches of their own, the killed one of the `sales` shard, and the `sales` shard
 * went on elsewhere after the kill.
 */
import assert from "node:assert/strict";
import { S3Store } from "../../pipeline/delta/storage/s3_store.ts";
import { openStore } from "../../pipeline/delta/storage/open_store.ts";
import { tableRows } from "../../pipeline/stream/_lake_rows.ts";
import { silentLogger } from "../../pipeline/stream/logger.ts";
import { PIPELINE_METRICS } from "../../pipeline/stream/pipeline_tables.ts";
import { runStream } from "../../pipeline/stream/run_stream.ts";
import { Prng } from "../../pipeline/stream/operators/_prng.ts";
import { rowsDiffer } from "../../pipeline/stream/_lake_rows.ts";
import { comparedTables, type FakerRun, openStreamRun, type StreamRun } from "./_stream_e2e_fixture.ts";

const MAIN = new URL("../../pipeline/stream/main.ts", import.meta.url).pathname;
const FAILOVERS = 3;

/** A processor subprocess whose stderr (JSON log lines) is collected as it comes. */
interface Instance {
  id: string;
  child: Deno.ChildProcess;
  lines: string[];
  /** Resolves when stderr is closed (the process ended). */
  drained: Promise<void>;
}

/** `mode`: `--ha` (lease, hot standby) or `--shard` (the group shares the shards). */
function start(run: StreamRun, id: string, job: string, lake: string, mode: "--ha" | "--shard"): Instance {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      MAIN,
      "--source",
      "kafka",
      "--brokers",
      run.env.kafka.brokers.join(","),
      "--topic-prefix",
      run.name,
      "--group",
      `${run.name}-${job}`,
      "--job",
      job,
      "--lake",
      lake,
      ...(mode === "--ha" ? ["--ha", "--lease-ttl-ms", "2000"] : ["--shard"]),
      "--session-timeout-ms",
      "6000",
      "--instance",
      id,
      // Small batches: the data must last through every failover of the --ha test (each takeover commits).
      "--max-batch-events",
      mode === "--ha" ? "20" : "50",
      "--state-every",
      "5",
      "--exit-when-idle",
      mode === "--ha" ? "12" : "15",
      "--no-status",
      "--log-format",
      "json",
    ],
    env: {
      AWS_ENDPOINT_URL: run.s3.endpoint!,
      AWS_ACCESS_KEY_ID: run.s3.accessKeyId!,
      AWS_SECRET_ACCESS_KEY: run.s3.secretAccessKey!,
      AWS_REGION: run.s3.region!,
    },
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const lines: string[] = [];
  const drained = (async () => {
    let rest = "";
    for await (const text of child.stderr.pipeThrough(new TextDecoderStream())) {
      const parts = (rest + text).split("\n");
      rest = parts.pop()!;
      lines.push(...parts);
    }
    if (rest) lines.push(rest);
  })();
  return { id, child, lines, drained };
}

function logOf(i: Instance): string {
  return `instance ${i.id}:\n${i.lines.slice(-30).join("\n")}`;
}

/** Whether the instance logged that it holds the lease. */
function isActive(i: Instance): boolean {
  return i.lines.some((l) => l.includes("taking over"));
}

/** The newest batch claimed in the job's WAL on MinIO (0 before any). */
async function newestBatch(run: StreamRun, job: string, lake: string): Promise<number> {
  const prefix = `${lake.slice(`s3://${run.env.minio.bucket}/`.length)}/_checkpoints/${job}/offsets`;
  const wal = new S3Store({ ...run.s3, bucket: run.env.minio.bucket, prefix });
  let newest = 0;
  for await (const o of wal.list("")) {
    const b = Number(/(\d+)\.json$/.exec(o.key)?.[1] ?? 0);
    if (b > newest) newest = b;
  }
  return newest;
}

/** One instance, in-process, over the run's topics until idle: the lake every group must equal. */
async function referenceRun(run: StreamRun, faker: FakerRun): Promise<string> {
  const single = `${run.lakeRoot}/single`;
  const report = await runStream({
    source: {
      kind: "kafka",
      brokers: run.env.kafka.brokers,
      topicPrefix: run.name,
      groupId: `${run.name}-s`,
    },
    lake: single,
    s3: run.s3,
    job: "single",
    exitWhenIdleSeconds: 8,
    logger: silentLogger,
    engine: { maxBatchEvents: 50 },
  });
  assert.equal(report.events, faker.events);
  return single;
}

/** Every compared table of `lake` equals the reference's, row by row. */
async function assertSameTables(run: StreamRun, lake: string, single: string): Promise<void> {
  for (const t of comparedTables()) {
    const group = await tableRows(openStore(`${lake}/${t.name}`, { s3: run.s3 }), t.key);
    const one = await tableRows(openStore(`${single}/${t.name}`, { s3: run.s3 }), t.key);
    const diff = rowsDiffer(group, one, t.name);
    assert.equal(diff, null, diff ?? "");
  }
}

/** Kills what still runs and waits for every instance's output. */
/** Waits for each instance to end on its own (idle) and asserts it exited with 0. */
async function assertExitedCleanly(instances: readonly Instance[]): Promise<void> {
  for (const i of instances) {
    const status = await i.child.status;
    await i.drained;
    assert.equal(status.code, 0, `instance ${i.id} failed\n${logOf(i)}`);
  }
}

async function killAll(instances: readonly Instance[]): Promise<void> {
  for (const i of instances) {
    try {
      i.child.kill("SIGKILL");
    } catch {
      // Already exited.
    }
    await i.child.status;
    await i.drained;
  }
}

async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  log: () => string,
) {
  const deadline = Date.now() + timeoutMs;
  while (!await check()) {
    assert.ok(Date.now() < deadline, `${what} within ${timeoutMs / 1000} s\n${log()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

Deno.test({
  name:
    "stream instances in one consumer group with --ha: the active one killed mid-run 3 times, same tables as one",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    await using run = await openStreamRun("stream_group");
    const faker = await run.fake({ ops: 1500, seed: 23, rate: 0 });
    await run.waitForEvents(faker.events);

    // The reference: one instance, in-process, to idle.
    const single = await referenceRun(run, faker);
    await run.assertLakeAgrees(single, faker);

    const job = "group";
    const lake = `${run.lakeRoot}/group`;
    const rng = new Prng(77);
    const live: Instance[] = [start(run, "i1", job, lake, "--ha"), start(run, "i2", job, lake, "--ha")];
    const all = [...live];
    const logs = () => all.map(logOf).join("\n");
    let kills = 0;
    try {
      while (kills < FAILOVERS) {
        await waitFor("an instance takes the lease", () => live.some(isActive), 60_000, logs);
        const active = live.find(isActive)!;
        const other = live.filter((i) => i !== active);
        assert.equal(other.filter(isActive).length, 0, `two active instances at once\n${logs()}`);
        // A few batches of its own first, then a random moment (mid-batch, mid-state, mid-commit).
        const from = await newestBatch(run, job, lake);
        await waitFor(
          `instance ${active.id} commits 3 batches`,
          async () => await newestBatch(run, job, lake) >= from + 3,
          120_000,
          logs,
        );
        await new Promise((r) => setTimeout(r, rng.between(0, 800)));
        active.child.kill("SIGKILL");
        const status = await active.child.status;
        assert.equal(status.signal, "SIGKILL", `instance ${active.id} ended before the kill\n${logs()}`);
        kills++;
        live.splice(live.indexOf(active), 1);
        const fresh = start(run, `i${all.length + 1}`, job, lake, "--ha");
        live.push(fresh);
        all.push(fresh);
      }
      await assertExitedCleanly(live);
    } finally {
      await killAll(all);
    }

    await assertSameTables(run, lake, single);
    await run.assertLakeAgrees(lake, faker);
    const metrics = await tableRows(
      openStore(`${lake}/${PIPELINE_METRICS.name}`, { s3: run.s3 }),
      PIPELINE_METRICS.key,
    );
    assert.equal(
      new Set(metrics.map((r) => r.batch_id)).size,
      metrics.length,
      "each batch once in the metrics",
    );
    const byInstance = Map.groupBy(metrics, (r) => `${r.instance}${r.replayed ? " (replayed)" : ""}`);
    const instances = new Set(metrics.map((r) => r.instance));
    assert.ok(
      instances.size >= FAILOVERS + 1,
      `batches by ${[...instances].join(", ")}: every takeover committed`,
    );
    console.log(
      `${faker.events} events, ${kills} kills of the active instance; batches: ${
        [...byInstance].map(([k, v]) => `${v.length} by ${k}`).join(", ")
      }`,
    );
  },
});

/** Shards that the instance logged taking over. */
function shardsTaken(i: Instance): Set<string> {
  const taken = new Set<string>();
  for (const line of i.lines) {
    if (!line.includes("taking over")) continue;
    const shard = (JSON.parse(line) as { shard?: string }).shard;
    if (shard) taken.add(shard);
  }
  return taken;
}

/** Whether the instance runs `<job>.<shard>` now: it took it over and has not logged losing it since. */
function runs(i: Instance, job: string, shard: string): boolean {
  let running = false;
  for (const line of i.lines) {
    if (!line.includes(`"${job}.${shard}"`)) continue;
    if (line.includes("taking over")) running = true;
    else if (line.includes("standing by") || line.includes('"stopped"')) running = false;
  }
  return running;
}

Deno.test({
  name:
    "stream instances in one consumer group with --shard: both run shards, one killed and replaced mid-run, same tables as one",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    await using run = await openStreamRun("stream_shards");
    const job = "sharded";
    const lake = `${run.lakeRoot}/sharded`;
    // The instances start with the snapshot and read the faker's changes as they come.
    const live: Instance[] = [start(run, "i1", job, lake, "--shard"), start(run, "i2", job, lake, "--shard")];
    const all = [...live];
    const logs = () => all.map(logOf).join("\n");
    let killed = "";
    let faker: FakerRun;
    try {
      const faking = run.fake({ ops: 1500, seed: 29, rate: 100 });
      await waitFor(
        "both instances run shards",
        () => live.every((i) => shardsTaken(i).size > 0),
        90_000,
        logs,
      );
      // The one running the sales shard (the heaviest) is killed once it committed a few batches of it.
      await waitFor(
        "an instance runs the sales shard",
        () => live.some((i) => runs(i, job, "sales")),
        60_000,
        logs,
      );
      const victim = live.find((i) => runs(i, job, "sales"))!;
      const from = await newestBatch(run, `${job}.sales`, lake);
      await waitFor(
        `instance ${victim.id} commits 3 sales batches`,
        async () => await newestBatch(run, `${job}.sales`, lake) >= from + 3,
        120_000,
        logs,
      );
      await new Promise((r) => setTimeout(r, new Prng(31).between(0, 800)));
      victim.child.kill("SIGKILL");
      killed = victim.id;
      assert.equal(
        (await victim.child.status).signal,
        "SIGKILL",
        `instance ${victim.id} ended early\n${logs()}`,
      );
      live.splice(live.indexOf(victim), 1);
      const fresh = start(run, "i3", job, lake, "--shard");
      live.push(fresh);
      all.push(fresh);
      faker = await faking;
      await run.waitForEvents(faker.events);
      await assertExitedCleanly(live);
    } finally {
      await killAll(all);
    }

    // The reference: one instance, in-process, over the same topics.
    const single = await referenceRun(run, faker);

    await assertSameTables(run, lake, single);
    await run.assertLakeAgrees(lake, faker);
    const metrics = await tableRows(
      openStore(`${lake}/${PIPELINE_METRICS.name}`, { s3: run.s3 }),
      PIPELINE_METRICS.key,
    );
    const summary = [
      ...Map.groupBy(metrics, (r) => `${r.job} by ${r.instance}${r.replayed ? " (replayed)" : ""}`),
    ]
      .map(([k, v]) => `${v.length} ${k}`).join(", ");
    console.log(`${faker.events} events; batches: ${summary}`);
    // The load was shared: both first instances committed batches of their own, the killed one of sales.
    const own = metrics.filter((r) => !r.replayed);
    for (const id of ["i1", "i2"]) {
      assert.ok(
        own.some((r) => r.instance === id),
        `instance ${id} committed batches of its own: ${summary}`,
      );
    }
    assert.ok(
      own.some((r) => r.job === `${job}.sales` && r.instance === killed),
      `the killed instance ${killed} committed sales batches of its own: ${summary}`,
    );
    assert.ok(
      metrics.some((r) => r.job === `${job}.sales` && r.instance !== killed),
      `the sales shard went on elsewhere after the kill: ${summary}`,
    );
  },
});
