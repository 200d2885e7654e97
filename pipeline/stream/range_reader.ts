/**
 * Re-reading recorded batch ranges during recovery: the source was restarted at the checkpoint of the state
 * snapshot, and each write-ahead entry after it must get back exactly the records it had.
 *
 * Sources with one stream (SQLite, SQL Server, the memory source, one Kafka partition) deliver records in one
 * order, so asking for exactly the entry's record count yields exactly its records. With several streams
 * (Kafka partitions), the interleaving differs from one read to the next: records are then pulled one at a
 * time, so each pull's checkpoint names the record's stream and its position after it, and the record goes to
 * the first entry whose end checkpoint for that stream has not been passed. Records past the last entry are
 * kept for the first new batch. Every entry's count and digest are checked.
 *
 * @module
 */
import type { ChangeSource } from "../cdc/source/change_source.ts";
import { PendingBatch } from "./pending_batch.ts";
import type { WalEntry } from "./wal_entry.ts";

/** Options of {@linkcode RangeReader}. */
export interface RangeReaderOptions {
  /** Give up on an entry when no record arrived for this long. @default 60000 */
  timeoutMs?: number;
  /** Monotonic clock in ms. @default performance.now */
  now?: () => number;
  signal?: AbortSignal;
  /**
   * The source interleaves several streams in an order that differs between reads (Kafka partitions), also
   * streams the entries do not name (a partition with nothing in these batches still delivers its later
   * records): records are then placed one at a time. @default true when the entries name several streams
   */
  multiStream?: boolean;
}

/** Orders two checkpoint values of one stream: Kafka offsets as integers, other positions as text. */
export function compareCheckpointValues(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

function describeRange(e: WalEntry): string {
  return `${JSON.stringify(e.start)} → ${JSON.stringify(e.end)}`;
}

/** Reads the ranges of consecutive WAL entries back from a source positioned at the first one's start. */
export class RangeReader {
  readonly #source: ChangeSource;
  readonly #entries: readonly WalEntry[];
  readonly #job: string;
  readonly #timeoutMs: number;
  readonly #now: () => number;
  readonly #signal?: AbortSignal;
  readonly #multiStream: boolean;
  readonly #buckets = new Map<number, PendingBatch>();
  #next = 0;
  #overflow = new PendingBatch();

  constructor(
    source: ChangeSource,
    job: string,
    entries: readonly WalEntry[],
    options: RangeReaderOptions = {},
  ) {
    this.#source = source;
    this.#job = job;
    this.#entries = entries;
    this.#timeoutMs = options.timeoutMs ?? 60_000;
    this.#now = options.now ?? (() => performance.now());
    this.#signal = options.signal;
    const streams = new Set<string>();
    for (const e of entries) for (const k of [...Object.keys(e.start), ...Object.keys(e.end)]) streams.add(k);
    this.#multiStream = options.multiStream ?? streams.size > 1;
    for (const e of entries) this.#buckets.set(e.batch, new PendingBatch());
  }

  /**
   * The records of the next entry. Throws an Error naming the job, batch and range when the source cannot
   * reproduce it (fewer records within the timeout, or other records).
   */
  async read(): Promise<PendingBatch> {
    const entry = this.#entries[this.#next];
    if (!entry) throw new RangeError(`Cannot read past the last WAL entry of job "${this.#job}"`);
    const bucket = this.#buckets.get(entry.batch)!;
    let lastProgress = this.#now();
    while (bucket.size < entry.records) {
      const wait = Math.min(1000, Math.max(1, this.#timeoutMs - (this.#now() - lastProgress)));
      let pull;
      try {
        pull = await this.#source.next({
          maxRecords: this.#multiStream ? 1 : entry.records - bucket.size,
          maxWaitMs: wait,
          signal: this.#signal,
        });
      } catch (e) {
        if (this.#signal?.aborted) throw e;
        throw new Error(
          `Cannot recover job "${this.#job}": re-reading batch ${entry.batch} (range ${
            describeRange(entry)
          }) failed: ${(e as Error).message}`,
          { cause: e },
        );
      }
      const n = pull.records.length + pull.quarantined.length;
      const at = this.#now();
      if (n === 0) {
        if (at - lastProgress >= this.#timeoutMs) {
          throw new Error(
            `Cannot recover job "${this.#job}": the source returned ${bucket.size} of the ${entry.records} records of batch ${entry.batch} (range ${
              describeRange(entry)
            }) within ${this.#timeoutMs} ms; were they purged at the source?`,
          );
        }
        continue;
      }
      lastProgress = at;
      if (!this.#multiStream) bucket.add(pull, at);
      else this.#place(pull, at);
    }
    if (bucket.size !== entry.records || bucket.digest.value !== entry.digest) {
      throw new Error(
        `Cannot recover job "${this.#job}": the source returned other records for batch ${entry.batch} (range ${
          describeRange(entry)
        }) than were processed (${bucket.size} records, digest ${bucket.digest.value}; recorded ${entry.records}, ${entry.digest})`,
      );
    }
    this.#buckets.delete(entry.batch);
    this.#next++;
    return bucket;
  }

  #place(pull: Parameters<PendingBatch["add"]>[0], at: number): void {
    const streams = Object.keys(pull.checkpoint);
    if (pull.records.length + pull.quarantined.length !== 1 || streams.length !== 1) {
      throw new Error(
        `Cannot recover job "${this.#job}": asked for one record, the source returned ${
          pull.records.length + pull.quarantined.length
        } with checkpoint ${JSON.stringify(pull.checkpoint)}`,
      );
    }
    const stream = streams[0];
    const value = pull.checkpoint[stream];
    const start = this.#entries[this.#next].start[stream];
    if (start !== undefined && compareCheckpointValues(value, start) <= 0) {
      throw new Error(
        `Cannot recover job "${this.#job}": the source returned a record of "${stream}" at ${value}, before batch ${
          this.#entries[this.#next].batch
        } starts (${start})`,
      );
    }
    for (let i = this.#next; i < this.#entries.length; i++) {
      const end = this.#entries[i].end[stream];
      if (end !== undefined && compareCheckpointValues(value, end) <= 0) {
        this.#buckets.get(this.#entries[i].batch)!.add(pull, at);
        return;
      }
    }
    this.#overflow.add(pull, at);
  }

  /** Records read past the last entry (multi-stream sources only): the start of the first new batch. */
  takeOverflow(): PendingBatch {
    const o = this.#overflow;
    this.#overflow = new PendingBatch();
    return o;
  }
}
