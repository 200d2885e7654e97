/**
 * End-to-end latency (source commit → Delta commit) from per-batch records. A batch reports its oldest and
 * newest source commit time and when its last table commit ended; with an open-loop load at a fixed rate the
 * events of a batch are spread evenly between the two, so each event's latency is rebuilt as the commit end
 * minus its place in that interval. Both systems are measured this way.
 *
 * @module
 */
import type { BatchRecord } from "./system_run.ts";

/** Latency percentiles in ms. */
export interface LatencySummary {
  events: number;
  batches: number;
  p50: number;
  p99: number;
  max: number;
  /** The worst batch's oldest event (an upper bound of every event's latency). */
  worstBatch: number;
}

/** The value at quantile `q` of ascending `sorted` (nearest rank). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** Per-event latencies of the batches whose events were all committed at or after `fromTs`. */
export function eventLatencies(batches: readonly BatchRecord[], fromTs: number): Float64Array {
  const kept = batches.filter((b) => b.minTs >= fromTs);
  const out = new Float64Array(kept.reduce((n, b) => n + b.events, 0));
  let i = 0;
  for (const b of kept) {
    const span = b.maxTs - b.minTs;
    for (let k = 0; k < b.events; k++) out[i++] = b.end - (b.minTs + (span * (k + 0.5)) / b.events);
  }
  return out.sort();
}

/** Percentiles of the batches committed for events from `fromTs` on. */
export function summarizeLatency(batches: readonly BatchRecord[], fromTs: number): LatencySummary {
  const kept = batches.filter((b) => b.minTs >= fromTs);
  const all = eventLatencies(kept, fromTs);
  return {
    events: all.length,
    batches: kept.length,
    p50: quantile(all, 0.5),
    p99: quantile(all, 0.99),
    max: all.length ? all[all.length - 1] : NaN,
    worstBatch: Math.max(...kept.map((b) => b.end - b.minTs)),
  };
}
