/**
 * Crash bench of the stream processor on the local stack: `deno task stream --source kafka` over a
 * pre-produced backlog (the benchmark's commerce load with duplicates and reordering) is killed with SIGKILL at
 * random moments at least `--kills` times (default 100) during one run, each time restarted in its place, until
 * a last run finishes with --exit-when-idle; then every lake table (every operator output and `_quarantine`)
 * must equal, row by row and column by column, the tables of one uninterrupted run over the same topics.
 * Small batches, frequent state snapshots and Delta checkpoints and an eager compaction policy put the kills
 * mid-batch, mid-state-snapshot, mid-commit, mid-compaction and during startup and recovery (the engine's own
 * crash test does the same over SQLite with 20 kills). Every restart joins a fresh consumer group, so no
 * restart waits for the killed consumer's session to expire (positions come from the lake's checkpoint).
 * Writes the section "stream-crash" of bench/RESULTS.md.
 *
 * Usage: deno run -A bench/stream/crash.ts [--kills N] [--customers N] [--events N]
 *
 * @module
 */
import { parseArgs } from "node:util";
import { deleteS3Prefix } from "../../pipeline/delta/storage/s3_store.ts";
import { S3Http, type S3Settings } from "../../pipeline/delta/storage/s3_http.ts";
import { openStore } from "../../pipeline/delta/storage/open_store.ts";
import { rowsDiffer, tableRows } from "../../pipeline/stream/_lake_rows.ts";
import { OperatorSet } from "../../pipeline/stream/operators/mod.ts";
import { Prng } from "../../pipeline/stream/operators/_prng.ts";
import { PIPELINE_METRICS, QUARANTINE } from "../../pipeline/stream/pipeline_tables.ts";
import { stackEnv } from "../../scripts/stack/env.ts";
import { writeSection } from "../results.ts";
import { benchKafka, createLoadTopics, deleteLoadTopics, loadProducer, preProduce } from "./kafka_load.ts";
import { LoadStream } from "./load_stream.ts";
import { loadAverage } from "./process_sampler.ts";
import { type RunTarget, startLakestream, type SystemRun } from "./system_run.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    kills: { type: "string", default: "100" },
    customers: { type: "string", default: "10000" },
    events: { type: "string", default: "60000" },
  },
});
const KILLS = Number(values.kills);

const env = stackEnv({ services: ["kafka", "minio"] });
const s3: S3Settings = env.minio;
const id = Date.now().toString(36);
const prefix = `bench_crash_${id}`;
const lakeRoot = `bench-crash-${id}`;
const scratch = await Deno.makeTempDir({ prefix: "bench-crash-" });
const kafka = benchKafka(env.kafka.brokers);
const log = (line: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
const loads: number[] = [];
const loadTimer = setInterval(() => loads.push(loadAverage()), 5000);

/** The processor's flags: small batches and eager lake health, so kills land everywhere. */
const FLAGS = [
  "--max-batch-events",
  "100",
  "--max-batch-ms",
  "50",
  "--state-every",
  "4",
  "--checkpoint-every",
  "5",
  "--compact-min-files",
  "6",
];

let spawns = 0;
function start(lake: string, idleSeconds: number): SystemRun {
  const target: RunTarget = {
    brokers: env.kafka.brokers,
    prefix,
    s3,
    bucket: env.minio.bucket,
    lakeKey: `${lakeRoot}/${lake}`,
    id: `crash-${id}-${lake}`,
    scratch,
  };
  return startLakestream(target, {
    flags: [...FLAGS, "--exit-when-idle", String(idleSeconds)],
    group: `${target.id}-${++spawns}`,
  });
}

async function toIdle(lake: string): Promise<number> {
  const t0 = performance.now();
  const run = start(lake, 5);
  const status = await run.status;
  if (status.code !== 0) throw new Error(`the ${lake} run failed: ${JSON.stringify(status)}\n${run.log()}`);
  return (performance.now() - t0) / 1000;
}

try {
  await createLoadTopics(kafka, prefix);
  const producer = await loadProducer(kafka);
  const produced = await preProduce(producer, new LoadStream({ prefix, seed: 9 }), {
    customers: Number(values.customers),
    events: Number(values.events),
  });
  await producer.disconnect();
  log(`produced ${produced.events} change events`);

  const rng = new Prng(4242);
  let kills = 0;
  let endedByThemselves = 0;
  const t0 = performance.now();
  while (kills < KILLS) {
    const run = start("crash", 30);
    await new Promise((r) => setTimeout(r, rng.between(300, 3000)));
    const status = await run.kill();
    if (status.signal === "SIGKILL") kills++;
    else if (status.code === 0) endedByThemselves++;
    else throw new Error(`a crash-run process failed: ${JSON.stringify(status)}\n${run.log()}`);
    if (kills % 10 === 0) log(`${kills} kills`);
  }
  const crashSeconds = (performance.now() - t0) / 1000;
  const metricsOf = async (lake: string) =>
    await tableRows(
      openStore(`s3://${env.minio.bucket}/${lakeRoot}/${lake}/${PIPELINE_METRICS.name}`, { s3 }),
      PIPELINE_METRICS.key,
    );
  const duringKills = await metricsOf("crash");
  const finalSeconds = await toIdle("crash");
  const referenceSeconds = await toIdle("reference");

  const tables = [...new OperatorSet().outputs, QUARANTINE];
  let rows = 0;
  const diffs: string[] = [];
  for (const t of tables) {
    const crashed = await tableRows(
      openStore(`s3://${env.minio.bucket}/${lakeRoot}/crash/${t.name}`, { s3 }),
      t.key,
    );
    const reference = await tableRows(
      openStore(`s3://${env.minio.bucket}/${lakeRoot}/reference/${t.name}`, { s3 }),
      t.key,
    );
    const diff = rowsDiffer(crashed, reference, t.name);
    if (diff) diffs.push(diff);
    rows += reference.length;
  }
  const metrics = await metricsOf("crash");
  const replayed = metrics.filter((r) => r.replayed === true).length;
  const events = metrics.reduce((n, r) => n + Number(r.events), 0);
  const identical = diffs.length === 0 && events === produced.events;
  log(identical ? "identical" : `DIFFERENT:\n${diffs.join("\n")}`);
  const meanLoad = loads.reduce((a, b) => a + b, 0) / Math.max(1, loads.length);
  await writeSection(
    "stream-crash",
    "Stream processor crash bench (bench/stream/crash.ts)",
    [
      `Run: \`deno run -A bench/stream/crash.ts --kills ${KILLS} --customers ${values.customers} --events ${values.events}\`; ` +
      `load average ${meanLoad.toFixed(1)} on average during the run.`,
      "",
      `\`deno task stream --source kafka\` (batches ≤ 100 events or 50 ms, state every 4 batches, Delta ` +
      `checkpoint every 5 versions, compaction from 6 files) over ${
        produced.events.toLocaleString("en-US")
      } ` +
      `change events of the benchmark load (1 % duplicates, 1 % reordered) was killed with SIGKILL ` +
      `**${kills} times** at random moments 0.3–3 s after each start (${endedByThemselves} processes ended ` +
      `by themselves first), in ${crashSeconds.toFixed(0)} s, then run to idle (${
        finalSeconds.toFixed(0)
      } s); ` +
      `an uninterrupted run over the same topics took ${referenceSeconds.toFixed(0)} s. When the last kill ` +
      `landed, ${duringKills.length} batches (${
        duringKills.reduce((n, r) => n + Number(r.events), 0).toLocaleString("en-US")
      } events) were committed.`,
      "",
      `| kills | batches committed | of them replayed after a crash | events committed | rows compared | result |`,
      `|---:|---:|---:|---:|---:|---|`,
      `| ${kills} | ${metrics.length} | ${replayed} | ${events.toLocaleString("en-US")} of ${
        produced.events.toLocaleString("en-US")
      } | ${rows.toLocaleString("en-US")} | ${
        identical ? "every table identical to the uninterrupted run" : "**not met**: tables differ"
      } |`,
      ...(identical ? [] : ["", "Differences:", "", "```", ...diffs, "```"]),
    ].join("\n"),
  );
  if (!identical) Deno.exitCode = 1;
} finally {
  clearInterval(loadTimer);
  await deleteLoadTopics(kafka, prefix).catch((e) => log(`cleanup: ${e.message}`));
  await deleteS3Prefix(new S3Http(s3), env.minio.bucket, `${lakeRoot}/`);
  await Deno.remove(scratch, { recursive: true });
}
