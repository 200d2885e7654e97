/**
 * Which of several instances runs a job now. Two kinds: the job's lease in the lake (`--ha`: one active
 * instance, hot standbys) and a Kafka group's assignment (`--shard`: each shard of the job goes to one member).
 * Neither is what makes the output correct: a stale owner is fenced by the WAL's put-if-absent batch claims and
 * the Delta `txn` conflict rule.
 *
 * @module
 */
import { delay } from "./delay.ts";
import type { JobLease } from "./job_lease.ts";
import type { Logger } from "./logger.ts";

/** The right of this instance to run a job. */
export interface Ownership {
  /** Waits until this instance owns the job; false when `signal` aborted first. */
  acquire(signal: AbortSignal): Promise<boolean>;
  /** Keeps ownership until `done` aborts; aborts `lost` (and returns) when it is gone. */
  hold(lost: AbortController, done: AbortSignal): Promise<void>;
  /** Gives ownership up after a clean stop. */
  release(): Promise<void>;
  /** What to log when ownership is gained. */
  describe(): Record<string, unknown>;
}

/**
 * Ownership by the job's lease: renewed every third of its TTL; lost when another instance took it, or when
 * renewals kept failing for a whole TTL (others may have taken over meanwhile).
 */
export function leaseOwnership(lease: JobLease, job: string, logger: Logger): Ownership {
  return {
    acquire: (signal) =>
      lease.acquire(signal, () => logger.info("standing by: another instance holds the job", { job })),
    async hold(lost, done) {
      const stop = AbortSignal.any([done, lost.signal]);
      let renewedAt = performance.now();
      while (!stop.aborted) {
        await delay(Math.max(50, Math.floor(lease.ttlMs / 3)), stop);
        if (stop.aborted) return;
        try {
          if (!await lease.renew()) return lost.abort();
          renewedAt = performance.now();
        } catch (e) {
          logger.warn("lease renewal failed", { error: (e as Error).message });
          if (performance.now() - renewedAt > lease.ttlMs) return lost.abort();
        }
      }
    },
    release: () => lease.release(),
    describe: () => ({ epoch: lease.epoch }),
  };
}
