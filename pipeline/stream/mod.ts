/**
 * The stream processor: exactly-once micro-batches from a change source (SQLite, Kafka + Debezium, SQL Server
 * CDC) through the operators (`operators/`) into Delta tables, with a write-ahead log, recovery, fencing,
 * background lake health and observability. `deno task stream` (main.ts) is a thin CLI over
 * {@linkcode runStream}; how exactly-once works is documented in stream_engine.ts.
 *
 * @example
 * ```ts
 * import { runStream } from "./mod.ts";
 *
 * const stop = new AbortController();
 * Deno.addSignalListener("SIGINT", () => stop.abort());
 * const report = await runStream(
 *   { source: { kind: "sqlite", path: "./data/source.sqlite" }, lake: "./data/lake", exitWhenIdleSeconds: 5 },
 *   stop.signal,
 * );
 * console.log(`${report.events} events in ${report.batches} batches`);
 * ```
 *
 * @module
 */
export { runStream, type RunStreamOptions, type StreamReport } from "./run_stream.ts";
export {
  type BatchInfo,
  type EngineOptions,
  type SourceFactory,
  type StepResult,
  StreamEngine,
} from "./stream_engine.ts";
export {
  type CustomSpec,
  DEFAULT_SQLITE_PATH,
  defaultSqlServerUrl,
  describeSource,
  type KafkaSpec,
  sourceFactory,
  type SourceSpec,
  type SqliteSpec,
  sqlServerSourceFactory,
  type SqlServerSpec,
} from "./source_spec.ts";
export { type Lake, memoryLake, openLake } from "./lake.ts";
export { LakeHealth, type LakeHealthOptions } from "./lake_health.ts";
export { StreamMetrics } from "./stream_metrics.ts";
export {
  createLogger,
  type LogFields,
  type Logger,
  type LoggerOptions,
  type LogLevel,
  silentLogger,
} from "./logger.ts";
export { formatStatus, RateMeter, StatusLine, type StatusSnapshot } from "./status_line.ts";
export { FencedError } from "./fenced_error.ts";
export { JobLease, type JobLeaseOptions } from "./job_lease.ts";
export { CheckpointLog, type SavedState } from "./checkpoint_log.ts";
export type { WalEntry } from "./wal_entry.ts";
export { PIPELINE_METRICS, PIPELINE_METRICS_TABLE, QUARANTINE } from "./pipeline_tables.ts";
export { parseStreamArgs, type StreamCliConfig, USAGE, UsageError } from "./stream_config.ts";
