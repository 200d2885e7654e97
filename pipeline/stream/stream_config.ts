/**
 * The command line and environment of `deno task stream`, parsed into {@linkcode RunStreamOptions}. A flag
 * wins over its variable, which wins over the default.
 *
 * | flag | variable | default |
 * |---|---|---|
 * | `--source kafka\|sqlserver\|sqlite` | `LAKESTREAM_SOURCE` | `sqlite` |
 * | `--lake URI` | `LAKESTREAM_LAKE`, `LAKESTREAM_LAKE_URL` | `./data/lake` |
 * | `--job NAME` | `LAKESTREAM_JOB` | `lakestream` |
 * | `--db PATH` (sqlite) | `LAKESTREAM_SQLITE_PATH` | `./data/source.sqlite` |
 * | `--start snapshot\|changes` (sqlite, first run) | `LAKESTREAM_START` | `snapshot` |
 * | `--brokers H:P,…` (kafka) | `LAKESTREAM_KAFKA_BOOTSTRAP` | the local stack's broker |
 * | `--topic-prefix P` (kafka) | `LAKESTREAM_TOPIC_PREFIX` | `lakestream` |
 * | `--group ID` (kafka) | `LAKESTREAM_GROUP` | `lakestream-<job>` |
 * | `--url URL` (sqlserver) | `LAKESTREAM_SQLSERVER_URL` | `sqlserver://sa:$MSSQL_SA_PASSWORD@127.0.0.1:1433/testdb` |
 * | `--session-timeout-ms MS` (kafka) | `LAKESTREAM_SESSION_TIMEOUT_MS` | 30000 |
 * | `--ha` (one of several instances) | `LAKESTREAM_HA=1` | a single instance |
 * | `--lease-ttl-ms MS` (with `--ha`) | `LAKESTREAM_LEASE_TTL_MS` | 10000 |
 * | `--shard` (kafka: instances share the shards) | `LAKESTREAM_SHARD=1` | one instance reads every partition |
 * | `--exit-when-idle S` | `LAKESTREAM_EXIT_WHEN_IDLE` | never |
 * | `--max-batch-events N` | `LAKESTREAM_MAX_BATCH_EVENTS` | 10000 |
 * | `--max-batch-ms MS` | `LAKESTREAM_MAX_BATCH_MS` | 200 |
 * | `--state-every N` (batches) | `LAKESTREAM_STATE_EVERY` | 100 |
 * | `--state-every-ms MS` | `LAKESTREAM_STATE_EVERY_MS` | 30000 |
 * | `--state-mode rebuild\|full` | `LAKESTREAM_STATE_MODE` | `rebuild` (see EngineOptions.stateMode) |
 * | `--deletion-vectors` (tables need Delta reader 3) | `LAKESTREAM_DELETION_VECTORS=1` | copy-on-write |
 * | `--metrics-port N` | `LAKESTREAM_METRICS_PORT` | no server |
 * | `--metrics-host H` | `LAKESTREAM_METRICS_HOST` | `127.0.0.1` |
 * | `--log-format text\|json` | `LAKESTREAM_LOG_FORMAT` | `text` |
 * | `--log-level debug\|info\|warn\|error` | `LAKESTREAM_LOG_LEVEL` | `info` |
 * | `--status` / `--no-status` | | on when stderr is a terminal and logs are text |
 * | `--on-fenced exit\|recover` | `LAKESTREAM_ON_FENCED` | `recover` for kafka or with `--ha`, else `exit` |
 * | `--instance ID` | `LAKESTREAM_INSTANCE` | a random UUID |
 * | `--no-maintenance` | `LAKESTREAM_MAINTENANCE=off` | maintenance on |
 * | `--checkpoint-every N` (Delta versions) | `LAKESTREAM_CHECKPOINT_EVERY` | 20 |
 * | `--compact-min-files N` | `LAKESTREAM_COMPACT_MIN_FILES` | 16 |
 * | `--compact-target-mb N` | `LAKESTREAM_COMPACT_TARGET_MB` | 32 |
 * | `--vacuum-every-hours H` (0: never) | `LAKESTREAM_VACUUM_EVERY_HOURS` | 24 |
 * | `--vacuum-retention-hours H` (≥ 168) | `LAKESTREAM_VACUUM_RETENTION_HOURS` | 168 |
 *
 * An `s3://` lake uses the AWS_* variables (AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
 * AWS_REGION); `LAKESTREAM_S3_ENDPOINT` stands in for AWS_ENDPOINT_URL, and without any endpoint or keys the
 * local stack's MinIO is used.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { type S3Settings, s3SettingsFromEnv } from "../delta/storage/s3_store.ts";
import { stackEnv } from "../../scripts/stack/env.ts";
import type { LogLevel } from "./logger.ts";
import type { RunStreamOptions } from "./run_stream.ts";
import type { SourceSpec } from "./source_spec.ts";

/** A command line the user got wrong: the CLI prints the one-line message and exits with status 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** One-line usage. */
export const USAGE =
  "Usage: deno task stream [--source kafka|sqlserver|sqlite] [--lake URI] [--job NAME] [--exit-when-idle S] [options] (see pipeline/stream/stream_config.ts)";

/** The options of a run plus what only the CLI decides (log format, status line). */
export interface StreamCliConfig {
  options: Omit<RunStreamOptions, "logger" | "status">;
  logFormat: "text" | "json";
  logLevel: LogLevel;
  /** Run as one of the instances sharing a Kafka job's shards (`runShards`). */
  shard: boolean;
  /** Undefined: on when stderr is a terminal. */
  status: boolean | undefined;
}

/** Environment lookup (Deno.env, or a map in tests). */
export interface Env {
  get(name: string): string | undefined;
}

const FLAGS = {
  source: { type: "string" },
  lake: { type: "string" },
  job: { type: "string" },
  db: { type: "string" },
  start: { type: "string" },
  brokers: { type: "string" },
  "topic-prefix": { type: "string" },
  group: { type: "string" },
  "session-timeout-ms": { type: "string" },
  url: { type: "string" },
  ha: { type: "boolean" },
  shard: { type: "boolean" },
  "lease-ttl-ms": { type: "string" },
  "exit-when-idle": { type: "string" },
  "max-batch-events": { type: "string" },
  "max-batch-ms": { type: "string" },
  "state-every": { type: "string" },
  "state-every-ms": { type: "string" },
  "state-mode": { type: "string" },
  "deletion-vectors": { type: "boolean" },
  "metrics-port": { type: "string" },
  "metrics-host": { type: "string" },
  "log-format": { type: "string" },
  "log-level": { type: "string" },
  status: { type: "boolean" },
  "no-status": { type: "boolean" },
  "on-fenced": { type: "string" },
  instance: { type: "string" },
  "no-maintenance": { type: "boolean" },
  "checkpoint-every": { type: "string" },
  "compact-min-files": { type: "string" },
  "compact-target-mb": { type: "string" },
  "vacuum-every-hours": { type: "string" },
  "vacuum-retention-hours": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

type Values = { [K in keyof typeof FLAGS]?: (typeof FLAGS)[K]["type"] extends "string" ? string : boolean };

function oneOf<T extends string>(what: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`Bad ${what} "${value}": expected ${allowed.join(" or ")}`);
  }
  return value as T;
}

function number(what: string, value: string | undefined, min: number, integer = true): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) {
    throw new UsageError(`Bad ${what} "${value}": expected ${integer ? "an integer" : "a number"} ≥ ${min}`);
  }
  return n;
}

/**
 * S3 settings for an `s3://` lake: the AWS_* variables, `LAKESTREAM_S3_ENDPOINT` as the endpoint, else the
 * local stack's MinIO when neither an endpoint nor keys are set.
 */
export function s3Settings(env: Env, fromStack: () => S3Settings = stackS3): S3Settings {
  const fromEnv = s3SettingsFromEnv(env);
  const endpoint = fromEnv.endpoint ?? env.get("LAKESTREAM_S3_ENDPOINT");
  if (endpoint === undefined && fromEnv.accessKeyId === undefined) return fromStack();
  return { ...fromEnv, endpoint };
}

function stackS3(): S3Settings {
  const m = stackEnv({ services: ["minio"] }).minio;
  return {
    endpoint: m.endpoint,
    accessKeyId: m.accessKeyId,
    secretAccessKey: m.secretAccessKey,
    region: m.region,
  };
}

/** Parses the command line and environment; "help" for `--help`. Throws {@linkcode UsageError}. */
export function parseStreamArgs(args: string[], env: Env): StreamCliConfig | "help" {
  let values: Values;
  try {
    ({ values } = parseArgs({ args, options: FLAGS, strict: true, allowPositionals: false }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (values.help) return "help";
  const v = (flag: keyof typeof FLAGS, ...vars: string[]): string | undefined => {
    const f = values[flag];
    if (typeof f === "string") return f;
    for (const name of vars) {
      const e = env.get(name);
      if (e !== undefined && e !== "") return e;
    }
    return undefined;
  };
  const kind = oneOf(
    "--source",
    v("source", "LAKESTREAM_SOURCE") ?? "sqlite",
    ["kafka", "sqlserver", "sqlite"] as const,
  );
  let source: SourceSpec;
  if (kind === "sqlite") {
    source = {
      kind,
      path: v("db", "LAKESTREAM_SQLITE_PATH"),
      start: oneOf("--start", v("start", "LAKESTREAM_START") ?? "snapshot", ["snapshot", "changes"] as const),
    };
  } else if (kind === "sqlserver") {
    source = { kind, url: v("url", "LAKESTREAM_SQLSERVER_URL") };
  } else {
    const brokers = v("brokers", "LAKESTREAM_KAFKA_BOOTSTRAP")?.split(",").map((b) => b.trim()).filter(
      Boolean,
    );
    source = {
      kind,
      brokers: brokers?.length ? brokers : undefined,
      topicPrefix: v("topic-prefix", "LAKESTREAM_TOPIC_PREFIX"),
      groupId: v("group", "LAKESTREAM_GROUP"),
      sessionTimeoutMs: number(
        "--session-timeout-ms",
        v("session-timeout-ms", "LAKESTREAM_SESSION_TIMEOUT_MS"),
        1,
      ),
    };
  }
  if (kind !== "sqlite") {
    for (const flag of ["db", "start"] as const) {
      if (values[flag] !== undefined) throw new UsageError(`--${flag} applies to --source sqlite only`);
    }
  }
  if (kind !== "sqlserver" && values.url !== undefined) {
    throw new UsageError("--url applies to --source sqlserver only");
  }
  if (kind !== "kafka") {
    for (const flag of ["brokers", "topic-prefix", "group", "session-timeout-ms"] as const) {
      if (values[flag] !== undefined) throw new UsageError(`--${flag} applies to --source kafka only`);
    }
  }
  const lake = v("lake", "LAKESTREAM_LAKE", "LAKESTREAM_LAKE_URL") ?? "./data/lake";
  const job = v("job", "LAKESTREAM_JOB") ?? "lakestream";
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(job)) {
    throw new UsageError(`Bad --job "${job}": use letters, digits, ".", "_" and "-"`);
  }
  const maintenance = !values["no-maintenance"] && env.get("LAKESTREAM_MAINTENANCE") !== "off";
  const retention = number(
    "--vacuum-retention-hours",
    v("vacuum-retention-hours", "LAKESTREAM_VACUUM_RETENTION_HOURS"),
    168,
    false,
  );
  const vacuumEvery = number(
    "--vacuum-every-hours",
    v("vacuum-every-hours", "LAKESTREAM_VACUUM_EVERY_HOURS"),
    0,
    false,
  );
  const targetMb = number("--compact-target-mb", v("compact-target-mb", "LAKESTREAM_COMPACT_TARGET_MB"), 1);
  if (values.status && values["no-status"]) throw new UsageError("Give --status or --no-status, not both");
  const metricsPort = number("--metrics-port", v("metrics-port", "LAKESTREAM_METRICS_PORT"), 0);
  if (metricsPort !== undefined && metricsPort > 65535) {
    throw new UsageError(`Bad --metrics-port "${metricsPort}": expected 0 to 65535`);
  }
  const ha = values.ha || ["1", "true", "on"].includes(env.get("LAKESTREAM_HA") ?? "");
  const leaseTtl = number("--lease-ttl-ms", v("lease-ttl-ms", "LAKESTREAM_LEASE_TTL_MS"), 100);
  if (!ha && values["lease-ttl-ms"] !== undefined) {
    throw new UsageError("--lease-ttl-ms applies with --ha only");
  }
  const shard = values.shard || ["1", "true", "on"].includes(env.get("LAKESTREAM_SHARD") ?? "");
  if (shard && kind !== "kafka") throw new UsageError("--shard applies with --source kafka only");
  if (shard && ha) {
    throw new UsageError("Give --shard or --ha, not both: sharded instances stand in for each other");
  }
  return {
    shard,
    options: {
      source,
      ha: ha ? { ttlMs: leaseTtl } : undefined,
      lake,
      s3: lake.startsWith("s3://") || lake.startsWith("s3a://") ? s3Settings(env) : undefined,
      job,
      exitWhenIdleSeconds: number(
        "--exit-when-idle",
        v("exit-when-idle", "LAKESTREAM_EXIT_WHEN_IDLE"),
        0,
        false,
      ),
      metricsPort,
      metricsHostname: v("metrics-host", "LAKESTREAM_METRICS_HOST"),
      engine: {
        maxBatchEvents: number("--max-batch-events", v("max-batch-events", "LAKESTREAM_MAX_BATCH_EVENTS"), 1),
        maxBatchMs: number("--max-batch-ms", v("max-batch-ms", "LAKESTREAM_MAX_BATCH_MS"), 0),
        stateEveryBatches: number("--state-every", v("state-every", "LAKESTREAM_STATE_EVERY"), 1),
        stateEveryMs: number("--state-every-ms", v("state-every-ms", "LAKESTREAM_STATE_EVERY_MS"), 0),
        instance: v("instance", "LAKESTREAM_INSTANCE"),
        stateMode: oneOf(
          "--state-mode",
          v("state-mode", "LAKESTREAM_STATE_MODE") ?? "rebuild",
          ["rebuild", "full"] as const,
        ),
        deletionVectors: values["deletion-vectors"] ||
          ["1", "true", "on"].includes(env.get("LAKESTREAM_DELETION_VECTORS") ?? "") || undefined,
      },
      onFenced: oneOf(
        "--on-fenced",
        v("on-fenced", "LAKESTREAM_ON_FENCED") ?? (kind === "kafka" || ha ? "recover" : "exit"),
        ["exit", "recover"] as const,
      ),
      health: maintenance
        ? {
          checkpointEvery: number(
            "--checkpoint-every",
            v("checkpoint-every", "LAKESTREAM_CHECKPOINT_EVERY"),
            1,
          ),
          compactMinFiles: number(
            "--compact-min-files",
            v("compact-min-files", "LAKESTREAM_COMPACT_MIN_FILES"),
            2,
          ),
          compactTargetBytes: targetMb === undefined ? undefined : targetMb * 2 ** 20,
          vacuumEveryMs: vacuumEvery === undefined ? undefined : vacuumEvery * 3_600_000,
          vacuumRetentionHours: retention,
        }
        : false,
    },
    logFormat: oneOf(
      "--log-format",
      v("log-format", "LAKESTREAM_LOG_FORMAT") ?? "text",
      ["text", "json"] as const,
    ),
    logLevel: oneOf(
      "--log-level",
      v("log-level", "LAKESTREAM_LOG_LEVEL") ?? "info",
      ["debug", "info", "warn", "error"] as const,
    ),
    status: values.status ? true : values["no-status"] ? false : undefined,
  };
}
