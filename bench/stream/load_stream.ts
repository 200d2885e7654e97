/**
 * The benchmark's message stream: {@linkcode CommerceLoad}'s actions as one source transaction each (commit
 * LSNs, transaction ids, commit time given by the producer), rendered to Kafka messages, with the faults a
 * real capture pipeline delivers mixed in:
 * - duplicates: about `duplicateRate` of the change events are sent again a few to a few hundred messages
 *   later (at-least-once delivery after a connector restart);
 * - out of order: about `reorderRate` of the change events are held back behind the next message of their
 *   topic, so a partition's offset order disagrees with the source's commit order within a small window.
 * Seeded: the same options give the same messages for the same commit times.
 *
 * @module
 */
import { Prng } from "../../pipeline/stream/operators/_prng.ts";
import {
  CommerceLoad,
  type CommerceLoadOptions,
  type LoadMessage,
  renderChange,
  type RowChange,
} from "./commerce_load.ts";

/** Options of {@linkcode LoadStream}. */
export interface LoadStreamOptions extends CommerceLoadOptions {
  /** Topic prefix (`<prefix>.public.<table>`). */
  prefix: string;
  /** @default 0.01 */
  duplicateRate?: number;
  /** @default 0.01 */
  reorderRate?: number;
}

/** A message and whether it is a change event (not a tombstone). */
export interface StreamMessage extends LoadMessage {
  /** Source commit time it carries, epoch ms (tombstones: their delete's). */
  tsMs: number;
}

/** Turns the commerce model into Kafka messages with commits and faults. */
export class LoadStream {
  readonly model: CommerceLoad;
  readonly #prefix: string;
  readonly #rng: Prng;
  readonly #duplicateRate: number;
  readonly #reorderRate: number;
  #lsn = 1_000_000;
  #lastCommitLsn = 999_000;
  #txId = 500;
  /** Copies waiting to be sent again: [messages still to pass, message]. */
  #duplicates: [number, StreamMessage][] = [];
  /** Per topic, a message held back behind the next one of its topic. */
  #held = new Map<string, StreamMessage>();
  /** Change events (not tombstones) emitted so far, duplicates included. */
  events = 0;

  constructor(options: LoadStreamOptions) {
    this.model = new CommerceLoad(options);
    this.#prefix = options.prefix;
    this.#rng = new Prng((options.seed ?? 1) * 7919 + 13);
    this.#duplicateRate = options.duplicateRate ?? 0.01;
    this.#reorderRate = options.reorderRate ?? 0.01;
  }

  /** The catalog and `customers` customers as snapshot reads (no faults), at commit time `tsMs`. */
  snapshot(customers: number, tsMs: number): StreamMessage[] {
    return [...this.catalog(tsMs), ...this.customers(customers, tsMs)];
  }

  /** The reference tables, products and stock as snapshot reads (call once, first). */
  catalog(tsMs: number): StreamMessage[] {
    const out: StreamMessage[] = [];
    this.#commit(this.model.catalog(), tsMs, out, false);
    return out;
  }

  /** `count` more customers as snapshot reads (a large initial load goes in several calls). */
  customers(count: number, tsMs: number): StreamMessage[] {
    const out: StreamMessage[] = [];
    this.#commit(this.model.customers(count), tsMs, out, false);
    return out;
  }

  /** The messages of the next action, committed at `tsMs` (plus any duplicates or held messages now due). */
  next(tsMs: number): StreamMessage[] {
    this.model.setTime(tsMs);
    const out: StreamMessage[] = [];
    this.#commit(this.model.action(), tsMs, out, true);
    return out;
  }

  /** Everything still held back or waiting to be duplicated, for the end of a run. */
  flush(): StreamMessage[] {
    const out = [...this.#held.values(), ...this.#duplicates.map(([, m]) => m)];
    this.#held.clear();
    this.#duplicates = [];
    this.events += out.filter((m) => m.value !== null).length;
    return out;
  }

  #commit(changes: RowChange[], tsMs: number, out: StreamMessage[], faults: boolean): void {
    const txId = ++this.#txId;
    for (const change of changes) {
      this.#lsn += 56;
      const messages = renderChange(this.#prefix, change, {
        tsMs,
        lsn: this.#lsn,
        txId,
        lastCommitLsn: this.#lastCommitLsn,
      });
      for (const m of messages) this.#emit({ ...m, tsMs }, out, faults);
    }
    this.#lastCommitLsn = this.#lsn + 24;
  }

  #emit(m: StreamMessage, out: StreamMessage[], faults: boolean): void {
    if (!faults) {
      this.#send(m, out);
      return;
    }
    const held = this.#held.get(m.topic);
    if (held) {
      // The held message goes right after this one: one swap within its partition.
      this.#held.delete(m.topic);
      this.#send(m, out);
      this.#send(held, out);
    } else if (m.value !== null && this.#rng.chance(this.#reorderRate)) this.#held.set(m.topic, m);
    else this.#send(m, out);
    if (m.value !== null && this.#rng.chance(this.#duplicateRate)) {
      this.#duplicates.push([this.#rng.between(3, 300), m]);
    }
  }

  #send(m: StreamMessage, out: StreamMessage[]): void {
    out.push(m);
    if (m.value !== null) this.events++;
    if (this.#duplicates.length === 0) return;
    const due: StreamMessage[] = [];
    this.#duplicates = this.#duplicates.filter((d) => {
      if (--d[0] > 0) return true;
      due.push(d[1]);
      return false;
    });
    for (const d of due) {
      out.push(d);
      this.events++;
    }
  }
}
