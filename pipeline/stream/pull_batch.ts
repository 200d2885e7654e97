/**
 * Forming micro-batches: pull from the source until the batch holds `maxEvents` records or the latency budget
 * since its first record is spent.
 *
 * @module
 */
import type { ChangeSource } from "../cdc/source/change_source.ts";
import { PendingBatch } from "./pending_batch.ts";

/** Options of {@linkcode pullBatch}. */
export interface PullOptions {
  /** Records (plus quarantined messages) per batch at most. */
  maxEvents: number;
  /** Latency budget: a batch closes this long after its first record arrived, full or not. */
  maxBatchMs: number;
  /** How long one pull waits for a first record before returning an empty batch. */
  idleWaitMs: number;
  /** Monotonic clock in ms. */
  now: () => number;
  signal?: AbortSignal;
}

/**
 * Gathers the next batch, starting from `carry` (records already read, e.g. past the end of a replayed
 * range). Returns a batch without records when nothing arrived within `idleWaitMs` (it may still carry a
 * checkpoint, which the caller keeps for the next batch). Aborting `signal` closes the batch at once with the
 * records gathered so far (a graceful stop commits them); a pull interrupted by it returns nothing, which is
 * safe: the source has not handed those records over, and nothing was claimed for them.
 */
export async function pullBatch(
  source: ChangeSource,
  options: PullOptions,
  carry: PendingBatch = new PendingBatch(),
): Promise<PendingBatch> {
  const batch = carry;
  for (;;) {
    const room = options.maxEvents - batch.size;
    if (room <= 0) return batch;
    let wait = options.idleWaitMs;
    if (batch.firstAt !== null) {
      wait = batch.firstAt + options.maxBatchMs - options.now();
      if (wait <= 0) return batch;
    }
    if (options.signal?.aborted) return batch;
    let pull;
    try {
      pull = await source.next({ maxRecords: room, maxWaitMs: wait, signal: options.signal });
    } catch (e) {
      if (options.signal?.aborted) return batch;
      throw e;
    }
    batch.add(pull, options.now());
    if (batch.size === 0) return batch;
  }
}
