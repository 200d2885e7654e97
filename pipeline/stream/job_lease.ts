/**
 * Which of several instances of a job is active: a lease in the job's checkpoint folder. The holder runs the
 * engine (and is the only member of its Kafka consumer group, so it gets every partition); the others wait
 * as hot standby and take over when the holder stops renewing.
 *
 * Layout: `lease/<epoch>.json` (20-digit epochs) is written with put-if-absent, so of two instances taking
 * over only one gets the next epoch; its holder renews it by rewriting `lease/<epoch>.beat` with the time.
 * A holder that finds a newer epoch has lost the lease and steps down. A standby takes over when the newest
 * beat is older than the TTL by its own clock (instances need roughly synchronised clocks, with a TTL far
 * above their skew) or says the holder released it.
 *
 * The lease keeps instances from working against each other; it is not what makes the output correct. Two
 * holders at once (a holder paused past its TTL) are still fenced by the WAL's put-if-absent batch claims and
 * by the Delta `txn` conflict rule.
 *
 * @module
 */
import { AlreadyExistsError, NotFoundError, type ObjectStore } from "../delta/storage/object_store.ts";
import { batchName, parseBatchName } from "./wal_entry.ts";
import { delay } from "./delay.ts";

/** Options of {@linkcode JobLease}. */
export interface JobLeaseOptions {
  /** This instance. */
  instance: string;
  /** A beat older than this lets a standby take over, in ms. @default 10000 */
  ttlMs?: number;
  /** Wall clock in ms since the epoch. @default Date.now */
  now?: () => number;
}

interface Beat {
  instance: string;
  at: number;
  released: boolean;
}

/** The lease of one job, as seen by one instance. */
export class JobLease {
  readonly #store: ObjectStore;
  readonly #instance: string;
  readonly #ttl: number;
  readonly #now: () => number;
  #epoch: number | null = null;

  /** `store` is the job's checkpoint folder. */
  constructor(store: ObjectStore, options: JobLeaseOptions) {
    this.#store = store;
    this.#instance = options.instance;
    this.#ttl = options.ttlMs ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /** The TTL in ms. */
  get ttlMs(): number {
    return this.#ttl;
  }

  /** The epoch this instance holds, or null. */
  get epoch(): number | null {
    return this.#epoch;
  }

  async #newestEpoch(): Promise<number | null> {
    let newest: number | null = null;
    for await (const meta of this.#store.list("lease/")) {
      const e = parseBatchName(meta.key.slice("lease/".length), ".json");
      if (e !== null && (newest === null || e > newest)) newest = e;
    }
    return newest;
  }

  async #beat(epoch: number): Promise<Beat | null> {
    for (const key of [`lease/${batchName(epoch)}.beat`, `lease/${batchName(epoch)}.json`]) {
      try {
        const v = JSON.parse(new TextDecoder().decode(await this.#store.get(key)));
        return { instance: String(v.instance), at: Number(v.at), released: v.released === true };
      } catch (e) {
        if (e instanceof NotFoundError) continue;
        if (e instanceof SyntaxError) return null;
        throw e;
      }
    }
    return null;
  }

  #body(released = false): Uint8Array {
    return new TextEncoder().encode(
      JSON.stringify({ instance: this.#instance, at: this.#now(), released }) + "\n",
    );
  }

  /**
   * Takes the lease if it is free (never held, released, or not renewed within the TTL); true when this
   * instance holds it now.
   */
  async tryAcquire(): Promise<boolean> {
    const newest = await this.#newestEpoch();
    if (newest !== null && newest === this.#epoch) return true;
    if (newest !== null) {
      const beat = await this.#beat(newest);
      const free = beat === null || beat.released || this.#now() - beat.at > this.#ttl;
      if (!free) return false;
    }
    const epoch = (newest ?? 0) + 1;
    try {
      await this.#store.putIfAbsent(`lease/${batchName(epoch)}.json`, this.#body());
    } catch (e) {
      if (e instanceof AlreadyExistsError) return false;
      throw e;
    }
    this.#epoch = epoch;
    // Epochs before the previous one are history nobody reads.
    for (const e of [epoch - 2, epoch - 3]) {
      if (e < 1) continue;
      await this.#store.delete(`lease/${batchName(e)}.beat`);
      await this.#store.delete(`lease/${batchName(e)}.json`);
    }
    return true;
  }

  /** Waits (as standby) until this instance holds the lease; false when `signal` stopped the wait. */
  async acquire(signal: AbortSignal, onWait?: () => void): Promise<boolean> {
    for (let first = true; !signal.aborted; first = false) {
      if (await this.tryAcquire()) return true;
      if (first) onWait?.();
      await delay(Math.max(50, Math.floor(this.#ttl / 4)), signal);
    }
    return false;
  }

  /** Renews the lease; false when another instance took a newer epoch (this one must step down). */
  async renew(): Promise<boolean> {
    const epoch = this.#epoch;
    if (epoch === null) return false;
    if (await this.#store.head(`lease/${batchName(epoch + 1)}.json`)) {
      this.#epoch = null;
      return false;
    }
    await this.#store.put(`lease/${batchName(epoch)}.beat`, this.#body());
    return true;
  }

  /** Gives the lease up so a standby takes over at once (graceful stop). */
  async release(): Promise<void> {
    const epoch = this.#epoch;
    if (epoch === null) return;
    this.#epoch = null;
    if (await this.#store.head(`lease/${batchName(epoch + 1)}.json`)) return;
    await this.#store.put(`lease/${batchName(epoch)}.beat`, this.#body(true));
  }
}
