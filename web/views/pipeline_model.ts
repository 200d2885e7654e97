/**
 * Pipeline health from the processor's `_pipeline_metrics` (one row per batch) and `_quarantine` tables, plus
 * the log statistics of every table: throughput, lag, end-to-end latency, freshness and quarantined messages.
 *
 * @module
 */
import type { Row } from "../../pipeline/value/mod.ts";
import type { BatchMetric, PipelineView, QuarantineItem, StatusView, TableStats } from "../protocol/mod.ts";
import { millisOf, numberOf, textOf } from "./row_values.ts";

/**
 * `_pipeline_metrics` and the columns read from it; absent columns read as unknown. The processor upserts one
 * row per batch keyed by `job` and `batch_id` (pipeline/stream/pipeline_tables.ts), yet the dashboard reads the
 * table as append-only: a job commits a batch's row once (a replayed batch skips a table already holding it),
 * so no row is ever rewritten. The shards of a sharded job are jobs `<job>.<shard>`
 * (pipeline/stream/run_shards.ts).
 */
export const PIPELINE_METRICS_TABLE = {
  name: "_pipeline_metrics",
  /** The processor's job name (null for rows without one). */
  job: "job",
  /** When the batch committed. */
  at: "committed_at",
  events: "events",
  durationMs: "duration_ms",
  /** End-to-end latency of the batch: source commit → Delta commit; null for a batch without events. */
  latencyMs: "latency_ms",
  /** Newest source commit → Delta commit; null for a batch without events (only quarantined messages). */
  lagMs: "lag_ms",
  /** Newest source commit time in the batch: the data freshness. */
  sourceTs: "max_source_ts",
} as const;

/** `_quarantine` and the columns read from it. */
export const QUARANTINE_TABLE = {
  name: "_quarantine",
  at: "timestamp",
  topic: "topic",
  offset: "offset",
  error: "error",
} as const;

const BATCHES_KEPT = 120;
const QUARANTINE_SHOWN = 5;
const RATE_WINDOW_MS = 60_000;

interface Batch extends BatchMetric {
  job: string | null;
  sourceTs: number | null;
}

function maybe(row: Row, column: string, read: (row: Row, column: string) => number | null): number | null {
  return column in row ? read(row, column) : null;
}

function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** The job a shard belongs to: `lakestream.sales` → `lakestream`; an unsharded job's own name. */
export function jobFamily(job: string | null): string | null {
  return job?.replace(/\.[^.]*$/, "") ?? null;
}

/** Recent batches and quarantined messages. */
export class PipelineModel {
  #batches: Batch[] = [];
  #quarantine: QuarantineItem[] = [];

  /**
   * Adds batch rows (read as append-only, see {@linkcode PIPELINE_METRICS_TABLE}; removed rows change nothing).
   * Only the batches of the job whose batch committed last are kept (with its sibling shards, see
   * {@linkcode jobFamily}): when several jobs wrote the table, the figures are those of the one running now,
   * never a sum over jobs.
   */
  addBatches(rows: readonly Row[]): void {
    const M = PIPELINE_METRICS_TABLE;
    for (const row of rows) {
      const at = maybe(row, M.at, millisOf);
      if (at === null) continue;
      this.#batches.push({
        job: textOf(row[M.job]),
        at,
        events: maybe(row, M.events, numberOf) ?? 0,
        durationMs: maybe(row, M.durationMs, numberOf),
        latencyMs: maybe(row, M.latencyMs, numberOf),
        lagMs: maybe(row, M.lagMs, numberOf),
        sourceTs: maybe(row, M.sourceTs, millisOf),
      });
    }
    this.#batches.sort((a, b) => a.at - b.at);
    const family = jobFamily(this.#batches.at(-1)?.job ?? null);
    this.#batches = this.#batches.filter((b) => jobFamily(b.job) === family);
    if (this.#batches.length > BATCHES_KEPT) this.#batches = this.#batches.slice(-BATCHES_KEPT);
  }

  /** Adds quarantined rows (append-only). */
  addQuarantined(rows: readonly Row[]): void {
    const Q = QUARANTINE_TABLE;
    for (const row of rows) {
      this.#quarantine.push({
        at: maybe(row, Q.at, millisOf),
        source: `${textOf(row[Q.topic]) ?? "?"} @ ${textOf(row[Q.offset]) ?? "?"}`,
        error: textOf(row[Q.error]) ?? "",
      });
    }
    this.#quarantine.sort((a, b) => (b.at ?? 0) - (a.at ?? 0));
    this.#quarantine = this.#quarantine.slice(0, QUARANTINE_SHOWN);
  }

  /**
   * The status bar's figures at `now`; `sourceAsOf` is the newest source commit time seen in the lake's rows
   * (mirrors carry `source_commit_ts`).
   */
  status(tables: readonly TableStats[], now: number, sourceAsOf: number | null): StatusView {
    const recent = this.#batches.filter((b) => b.at > now - RATE_WINDOW_MS && b.at <= now);
    // A batch of quarantined messages only has no lag: the last one measured stands.
    const lagMs = this.#batches.findLast((b) => b.lagMs !== null)?.lagMs ?? null;
    const sourceTimes = this.#batches.map((b) => b.sourceTs).filter((t): t is number => t !== null);
    if (sourceAsOf !== null) sourceTimes.push(sourceAsOf);
    const commits = tables.map((t) => t.lastCommitAt).filter((t): t is number => t !== null);
    return {
      asOf: sourceTimes.length > 0 ? Math.max(...sourceTimes) : null,
      lastCommitAt: commits.length > 0 ? Math.max(...commits) : null,
      eventsPerSecond: this.#batches.length === 0
        ? null
        : Math.round(recent.reduce((n, b) => n + b.events, 0) / (RATE_WINDOW_MS / 1000)),
      sourceLagMs: lagMs,
      versions: Object.fromEntries(tables.map((t) => [t.name, t.version])),
    };
  }

  /** The pipeline page's figures. */
  view(tables: readonly TableStats[]): PipelineView {
    const latencies = this.#batches.map((b) => b.latencyMs).filter((l): l is number => l !== null).sort((
      a,
      b,
    ) => a - b);
    const quarantine = tables.find((t) => t.name === QUARANTINE_TABLE.name);
    return {
      tables: [...tables],
      quarantine: { count: quarantine?.rows ?? this.#quarantine.length, latest: this.#quarantine },
      batches: this.#batches.slice(-60).map(({ sourceTs: _, job: __, ...b }) => b),
      latencyP50: percentile(latencies, 50),
      latencyP95: percentile(latencies, 95),
    };
  }
}
