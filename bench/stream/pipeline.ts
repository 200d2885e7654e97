/**
 * The stream processor against the original approach, side by side in one run on the local stack (same
 * Kafka, same MinIO, same machine, each system pinned with `taskset -c 0,1` and run alone):
 * - throughput: a pre-produced backlog (catalog, `--customers` customer snapshot reads, then the commerce mix
 *   with 1 % duplicates and 1 % reordered events up to `--events` change events) consumed to the end by
 *   `deno task stream` (all operators) and by the Spark baseline with `trigger(availableNow=True)`; both read
 *   the same topics. Sustained rate = events / (last commit end − first batch start); also events per CPU
 *   second, peak RSS of the process tree (JVM + Python for Spark), and the time from spawn to the first commit.
 *   With the default 1M customers this is also the peak-RSS-with-1M-keys run, made twice by Lakestream: with
 *   its defaults (copy-on-write) and with `--deletion-vectors`.
 * - where Lakestream's CPU goes: a second, profiled run (`--cpu-prof`) over the same backlog.
 * - latency, source commit → Delta commit, at each `--rates` for `--seconds`: open-loop load on fresh topics per
 *   system and rate (the same seeded stream), Lakestream with its defaults (batches ≤ 200 ms), Spark with
 *   `processingTime` 1 s; p50/p99 per event (see latency.ts), after the systems committed the initial load.
 * Writes the section "stream-pipeline" of bench/RESULTS.md. Everything created (topics, lake prefixes, the
 * scratch folder) is removed afterwards.
 *
 * Usage: deno run -A bench/stream/pipeline.ts [--customers N] [--events N] [--rates 1000,5000,10000]
 *        [--seconds S] [--no-spark] [--no-spark-keys]
 *
 * @module
 */
import { parseArgs } from "node:util";
import { history } from "../../pipeline/delta/log/history.ts";
import { openStore } from "../../pipeline/delta/storage/open_store.ts";
import { deleteS3Prefix } from "../../pipeline/delta/storage/s3_store.ts";
import { S3Http, type S3Settings } from "../../pipeline/delta/storage/s3_http.ts";
import { OperatorSet } from "../../pipeline/stream/operators/mod.ts";
import { stackEnv } from "../../scripts/stack/env.ts";
import { writeSection } from "../results.ts";
import { profileStages, readNewestProfile } from "./cpu_profile.ts";
import {
  benchKafka,
  createLoadTopics,
  deleteLoadTopics,
  loadProducer,
  preProduce,
  produceAtRate,
} from "./kafka_load.ts";
import { type LatencySummary, summarizeLatency } from "./latency.ts";
import { LoadStream } from "./load_stream.ts";
import { loadAverage, type ProcessUsage } from "./process_sampler.ts";
import {
  type BatchRecord,
  type RunTarget,
  sparkLastCommit,
  startLakestream,
  startSpark,
  type SystemRun,
} from "./system_run.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    customers: { type: "string", default: "100000" },
    events: { type: "string", default: "300000" },
    "key-customers": { type: "string", default: "1000000" },
    "key-events": { type: "string", default: "50000" },
    rates: { type: "string", default: "1000,5000,10000" },
    seconds: { type: "string", default: "40" },
    "no-spark": { type: "boolean", default: false },
    "no-spark-keys": { type: "boolean", default: false },
  },
});
const CUSTOMERS = Number(values.customers);
const EVENTS = Number(values.events);
const KEY_CUSTOMERS = Number(values["key-customers"]);
const KEY_EVENTS = Number(values["key-events"]);
const RATES = values.rates!.split(",").map(Number);
const SECONDS = Number(values.seconds);
const SPARK = !values["no-spark"];
/** The memory backlog without Spark: at its ~100–150 ev/s a million-key backlog would take hours. */
const SPARK_KEYS = SPARK && !values["no-spark-keys"];
/** How long a Spark backlog run may take before it is stopped and reported as not finished. */
const SPARK_TIMEOUT_MS = 90 * 60_000;

const env = stackEnv({ services: ["kafka", "minio"] });
const s3: S3Settings = env.minio;
const id = Date.now().toString(36);
const lakeRoot = `bench-stream-${id}`;
const scratch = await Deno.makeTempDir({ prefix: "bench-stream-" });
const kafka = benchKafka(env.kafka.brokers);
const prefixes: string[] = [];
const loads: number[] = [];
const loadTimer = setInterval(() => loads.push(loadAverage()), 5000);
const log = (line: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

function target(prefix: string, name: string): RunTarget {
  const dir = `${scratch}/${name}`;
  Deno.mkdirSync(dir, { recursive: true });
  return {
    brokers: env.kafka.brokers,
    prefix,
    s3,
    bucket: env.minio.bucket,
    lakeKey: `${lakeRoot}/${name}`,
    id: `bench-${id}-${name}`,
    scratch: dir,
  };
}

async function topics(name: string): Promise<string> {
  const prefix = `bench_${name}_${id}`;
  prefixes.push(prefix);
  await createLoadTopics(kafka, prefix);
  return prefix;
}

/** Waits for a run to exit by itself; fails with its log otherwise. */
async function finish(run: SystemRun, timeoutMs: number): Promise<void> {
  const timer = setTimeout(() => run.stop(), timeoutMs);
  const status = await run.status;
  clearTimeout(timer);
  if (status.code !== 0) throw new Error(`${run.name} failed (${JSON.stringify(status)}):\n${run.log()}`);
}

/** Waits until a run's batches hold `events` change events; false after `timeoutMs`. */
async function committed(run: SystemRun, events: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // No metrics table yet reads as no batches.
    const have = (await run.batches()).reduce((n, b) => n + b.events, 0);
    if (have >= events) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 500));
  }
}

interface Throughput {
  events: number;
  seconds: number;
  rate: number;
  perCpuSecond: number;
  usage: ProcessUsage;
  firstCommitS: number;
}

function throughput(
  batches: BatchRecord[],
  lastEnd: number,
  usage: ProcessUsage,
  spawnedAt: number,
): Throughput {
  const events = batches.reduce((n, b) => n + b.events, 0);
  const start = Math.min(...batches.map((b) => b.start));
  const seconds = (Math.max(lastEnd, ...batches.map((b) => b.end)) - start) / 1000;
  return {
    events,
    seconds,
    rate: events / seconds,
    perCpuSecond: events / usage.cpuSeconds,
    usage,
    firstCommitS: (Math.min(...batches.map((b) => b.end)) - spawnedAt) / 1000,
  };
}

/** Per table of a lake: rows its MERGE commits changed, and rows they copied into rewritten files. */
async function rewrites(
  lakeKey: string,
): Promise<{ table: string; changed: number; copied: number; files: number }[]> {
  const out = [];
  for (const t of new OperatorSet().outputs) {
    let changed = 0;
    let copied = 0;
    let files = 0;
    try {
      for (const h of await history(openStore(`s3://${env.minio.bucket}/${lakeKey}/${t.name}`, { s3 }))) {
        if (h.operation !== "MERGE") continue;
        const m = h.operationMetrics;
        changed += Number(m.numTargetRowsUpdated ?? 0) + Number(m.numTargetRowsInserted ?? 0) +
          Number(m.numTargetRowsDeleted ?? 0);
        copied += Number(m.numTargetRowsCopied ?? 0);
        files += Number(m.numTargetFilesRemoved ?? 0);
      }
    } catch {
      // A table the run never wrote.
      continue;
    }
    out.push({ table: t.name, changed, copied, files });
  }
  return out.sort((a, b) => b.copied - a.copied);
}

async function cleanUp(): Promise<void> {
  for (const p of prefixes) await deleteLoadTopics(kafka, p).catch((e) => log(`cleanup ${p}: ${e.message}`));
  await deleteS3Prefix(new S3Http(s3), env.minio.bucket, `${lakeRoot}/`);
  await Deno.remove(scratch, { recursive: true });
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const fmt = (n: number, digits = 0) =>
  Number.isFinite(n) ? n.toLocaleString("en-US", { maximumFractionDigits: digits }) : "–";
const ms = (
  n: number,
) => (Number.isFinite(n) ? (n >= 10_000 ? `${(n / 1000).toFixed(1)} s` : `${fmt(n)} ms`) : "–");
const ratio = (
  a: number,
  b: number,
) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(1)}×` : "–");
const goal = (ok: boolean) => (ok ? "met" : "**not met**");

async function version(cmd: string, args: string[]): Promise<string> {
  try {
    const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
    return new TextDecoder().decode(out.stderr.length ? out.stderr : out.stdout).split("\n")[0].trim();
  } catch {
    return `${cmd}: not found`;
  }
}

try {
  // 1. Throughput and time to first commit on a backlog; where Lakestream's CPU goes.
  const producer = await loadProducer(kafka);
  const loadBefore = loadAverage();
  const backlog = async (name: string, customers: number, events: number, withSpark = SPARK) => {
    const prefix = await topics(name);
    log(`producing ${fmt(customers)} customers + mix to ${fmt(events)} change events on ${prefix}.*`);
    const produced = await preProduce(producer, new LoadStream({ prefix, seed: 1 }), { customers, events });
    log(`produced ${fmt(produced.events)} events, ${mb(produced.bytes)} in ${ms(produced.elapsedMs)}`);
    const oursRun = startLakestream(target(prefix, `ours-${name}`), { flags: ["--exit-when-idle", "5"] });
    await finish(oursRun, 3_600_000);
    const ours = throughput(await oursRun.batches(), 0, oursRun.usage(), oursRun.spawnedAt);
    log(
      `Lakestream: ${fmt(ours.events)} events at ${fmt(ours.rate)} ev/s, peak RSS ${
        mb(ours.usage.peakRssBytes)
      }`,
    );
    let spark: Throughput | null = null;
    let sparkFailure: string | null = null;
    if (withSpark) {
      const t = target(prefix, `spark-${name}`);
      const run = await startSpark(t, { trigger: "available-now" });
      try {
        await finish(run, SPARK_TIMEOUT_MS);
        spark = throughput(await run.batches(), await sparkLastCommit(t), run.usage(), run.spawnedAt);
        log(
          `Spark: ${fmt(spark.events)} events at ${fmt(spark.rate)} ev/s, peak RSS ${
            mb(spark.usage.peakRssBytes)
          }`,
        );
      } catch (e) {
        // A baseline that fails or runs out of time is a result too: report it, with what it had done.
        const done = (await run.batches()).reduce((n, b) => n + b.events, 0);
        sparkFailure =
          `${(e as Error).message.split("\n")[0]} after ${
            ((Date.now() - run.spawnedAt) / 1000).toFixed(0)
          } s, ${fmt(done)} events committed, peak RSS ${mb(run.usage().peakRssBytes)}; last output: ` +
          run.log().split("\n").filter((l) => /Error|Exception|OutOfMemory/.test(l)).slice(-2).join(" / ");
        log(`Spark: ${sparkFailure}`);
      }
    }
    return { prefix, produced, ours, spark, sparkFailure };
  };
  const tp = await backlog("tp", CUSTOMERS, EVENTS);
  const { produced, ours, spark } = tp;

  const profDir = `${scratch}/profile`;
  await Deno.mkdir(profDir);
  const oursProf = startLakestream(target(tp.prefix, "ours-prof"), {
    flags: ["--exit-when-idle", "5"],
    cpuProfileDir: profDir,
  });
  await finish(oursProf, 3_600_000);
  const profiled = throughput(await oursProf.batches(), 0, oursProf.usage(), oursProf.spawnedAt);
  const stages = profileStages(await readNewestProfile(profDir));
  const copies = await rewrites(`${lakeRoot}/ours-tp`);
  log(`profiled run: ${fmt(profiled.rate)} ev/s`);

  // 2. Memory with many customer keys.
  const keys = await backlog("keys", KEY_CUSTOMERS, KEY_CUSTOMERS + KEY_EVENTS, SPARK_KEYS);
  // The same backlog with deletion vectors (opt-in): updates mark replaced rows instead of rewriting files.
  const dvRun = startLakestream(target(keys.prefix, "ours-keys-dv"), {
    flags: ["--exit-when-idle", "5", "--deletion-vectors"],
  });
  await finish(dvRun, 3_600_000);
  const keysDv = throughput(await dvRun.batches(), 0, dvRun.usage(), dvRun.spawnedAt);
  log(`Lakestream --deletion-vectors: ${fmt(keysDv.rate)} ev/s, peak RSS ${mb(keysDv.usage.peakRssBytes)}`);
  const keysWrites = {
    cow: await rewrites(`${lakeRoot}/ours-keys`),
    dv: await rewrites(`${lakeRoot}/ours-keys-dv`),
  };
  const loadThroughput = loads.length ? Math.max(loadBefore, ...loads) : loadBefore;

  // 3. Latency at fixed arrival rates.
  const latency: {
    rate: number;
    system: string;
    summary: LatencySummary;
    drained: boolean;
    firstCommitS: number;
  }[] = [];
  for (const rate of RATES) {
    for (const system of SPARK ? ["ours", "spark"] : ["ours"]) {
      const prefix = await topics(`lat${rate}${system}`);
      const stream = new LoadStream({ prefix, seed: 2 });
      const initial = await preProduce(producer, stream, { customers: 10_000, events: 0 });
      const t = target(prefix, `lat-${rate}-${system}`);
      const run = system === "ours" ? startLakestream(t) : await startSpark(t, { trigger: 1 });
      if (!await committed(run, initial.events, 600_000)) {
        await run.stop();
        throw new Error(`${run.name} did not commit the initial load within 600 s:\n${run.log()}`);
      }
      const firstCommitS = (Math.min(...(await run.batches()).map((b) => b.end)) - run.spawnedAt) / 1000;
      log(`${run.name} at ${fmt(rate)} ev/s for ${SECONDS} s`);
      const sent = await produceAtRate(producer, stream, { rate, seconds: SECONDS });
      const drained = await committed(run, initial.events + sent.events, 180_000);
      await run.stop();
      const summary = summarizeLatency(await run.batches(), sent.startMs);
      log(`  p50 ${ms(summary.p50)}, p99 ${ms(summary.p99)}${drained ? "" : " (not drained)"}`);
      latency.push({ rate, system: run.name, summary, drained, firstCommitS });
    }
  }
  await producer.disconnect();

  // 4. The report.
  const java = await version("java", ["-version"]);
  const python = await version("python3", ["--version"]);
  const lat = (rate: number, system: string) => latency.find((l) => l.rate === rate && l.system === system);
  const rss = (u: ProcessUsage) =>
    `${mb(u.peakRssBytes)} (${
      Object.entries(u.peakByCommand).filter(([, v]) => v > 20 * 2 ** 20).map(([k, v]) => `${k} ${mb(v)}`)
        .join(", ")
    })`;
  const row = (name: string, r: Throughput, base: Throughput | null) =>
    `| ${name} | ${fmt(r.events)} | ${r.seconds.toFixed(1)} | **${fmt(r.rate)}** | ${
      base ? ratio(r.rate, base.rate) : "–"
    } | ${fmt(r.perCpuSecond)} | ${rss(r.usage)} | ${r.firstCommitS.toFixed(1)} s |`;
  const table = (r: { ours: Throughput; spark: Throughput | null }, dv?: Throughput) =>
    [
      "| system | events | seconds | ev/s | × Spark | ev per CPU-s | peak RSS (process tree) | spawn → first commit |",
      "|---|---:|---:|---:|---:|---:|---|---:|",
      row("Lakestream", r.ours, r.spark),
      ...(dv ? [row("Lakestream `--deletion-vectors`", dv, r.spark)] : []),
      ...(r.spark ? [row("Spark baseline (availableNow)", r.spark, null)] : []),
    ].join("\n");
  const last = RATES[RATES.length - 1];
  const oursLast = lat(last, "Lakestream");
  const sparkLast = lat(last, "Spark baseline");
  const meanLoad = loads.reduce((a, b) => a + b, 0) / Math.max(1, loads.length);
  const firstCommits = (system: string) =>
    latency.filter((l) => l.system === system).map((l) => `${l.firstCommitS.toFixed(1)} s`).join(", ") || "–";
  const command = `deno run -A bench/stream/pipeline.ts --customers ${CUSTOMERS} --events ${EVENTS} ` +
    `--key-customers ${KEY_CUSTOMERS} --key-events ${KEY_EVENTS} --rates ${
      RATES.join(",")
    } --seconds ${SECONDS}${SPARK ? "" : " --no-spark"}${SPARK && !SPARK_KEYS ? " --no-spark-keys" : ""}`;
  const lines = [
    `Run: \`${command}\`. Load average (1 min): ${loadBefore.toFixed(1)} before the first run, ` +
    `${Math.max(loadThroughput, ...loads).toFixed(1)} at most and ${
      meanLoad.toFixed(1)
    } on average during the ` +
    "runs. The 2 cores are shared with the other engineers' builds and tests: wall-clock rates are well below an " +
    "idle machine's and vary between runs; *ev per CPU-s* (events per second of the process tree's own CPU " +
    `time) is the steadier figure. ${java}; ${python}; pyspark 3.5.8, delta-spark 3.3.2 ` +
    "(bench/stream/spark-baseline.conf). Each system runs alone, pinned with `taskset -c 0,1`.",
    "",
    "Load (bench/stream/commerce_load.ts, load_stream.ts): Debezium PostgreSQL envelopes as JsonConverter " +
    `writes them with schemas (the original's default; ${
      fmt(produced.bytes / produced.messages)
    } bytes per ` +
    "message on average) in 15 single-partition topics: the catalog and the customers as snapshot reads, then " +
    "the commerce mix (orders with items, stock moves and payments, progressions, cancellations and returns, " +
    "new, changed and deleted customers, carts, price changes, restocks; about 4 % deletes, with tombstones), " +
    "1 % of the events duplicated and 1 % delivered out of order within their partition.",
    "",
    "Lakestream: `deno task stream --source kafka`, every operator (14 mirrors, customers_scd2, 5 aggregates), " +
    "default batching (≤ 10,000 events, ≤ 200 ms), lake on MinIO. Spark baseline " +
    "(bench/stream/spark_baseline.py): foreachBatch with one MERGE per table per batch (14 mirrors; " +
    "customers_scd2 by the staged-union SCD2 MERGE) plus a RocksDB-state streaming aggregate (orders per " +
    "minute) upserted by MERGE. The baseline does less: 1 aggregate instead of 5, and it orders changes only " +
    "within a batch (a late or duplicated change in a later batch is applied as it comes).",
    "",
    "### Sustained throughput (goal ≥ 100k ev/s and ≥ 5× Spark) and time to first commit (goal ≤ 1 s)",
    "",
    `Backlog: ${fmt(CUSTOMERS)} customers and ${fmt(tp.produced.events)} change events in all ` +
    `(${
      mb(tp.produced.bytes)
    }), consumed to the end; Spark with \`trigger(availableNow=True)\`. Rate = events / ` +
    "(end of the last commit − start of the first batch).",
    "",
    table(tp),
    ...(tp.sparkFailure ? ["", `Spark baseline: **did not finish**: ${tp.sparkFailure}.`] : []),
    "",
    `- ≥ 100k ev/s: ${goal(ours.rate >= 100_000)} (${fmt(ours.rate)} ev/s, ${fmt(ours.perCpuSecond)} per ` +
    "CPU-second)" +
    (spark
      ? `; ≥ 5× Spark: ${goal(ours.rate >= 5 * spark.rate)} (${
        ratio(ours.rate, spark.rate)
      }; per CPU-second ` +
        `${ratio(ours.perCpuSecond, spark.perCpuSecond)})`
      : "") +
    ".",
    `- First commit ≤ 1 s after the process starts: ${goal(ours.firstCommitS <= 1)}: ` +
    `${ours.firstCommitS.toFixed(1)} s with the backlog` +
    (spark ? ` (Spark ${spark.firstCommitS.toFixed(1)} s, its one availableNow batch)` : "") +
    `; with the small initial load of the latency runs ${firstCommits("Lakestream")} (Spark ` +
    `${firstCommits("Spark baseline")}).`,
    "",
    "Where Lakestream's time went (a second run over the same backlog with `--cpu-prof`, " +
    `${fmt(profiled.rate)} ev/s; main-thread samples by the innermost frame of our code or of a client ` +
    "library, bench/stream/cpu_profile.ts):",
    "",
    "| stage | time | share |",
    "|---|---:|---:|",
    ...stages.map((x) => `| ${x.stage} | ${(x.ms / 1000).toFixed(1)} s | ${(x.share * 100).toFixed(0)} % |`),
    "",
    "Copy-on-write in the throughput run (from the tables' MERGE commit metrics): a MERGE rewrites every data " +
    "file that holds a changed key, so unchanged rows are copied along with the changed ones. The tables that " +
    "copied most:",
    "",
    "| table | rows changed | rows copied | copied per changed | files rewritten |",
    "|---|---:|---:|---:|---:|",
    ...copies.slice(0, 6).map((c) =>
      `| ${c.table} | ${fmt(c.changed)} | ${fmt(c.copied)} | ${
        (c.copied / Math.max(1, c.changed)).toFixed(1)
      } | ` +
      `${fmt(c.files)} |`
    ),
    `All tables: ${fmt(copies.reduce((n, c) => n + c.changed, 0))} rows changed, ` +
    `${fmt(copies.reduce((n, c) => n + c.copied, 0))} copied.`,
    "",
    `### Memory with ${fmt(KEY_CUSTOMERS)} customer keys (goal ≤ 512 MB)`,
    "",
    `Backlog: ${fmt(KEY_CUSTOMERS)} customers as snapshot reads, then the mix, ${
      fmt(keys.produced.events)
    } ` +
    `change events in all (${
      mb(keys.produced.bytes)
    }). Peak RSS of the whole process tree (Spark: the driver ` +
    "JVM and its Python process).",
    "",
    table(keys, keysDv),
    ...(keys.sparkFailure ? ["", `Spark baseline: **did not finish**: ${keys.sparkFailure}.`] : []),
    ...(SPARK && !SPARK_KEYS
      ? [
        "",
        "Spark baseline not run on this backlog (`--no-spark-keys`): at its rate above it would take hours.",
      ]
      : []),
    "",
    `- Peak RSS ≤ 512 MB: ${goal(keys.ours.usage.peakRssBytes <= 512 * 2 ** 20)} ` +
    `(${mb(keys.ours.usage.peakRssBytes)}; with deletion vectors ${mb(keysDv.usage.peakRssBytes)}` +
    (keys.spark
      ? `; Spark ${mb(keys.spark.usage.peakRssBytes)}, ` +
        `${ratio(keys.spark.usage.peakRssBytes, keys.ours.usage.peakRssBytes)} Lakestream's`
      : "") +
    ").",
    `- Rows copied into rewritten files, all tables: ${
      fmt(keysWrites.cow.reduce((n, c) => n + c.copied, 0))
    } copy-on-write (customers_scd2: ${
      fmt(keysWrites.cow.find((c) => c.table === "customers_scd2")?.copied ?? 0)
    }), ${fmt(keysWrites.dv.reduce((n, c) => n + c.copied, 0))} with deletion vectors.`,
    "",
    "### Latency, source commit → Delta commit (goal p99 ≤ 1 s at 10k ev/s, ≥ 10× lower than Spark with " +
    "processingTime 1 s)",
    "",
    `Open-loop arrivals for ${SECONDS} s per run, after the system committed an initial load (catalog, 10,000 ` +
    "customers); fresh topics per system and rate with the same seeded stream, each event stamped with its " +
    "scheduled time. Per-event latency is rebuilt from each batch's oldest and newest source commit and the end " +
    "of its last table commit (bench/stream/latency.ts); *worst batch* = the oldest event of the slowest batch. " +
    "A run stops 180 s after the load at the latest (*backlog not drained*: the events not committed by then " +
    "are missing from the figures, which are therefore too low).",
    "",
    "| rate (ev/s) | system | events | batches | p50 | p99 | max | worst batch | Spark p99 / ours |",
    "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ...latency.map((l) => {
      const base = lat(l.rate, "Spark baseline");
      return `| ${fmt(l.rate)} | ${l.system}${l.drained ? "" : " (backlog not drained)"} | ` +
        `${fmt(l.summary.events)} | ${fmt(l.summary.batches)} | ${ms(l.summary.p50)} | ${
          ms(l.summary.p99)
        } | ` +
        `${ms(l.summary.max)} | ${ms(l.summary.worstBatch)} | ` +
        `${l.system === "Lakestream" && base ? ratio(base.summary.p99, l.summary.p99) : "–"} |`;
    }),
    "",
    `- p99 ≤ 1 s at ${fmt(last)} ev/s: ` +
    `${goal((oursLast?.summary.p99 ?? Infinity) <= 1000 && !!oursLast?.drained)} ` +
    `(${ms(oursLast?.summary.p99 ?? NaN)})` +
    (sparkLast
      ? `; ≥ 10× lower than Spark: ${
        goal(sparkLast.summary.p99 >= 10 * (oursLast?.summary.p99 ?? Infinity))
      } ` +
        `(${ratio(sparkLast.summary.p99, oursLast?.summary.p99 ?? NaN)}` +
        `${sparkLast.drained ? "" : "; Spark's backlog was not drained, so its true p99 is higher"})`
      : "") +
    ".",
  ];
  const body = lines.join("\n");
  await writeSection(
    "stream-pipeline",
    "Stream processor vs the Spark baseline (bench/stream/pipeline.ts)",
    body,
  );
  log("wrote the stream-pipeline section of bench/RESULTS.md");
} finally {
  clearInterval(loadTimer);
  await cleanUp();
}
