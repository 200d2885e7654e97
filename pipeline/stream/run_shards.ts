/**
 * `runShards(options, signal)`: one instance of a job whose instances share the Kafka partitions (`deno task
 * stream --source kafka --shard`).
 *
 * The operators split into shards (see shard_plan.ts: `sales` = the sales aggregates with the mirrors of their
 * tables, `customers_scd2`, and one per other mirror). Each instance runs one consumer per shard in the job's
 * consumer group; the group's assigner (shard_assigner.ts) gives each shard's partitions to one instance,
 * balanced by weight, and moves them when an instance joins, leaves or stops heartbeating. A shard runs as its
 * own job `<job>.<shard>` (checkpoint folder, WAL, `txn` app id, `_pipeline_metrics` rows) while this instance
 * holds its partitions, through the same `runStream` as an unsharded job: it recovers from its WAL when it
 * gets them, stops writing when it loses them, and a stale holder is fenced by the WAL's batch claims. Every
 * source table is read by one shard, so the tables are those one instance would write.
 *
 * @module
 */
import { ECOMMERCE_TABLES } from "../catalog/mod.ts";
import { Naming, tableFromTopic } from "../cdc/naming.ts";
import type { ChangeSource, SourceCheckpoint } from "../cdc/source/change_source.ts";
import { KafkaSource } from "../cdc/source/kafka_source.ts";
import { stackEnv } from "../../scripts/stack/env.ts";
import { resolveLake } from "./lake.ts";
import { delay } from "./delay.ts";
import { createLogger, type Logger } from "./logger.ts";
import { serveMetrics } from "./metrics_server.ts";
import { createOperators, OperatorSet } from "./operators/mod.ts";
import type { Ownership } from "./ownership.ts";
import { runStream, type RunStreamOptions, type StreamReport } from "./run_stream.ts";
import { shardAssigner, type ShardTopics } from "./shard_assigner.ts";
import { heaviestFirst, planShards, type Shard } from "./shard_plan.ts";
import type { KafkaSpec } from "./source_spec.ts";
import type { SourceFactory } from "./stream_engine.ts";
import { StreamMetrics } from "./stream_metrics.ts";

/** Options of {@linkcode runShards}: those of `runStream` without a status line or `ha`, on Kafka. */
export interface RunShardsOptions extends Omit<RunStreamOptions, "source" | "ha" | "status" | "ownership"> {
  source: KafkaSpec;
}

/** The job name of one shard of `job`. */
export function shardJob(job: string, shard: string): string {
  return `${job}.${shard}`;
}

/** Which shard reads each topic: its table's; topics of tables no operator reads go to the heaviest shard. */
export function shardTopics(shards: readonly Shard[]): ShardTopics {
  const naming = new Naming(ECOMMERCE_TABLES);
  const byTable = new Map(shards.flatMap((s) => s.tables.map((t) => [t, s.name])));
  const heaviest = [...shards].sort(heaviestFirst)[0]?.name ?? "";
  return {
    weights: new Map(shards.map((s) => [s.name, s.weight])),
    shardOf: (topic) => byTable.get(naming.table(tableFromTopic(topic)).name) ?? heaviest,
  };
}

/** How long a shard's consumer may hold no partitions before its run stops (see ShardConsumer.ownership). */
const LOSS_GRACE_MS = 3000;

/** A deferred value: `promise` settles when `resolve` is called. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => resolve = r);
  return { promise, resolve };
}

/** `promise`, or a rejection with `signal`'s reason once it aborts. */
function abortable(promise: Promise<void>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    });
  });
}

/**
 * The consumer of one shard, kept across the shard's runs: ownership = holding its partitions; the engine of a
 * run opens it at its checkpoint, and until then the consumer waits (heartbeating) before reading them.
 */
class ShardConsumer {
  readonly source: KafkaSource;
  #opened = deferred();
  /** This instance runs the shard: from taking its partitions until it lost them or stopped. */
  #holding = false;
  readonly #idleMs: number;
  readonly #log: (msg: string, fields?: Record<string, unknown>) => void;

  constructor(
    spec: KafkaSpec,
    job: string,
    instance: string,
    shard: string,
    topics: ShardTopics,
    idleMs: number,
    logger: Logger,
  ) {
    this.#idleMs = idleMs;
    const log = (msg: string, fields: Record<string, unknown> = {}) =>
      logger.debug(msg, { job: shardJob(job, shard), ...fields });
    this.#log = log;
    this.source = new KafkaSource({
      brokers: spec.brokers ?? stackEnv({ services: ["kafka"] }).kafka.brokers,
      groupId: spec.groupId ?? `lakestream-${job}`,
      topicPrefix: spec.topicPrefix ?? "lakestream",
      sessionTimeoutMs: spec.sessionTimeoutMs,
      clientId: `lakestream-${shardJob(job, shard)}`,
      partitionAssigners: [shardAssigner(instance, shard, topics, () => this.#holding)],
      // Partitions are read only once this instance's run of the shard said where they resume; the wait ends
      // with the assignment (a rebalance or restart asks again).
      onAssign: async (partitions, signal) => {
        log("partitions assigned, waiting for the run to open", { partitions });
        await abortable(this.#opened.promise, signal);
        log("partitions resume", { partitions });
        return {};
      },
    });
  }

  /** Opens the source for a run at its checkpoint; the run's `close()` leaves the consumer in the group. */
  readonly open: SourceFactory = Object.assign((from: SourceCheckpoint | null): ChangeSource => {
    this.source.resumeFrom(from);
    this.#opened.resolve();
    this.#log("run opened the source", { from });
    const source = this.source;
    return {
      next: (options) => source.next(options),
      commit: (checkpoint) => source.commit(checkpoint),
      close: () => {
        this.#log("run closed the source");
        this.#opened = deferred();
        return Promise.resolve();
      },
    };
  }, { multiStream: true });

  /**
   * Ownership = this member holds partitions (lost when it held none for `LOSS_GRACE_MS`: a consumer that
   * restarts to subscribe to a new topic gets them back); with an idle limit, waiting longer gives up.
   */
  ownership(shard: string): Ownership {
    const source = this.source;
    return {
      acquire: async (signal) => {
        const deadline = performance.now() + this.#idleMs;
        while (source.assigned.length === 0) {
          if (signal.aborted || performance.now() >= deadline) return false;
          try {
            await source.keepAlive(250, signal);
          } catch (e) {
            if (signal.aborted) return false;
            throw e;
          }
        }
        this.#holding = true;
        return true;
      },
      hold: async (lost, done) => {
        const stop = AbortSignal.any([done, lost.signal]);
        let heldAt = performance.now();
        let seen = source.assigned.join(",");
        while (!stop.aborted) {
          const now = source.assigned.join(",");
          if (now !== seen) this.#log("assignment changed", { partitions: source.assigned });
          seen = now;
          if (source.assigned.length > 0) heldAt = performance.now();
          else if (performance.now() - heldAt >= LOSS_GRACE_MS) {
            this.#holding = false;
            return lost.abort();
          }
          await delay(100, stop);
        }
      },
      release: () => {
        this.#holding = false;
        return Promise.resolve();
      },
      describe: () => ({ shard, partitions: source.assigned.length }),
    };
  }
}

/**
 * Runs this instance's share of a sharded job until `signal` aborts or, with `exitWhenIdleSeconds`, every shard
 * has had nothing new (or not been this instance's) for that long. The report sums the shards'.
 */
export async function runShards(options: RunShardsOptions, signal?: AbortSignal): Promise<StreamReport> {
  const job = options.job ?? "lakestream";
  const instance = options.engine?.instance ?? crypto.randomUUID();
  const logger = options.logger ?? createLogger();
  const metrics = options.metrics ?? new StreamMetrics();
  const lake = resolveLake(options.lake, options.s3);
  const shards = planShards(createOperators(options.operators));
  const topics = shardTopics(shards);
  const stop = signal ?? new AbortController().signal;
  const internal = new AbortController();
  const onAbort = () => internal.abort();
  stop.addEventListener("abort", onAbort, { once: true });
  const idleMs = options.exitWhenIdleSeconds === undefined ? Infinity : options.exitWhenIdleSeconds * 1000;
  const consumers = shards.map((s) =>
    new ShardConsumer(options.source, job, instance, s.name, topics, idleMs, logger)
  );
  const server = options.metricsPort === undefined ? null : serveMetrics({
    port: options.metricsPort,
    hostname: options.metricsHostname,
    render: () => metrics.render(),
    health: () => ({
      ok: true,
      job,
      instance,
      shards: shards.filter((_, i) => consumers[i].source.assigned.length > 0).map((s) => s.name),
    }),
    signal: internal.signal,
  });
  if (server) logger.info("metrics served", { url: `${server.url}/metrics` });
  logger.info("starting shards", { job, instance, shards: shards.map((s) => s.name) });
  const started = performance.now();
  try {
    const reports = await Promise.all(shards.map(async (shard, i) => {
      const consumer = consumers[i];
      const name = shardJob(job, shard.name);
      const report = await runStream({
        ...options,
        source: { kind: "custom", name: `kafka shard ${shard.name}`, open: consumer.open },
        lake,
        job: name,
        logger,
        metrics,
        metricsPort: undefined,
        engine: { ...options.engine, instance },
        createOperators: () =>
          new OperatorSet(
            createOperators(options.operators).filter((op) => shard.operators.includes(op.name)),
          ),
        ownership: consumer.ownership(shard.name),
        onFenced: "recover",
      }, stop);
      await consumer.source.close();
      return report;
    }));
    return {
      stoppedBy: stop.aborted ? "signal" : "idle",
      batches: sum(reports.map((r) => r.batches)),
      events: sum(reports.map((r) => r.events)),
      replayed: sum(reports.map((r) => r.replayed)),
      lastBatch: Math.max(0, ...reports.map((r) => r.lastBatch)),
      restarts: sum(reports.map((r) => r.restarts)),
      elapsedMs: performance.now() - started,
    };
  } finally {
    await Promise.all(consumers.map((c) => c.source.close()));
    stop.removeEventListener("abort", onAbort);
    internal.abort();
    await server?.finished;
  }
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
