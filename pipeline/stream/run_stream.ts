/**
 * `runStream(options, signal)`: the whole stream processor in-process (what `deno task stream` and
 * `deno task up` run): the engine over a source, background lake health, `/metrics`, logs and the live
 * status line, graceful stop, idle exit, and recovery after errors and fencing.
 *
 * @module
 */
import type { S3Settings } from "../delta/storage/s3_store.ts";
import { type Lake, resolveLake } from "./lake.ts";
import { LakeHealth, type LakeHealthOptions } from "./lake_health.ts";
import { createLogger, type Logger } from "./logger.ts";
import { serveMetrics } from "./metrics_server.ts";
import type { OperatorOptions, OperatorSet } from "./operators/mod.ts";
import { describeSource, sourceFactory, type SourceSpec } from "./source_spec.ts";
import { RateMeter, type StatusLine } from "./status_line.ts";
import { type BatchInfo, type EngineOptions, StreamEngine } from "./stream_engine.ts";
import { FencedError } from "./fenced_error.ts";
import { JobLease } from "./job_lease.ts";
import { leaseOwnership, type Ownership } from "./ownership.ts";
import { StreamMetrics } from "./stream_metrics.ts";
import { delay } from "./delay.ts";

/** Options of {@linkcode runStream}. */
export interface RunStreamOptions {
  source: SourceSpec;
  /** A lake URI (local path, `file://`, `s3://bucket/prefix`) or an open lake. @default "./data/lake" */
  lake?: string | Lake;
  /** S3 settings for an `s3://` lake. @default the AWS_* variables */
  s3?: S3Settings;
  /** @default "lakestream" */
  job?: string;
  /** Stop cleanly after this many seconds without new events. @default never */
  exitWhenIdleSeconds?: number;
  /** Serve `/metrics` and `/health` on this port (0: a free one). @default no server */
  metricsPort?: number;
  /** @default "127.0.0.1" */
  metricsHostname?: string;
  /** @default a text logger on stderr */
  logger?: Logger;
  /**
   * Where to draw the one-line live status (give the logger a writer from its `wrap` so log lines stay above
   * it). @default no status line
   */
  status?: StatusLine;
  /** Batching, state snapshots and the like (see {@linkcode EngineOptions}). */
  engine?: Pick<
    EngineOptions,
    | "maxBatchEvents"
    | "maxBatchMs"
    | "idleWaitMs"
    | "stateEveryBatches"
    | "stateEveryMs"
    | "stateMode"
    | "replayTimeoutMs"
    | "instance"
    | "compression"
    | "deletionVectors"
    | "now"
  >;
  operators?: OperatorOptions;
  /** Builds the operators (the same ones every time). @default the product's operators with `operators` */
  createOperators?: () => OperatorSet;
  /** Background lake health policies, or false to run none. @default the defaults of LakeHealth */
  health?: Omit<LakeHealthOptions, "logger" | "metrics"> | false;
  /**
   * When another instance claims this one's next batch: `exit` throws the FencedError; `recover` closes the
   * source, waits and reopens the job (recovery), which is how a hot standby takes over. @default "recover"
   * with `ha`, else "exit"
   */
  onFenced?: "exit" | "recover";
  /** Errors in a row (without a committed batch between) before giving up. @default 5 */
  maxRestarts?: number;
  /** Called after every committed batch. */
  onBatch?: (info: BatchInfo) => void;
  /** Metrics to update (e.g. shared with a dashboard in the same process). @default new ones */
  metrics?: StreamMetrics;
  /**
   * Run as one of several instances of the job: only the holder of the job's lease (see JobLease) runs the
   * engine, the others wait as hot standby and take over when it stops renewing (after `ttlMs`) or releases
   * it. @default a single instance, no lease
   */
  ha?: { ttlMs?: number };
  /**
   * Runs the engine only while this instance owns the job (what `ha` does with the job's lease; `runShards`
   * with a Kafka group's assignment). @default the lease with `ha`, else always
   */
  ownership?: Ownership;
}

/** How a run ended. */
export interface StreamReport {
  stoppedBy: "signal" | "idle";
  /** New batches committed by this run. */
  batches: number;
  /** Change events in those batches. */
  events: number;
  /** WAL batches this run replayed during recovery (after crashes of earlier runs, or after fencing). */
  replayed: number;
  /** The job's last batch at the end. */
  lastBatch: number;
  /** Recoveries after errors or fencing. */
  restarts: number;
  elapsedMs: number;
}

/**
 * Runs the stream processor until `signal` is aborted (graceful stop: the batch being gathered is committed,
 * a state snapshot written, the source closed) or, with `exitWhenIdleSeconds`, until nothing new arrived for
 * that long. Errors re-run recovery with backoff; after `maxRestarts` in a row the last one is thrown.
 *
 * @example
 * ```ts
 * const stop = new AbortController();
 * Deno.addSignalListener("SIGINT", () => stop.abort());
 * const report = await runStream({ source: { kind: "sqlite" }, lake: "./data/lake" }, stop.signal);
 * ```
 */
export async function runStream(options: RunStreamOptions, signal?: AbortSignal): Promise<StreamReport> {
  const job = options.job ?? "lakestream";
  const metrics = options.metrics ?? new StreamMetrics();
  const statusLine = options.status ?? null;
  const logger = options.logger ??
    createLogger({ write: statusLine ? statusLine.wrap((l) => console.error(l)) : undefined });
  const lake = resolveLake(options.lake, options.s3);
  const openSource = sourceFactory(options.source, job);
  const stop = signal ?? new AbortController().signal;
  const started = performance.now();
  const internal = new AbortController();
  const onAbort = () => internal.abort();
  stop.addEventListener("abort", onAbort, { once: true });
  let engine: StreamEngine | null = null;
  let phase = "recovering";
  const rate = new RateMeter();
  let events = 0;
  let batches = 0;
  let replayed = 0;
  let restarts = 0;
  let lastBatch = 0;
  let lagMs: number | null = null;
  const quantileMs = (q: number) => {
    const v = metrics.latency.quantile(q);
    return v === null ? null : v * 1000;
  };
  const draw = (force = false) =>
    statusLine?.update({
      job,
      phase,
      lastBatch,
      eventsPerSecond: rate.sample(performance.now(), events),
      p50Ms: quantileMs(0.5),
      p99Ms: quantileMs(0.99),
      lagSeconds: lagMs === null ? null : lagMs / 1000,
      quarantined: metrics.quarantined.get(),
    }, force);
  const server = options.metricsPort === undefined ? null : serveMetrics({
    port: options.metricsPort,
    hostname: options.metricsHostname,
    render: () => metrics.render(),
    health: () => ({ ok: engine !== null, job, phase, lastBatch }),
    signal: internal.signal,
  });
  if (server) logger.info("metrics served", { url: `${server.url}/metrics` });
  const health = options.health === false ? null : new LakeHealth(() => engine?.sinks.values() ?? [], {
    ...options.health,
    logger,
    metrics,
  });
  const healthRun = health?.run(internal.signal);
  const idleMs = options.exitWhenIdleSeconds === undefined ? Infinity : options.exitWhenIdleSeconds * 1000;
  let stoppedBy: StreamReport["stoppedBy"] = "signal";
  let failures = 0;
  // One id for the lease, the WAL and the metrics rows of this process.
  const instance = options.engine?.instance ?? crypto.randomUUID();
  logger.info("starting", { job, source: describeSource(options.source), lake: lake.url, instance });
  const owner = options.ownership ?? (options.ha
    ? leaseOwnership(
      new JobLease(lake.open(`_checkpoints/${job}`), {
        instance,
        ttlMs: options.ha.ttlMs,
        now: options.engine?.now,
      }),
      job,
      logger,
    )
    : null);
  try {
    while (!stop.aborted) {
      // With several instances, only the lease holder runs; the others wait here as hot standby.
      let lost: AbortController | null = null;
      let holding: Promise<void> | null = null;
      if (owner) {
        phase = "standby";
        draw(true);
        if (!await owner.acquire(stop)) break;
        logger.info("taking over", { job, ...owner.describe() });
        lost = new AbortController();
        holding = owner.hold(lost, internal.signal);
      }
      const halt = lost ? AbortSignal.any([stop, lost.signal]) : stop;
      try {
        phase = "recovering";
        draw(true);
        engine = await StreamEngine.open({
          ...options.engine,
          instance,
          job,
          lake,
          openSource,
          operators: options.operators,
          createOperators: options.createOperators,
          metrics,
          logger,
          onBatch: (info) => {
            const memory = Deno.memoryUsage();
            logger.debug("batch committed", {
              batch: info.batch,
              events: info.events,
              rows: info.rowsOut,
              ms: Math.round(info.durationMs),
              replayed: info.replayed,
              rssMB: Math.round(memory.rss / 2 ** 20),
              heapMB: Math.round(memory.heapUsed / 2 ** 20),
              heapTotalMB: Math.round(memory.heapTotal / 2 ** 20),
              externalMB: Math.round(memory.external / 2 ** 20),
            });
            if (info.replayed) replayed++;
            else {
              batches++;
              events += info.events;
            }
            lastBatch = info.batch;
            if (info.lagMs !== null) lagMs = info.lagMs;
            if (!info.replayed) failures = 0;
            options.onBatch?.(info);
          },
        });
        lastBatch = engine.lastBatch;
        phase = "running";
        let lastActivity = performance.now();
        let idle = false;
        while (!halt.aborted) {
          const step = await engine.step(halt);
          if (step.kind === "batch") {
            if (step.info.events + step.info.quarantined > 0) lastActivity = performance.now();
            phase = "running";
          } else phase = "idle";
          draw();
          if (performance.now() - lastActivity >= idleMs) {
            idle = true;
            logger.info("idle, stopping", { job, seconds: options.exitWhenIdleSeconds });
            break;
          }
        }
        if (lost?.signal.aborted && !idle && !stop.aborted) {
          // Another instance took over: leave everything to it, write nothing more.
          logger.warn("another instance took over, standing by", { job });
          const stale = engine;
          engine = null;
          await stale.close({ saveState: false });
          continue;
        }
        phase = "stopping";
        draw(true);
        await engine.close();
        lastBatch = engine.lastBatch;
        await owner?.release();
        if (idle) stoppedBy = "idle";
        break;
      } catch (e) {
        const failed = engine;
        engine = null;
        await failed?.close({ saveState: false }).catch((closeError) =>
          logger.warn("closing after an error failed", { error: (closeError as Error).message })
        );
        if (e instanceof FencedError) {
          metrics.fenced.inc();
          // With a lease or shards, another instance is active: stand by again instead of exiting.
          if ((options.onFenced ?? (owner ? "recover" : "exit")) === "exit") throw e;
          logger.warn("fenced by another instance, standing by and recovering", { job, error: e.message });
          phase = "standby";
          draw(true);
          restarts++;
          metrics.restarts.inc();
          await delay(1000, stop);
          continue;
        }
        if (stop.aborted) throw e;
        if (++failures > (options.maxRestarts ?? 5)) throw e;
        restarts++;
        metrics.restarts.inc();
        const wait = Math.min(30_000, 500 * 2 ** (failures - 1));
        logger.error("batch failed, recovering", {
          job,
          error: (e as Error).message,
          attempt: failures,
          waitMs: wait,
        });
        await delay(wait, stop);
      } finally {
        lost?.abort();
        await holding;
      }
    }
  } finally {
    engine = null;
    stop.removeEventListener("abort", onAbort);
    internal.abort();
    await healthRun;
    await server?.finished;
    statusLine?.clear();
  }
  logger.info("stopped", { job, by: stoppedBy, batches, events, replayed, lastBatch });
  return {
    stoppedBy,
    batches,
    events,
    replayed,
    lastBatch,
    restarts,
    elapsedMs: performance.now() - started,
  };
}
