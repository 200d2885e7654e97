/**
 * The two systems under test, each run as its own process tree pinned to cores 0 and 1 (`taskset -c 0,1`),
 * sampled for memory and CPU, and read back the same way: one record per committed batch with its change
 * events, the oldest and newest source commit time in it, and when it started and finished committing.
 * - Lakestream: `deno task stream --source kafka` (pipeline/stream/main.ts); batches from `_pipeline_metrics`.
 * - The Spark baseline: `spark-submit bench/stream/spark_baseline.py` with bench/stream/spark-baseline.conf in
 *   the interop venv; batches from the JSON lines it appends per batch.
 *
 * @module
 */
import { ECOMMERCE_TABLES } from "../../pipeline/catalog/mod.ts";
import { openStore } from "../../pipeline/delta/storage/open_store.ts";
import type { S3Settings } from "../../pipeline/delta/storage/s3_store.ts";
import { tableRows } from "../../pipeline/stream/_lake_rows.ts";
import { PIPELINE_METRICS } from "../../pipeline/stream/pipeline_tables.ts";
import type { Timestamp } from "../../pipeline/value/mod.ts";
import { ensureVenv, VENV } from "../../tests/interop/_python.ts";
import { ProcessSampler, processTree, type ProcessUsage } from "./process_sampler.ts";

const HERE = new URL(".", import.meta.url).pathname;
const MAIN = new URL("../../pipeline/stream/main.ts", import.meta.url).pathname;

/** One committed batch, as both systems report it (times in ms since the epoch). */
export interface BatchRecord {
  events: number;
  /** Oldest and newest source commit time of its events. */
  minTs: number;
  maxTs: number;
  /** When processing the batch started, and when its last table commit ended. */
  start: number;
  end: number;
}

/** A running system. */
export interface SystemRun {
  name: string;
  /** When the process was spawned, ms since the epoch. */
  spawnedAt: number;
  /** Settles when the process exits. */
  status: Promise<Deno.CommandStatus>;
  /** Memory and CPU of its process tree so far. */
  usage(): ProcessUsage;
  /** The batches it committed so far (its own job's). */
  batches(): Promise<BatchRecord[]>;
  /** Stops it (SIGTERM to the tree, SIGKILL after `graceMs`) and waits for the exit. */
  stop(graceMs?: number): Promise<Deno.CommandStatus>;
  /** Kills the tree with SIGKILL at once (a crash) and waits for the exit. */
  kill(): Promise<Deno.CommandStatus>;
  /** The tail of its stderr. */
  log(): string;
}

/** Where and what a run reads and writes. */
export interface RunTarget {
  brokers: string[];
  /** Topic prefix of the load. */
  prefix: string;
  /** MinIO settings, and the bucket and key prefix the run's lake goes under. */
  s3: S3Settings;
  bucket: string;
  lakeKey: string;
  /** Unique per run: the Kafka group and job. */
  id: string;
  /** A local scratch folder of the run. */
  scratch: string;
}

function collect(stream: ReadableStream<Uint8Array<ArrayBuffer>>, lines: string[]): Promise<void> {
  return (async () => {
    for await (const text of stream.pipeThrough(new TextDecoderStream())) {
      lines.push(...text.split("\n").filter(Boolean));
      if (lines.length > 400) lines.splice(0, lines.length - 200);
    }
  })();
}

function handle(
  name: string,
  child: Deno.ChildProcess,
  spawnedAt: number,
  batches: () => Promise<BatchRecord[]>,
): SystemRun {
  const lines: string[] = [];
  const drained = Promise.all([collect(child.stdout, lines), collect(child.stderr, lines)]);
  const sampler = new ProcessSampler(child.pid);
  const status = child.status.then(async (s) => {
    sampler.stop();
    await drained;
    return s;
  });
  const signalTree = (sig: Deno.Signal) => {
    for (const pid of processTree(child.pid).reverse()) {
      try {
        Deno.kill(pid, sig);
      } catch {
        // Already gone.
      }
    }
  };
  return {
    name,
    spawnedAt,
    status,
    usage: () => sampler.usage,
    batches,
    async stop(graceMs = 15_000) {
      signalTree("SIGTERM");
      const timer = setTimeout(() => signalTree("SIGKILL"), graceMs);
      try {
        return await status;
      } finally {
        clearTimeout(timer);
      }
    },
    kill() {
      signalTree("SIGKILL");
      return status;
    },
    log: () => lines.slice(-40).join("\n"),
  };
}

/** Options of {@linkcode startLakestream}. */
export interface LakestreamOptions {
  /** Extra flags of `deno task stream` (batching, idle exit). */
  flags?: string[];
  /** Write a V8 CPU profile into this folder. */
  cpuProfileDir?: string;
  /** Kafka consumer group. @default the run's id */
  group?: string;
}

/** Starts `deno task stream --source kafka` on the run's topics and lake. */
export function startLakestream(t: RunTarget, options: LakestreamOptions = {}): SystemRun {
  const lake = `s3://${t.bucket}/${t.lakeKey}`;
  const prof = options.cpuProfileDir ? ["--cpu-prof", `--cpu-prof-dir=${options.cpuProfileDir}`] : [];
  const spawnedAt = Date.now();
  const child = new Deno.Command("taskset", {
    args: [
      "-c",
      "0,1",
      Deno.execPath(),
      "run",
      "-A",
      ...prof,
      MAIN,
      "--source",
      "kafka",
      "--brokers",
      t.brokers.join(","),
      "--topic-prefix",
      t.prefix,
      "--group",
      options.group ?? t.id,
      "--job",
      t.id,
      "--lake",
      lake,
      "--no-status",
      "--log-format",
      "json",
      ...(options.flags ?? []),
    ],
    env: {
      AWS_ENDPOINT_URL: t.s3.endpoint!,
      AWS_ACCESS_KEY_ID: t.s3.accessKeyId!,
      AWS_SECRET_ACCESS_KEY: t.s3.secretAccessKey!,
      AWS_REGION: t.s3.region ?? "us-east-1",
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const batches = async () => {
    const rows = await tableRows(openStore(`${lake}/${PIPELINE_METRICS.name}`, { s3: t.s3 }), ["batch_id"]);
    // The bench load is valid Debezium: a quarantined message means a broken load, and figures that leave it out.
    const bad = rows.find((r) => Number(r.quarantined) > 0);
    if (bad) {
      throw new Error(
        `Lakestream quarantined ${bad.quarantined} messages of the bench load in batch ${bad.batch_id}`,
      );
    }
    return rows.filter((r) => Number(r.events) > 0).map((r) => {
      const end = (r.committed_at as Timestamp).epochMillis;
      return {
        events: Number(r.events),
        minTs: (r.min_source_ts as Timestamp).epochMillis,
        maxTs: (r.max_source_ts as Timestamp).epochMillis,
        start: end - Number(r.duration_ms),
        end,
      };
    });
  };
  return handle("Lakestream", child, spawnedAt, batches);
}

/** The catalog as the Spark job reads it (bench/stream/spark_baseline.py --catalog). */
function catalogJson(): string {
  return JSON.stringify(ECOMMERCE_TABLES.map((t) => ({
    name: t.name,
    source: t.source,
    key: t.key,
    columns: t.columns.map((c) => ({ source: c.source, name: c.name, type: c.type, nullable: c.nullable })),
  })));
}

/** Options of {@linkcode startSpark}. */
export interface SparkOptions {
  /** `available-now` (process the backlog and stop) or a processing-time trigger in seconds. */
  trigger: "available-now" | number;
}

/** Starts the Spark baseline on the run's topics, lake (s3a) and a local checkpoint. */
export async function startSpark(t: RunTarget, options: SparkOptions): Promise<SystemRun> {
  await ensureVenv();
  const catalog = `${t.scratch}/catalog.json`;
  const metrics = `${t.scratch}/spark-batches.jsonl`;
  await Deno.writeTextFile(catalog, catalogJson());
  await Deno.writeTextFile(metrics, "");
  const spawnedAt = Date.now();
  const child = new Deno.Command("taskset", {
    args: [
      "-c",
      "0,1",
      `${VENV}/bin/spark-submit`,
      "--properties-file",
      `${HERE}spark-baseline.conf`,
      "--conf",
      `spark.hadoop.fs.s3a.endpoint=${t.s3.endpoint}`,
      "--conf",
      `spark.hadoop.fs.s3a.access.key=${t.s3.accessKeyId}`,
      "--conf",
      `spark.hadoop.fs.s3a.secret.key=${t.s3.secretAccessKey}`,
      `${HERE}spark_baseline.py`,
      "--bootstrap",
      t.brokers.join(","),
      "--prefix",
      t.prefix,
      "--lake",
      `s3a://${t.bucket}/${t.lakeKey}`,
      "--catalog",
      catalog,
      "--checkpoint",
      `${t.scratch}/spark-checkpoint`,
      "--metrics",
      metrics,
      "--trigger",
      options.trigger === "available-now" ? "available-now" : String(options.trigger),
    ],
    env: { PYSPARK_PYTHON: `${VENV}/bin/python`, TZ: "UTC", PYTHONIOENCODING: "utf-8" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const batches = async () => {
    const text = await Deno.readTextFile(metrics);
    return text.split("\n").filter(Boolean).map((l) => JSON.parse(l)).filter((b) => b.query === "main").map((
      b,
    ) => ({ events: b.events, minTs: b.min_ts, maxTs: b.max_ts, start: b.start, end: b.end }));
  };
  return handle("Spark baseline", child, spawnedAt, batches);
}

/** When the Spark run's last batch of any query ended (the sales aggregate runs beside the main query). */
export async function sparkLastCommit(t: RunTarget): Promise<number> {
  const text = await Deno.readTextFile(`${t.scratch}/spark-batches.jsonl`);
  return Math.max(0, ...text.split("\n").filter(Boolean).map((l) => JSON.parse(l).end as number));
}
