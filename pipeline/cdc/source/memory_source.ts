/**
 * An in-memory change source over a shared {@linkcode MemoryLog}: for tests of everything downstream of the
 * sources (operators, the stream processor), with the same contract as the real ones.
 *
 * @module
 */
import type { QuarantineRecord } from "../quarantine.ts";
import type { SourceRecord } from "../source_record.ts";
import { sleep } from "./backoff.ts";
import type { ChangeSource, NextOptions, SourceBatch, SourceCheckpoint } from "./change_source.ts";

/** Checkpoint stream of the memory source. */
export const MEMORY_STREAM = "memory";

type Entry = { record: SourceRecord } | { quarantine: QuarantineRecord };

/** An append-only log of records that sources read from; survives the sources (like a topic). */
export class MemoryLog {
  readonly entries: Entry[] = [];

  append(...records: SourceRecord[]): void {
    for (const record of records) this.entries.push({ record });
  }

  appendQuarantined(...records: QuarantineRecord[]): void {
    for (const quarantine of records) this.entries.push({ quarantine });
  }
}

/** Options of {@linkcode MemorySource}. */
export interface MemorySourceOptions {
  from?: SourceCheckpoint | null;
  /** @default 5 */
  pollIntervalMs?: number;
}

/** Reads a {@linkcode MemoryLog}; the checkpoint is the number of entries read. */
export class MemorySource implements ChangeSource {
  readonly #log: MemoryLog;
  readonly #poll: number;
  #read: number;
  #closed = false;
  /** Checkpoints passed to `commit()`, for tests. */
  readonly committed: SourceCheckpoint[] = [];

  constructor(log: MemoryLog, options: MemorySourceOptions = {}) {
    this.#log = log;
    this.#poll = options.pollIntervalMs ?? 5;
    const from = options.from?.[MEMORY_STREAM];
    this.#read = from === undefined ? 0 : Number(from);
    if (!Number.isSafeInteger(this.#read) || this.#read < 0) {
      throw new RangeError(`Cannot start memory source at "${from}": not an entry count`);
    }
  }

  async next(options: NextOptions = {}): Promise<SourceBatch> {
    const max = options.maxRecords ?? 10_000;
    const deadline = performance.now() + (options.maxWaitMs ?? 1000);
    for (;;) {
      if (this.#closed) throw new Error("Cannot read memory source: it is closed");
      options.signal?.throwIfAborted();
      const entries = this.#log.entries.slice(this.#read, this.#read + max);
      if (entries.length > 0 || performance.now() >= deadline) {
        this.#read += entries.length;
        const batch: SourceBatch = { records: [], quarantined: [], checkpoint: {} };
        for (const e of entries) {
          "record" in e ? batch.records.push(e.record) : batch.quarantined.push(e.quarantine);
        }
        if (entries.length > 0) batch.checkpoint = { [MEMORY_STREAM]: String(this.#read) };
        return batch;
      }
      await sleep(Math.min(this.#poll, Math.max(0, deadline - performance.now())), options.signal);
    }
  }

  commit(checkpoint: SourceCheckpoint): Promise<void> {
    this.committed.push(checkpoint);
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.#closed = true;
    return Promise.resolve();
  }
}
