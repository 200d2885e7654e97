/**
 * Debezium topics read with kafkajs, as a pull-based {@linkcode ChangeSource}.
 *
 * - Subscribes to every topic whose name starts with the prefix, in a consumer group. kafkajs resolves the
 *   pattern once, at subscription, so the source lists the topics every `topicRefreshMs` and restarts its
 *   consumer when a new one appeared (Debezium creates a table's topic with its first change, often after the
 *   processor started).
 * - Offsets belong to the caller's checkpoint (`"<topic>/<partition>"` → next offset). When the group assigns
 *   partitions, the source asks the caller where each one resumes (`onAssign`, where the caller fences older
 *   writers) and seeks there; a batch fetched from another offset is dropped. `commit()` also commits the
 *   offsets to Kafka, for monitoring only.
 * - The question to the caller ends with its assignment: a rebalance, a restart or `close()` aborts its signal
 *   and stops waiting. kafkajs' disconnect waits for the batch handler, and a handler that kept waiting (and
 *   heartbeating) for a caller that was itself waiting on that disconnect held its partitions forever.
 * - Backpressure: kafkajs' fetch loop waits while the records waiting to be pulled reach twice the largest batch
 *   asked for so far (at most `maxBuffered`): a job's small first batches do not wait behind the fetching and
 *   decoding of a backlog's next 20,000 records, which used to delay a first commit by more than the batch took.
 * - A consumer that crashes for good is rebuilt with backoff and resumes from what was handed out.
 *
 * @module
 */
import {
  type Admin,
  type Consumer,
  type EachBatchPayload,
  Kafka,
  logLevel,
  type PartitionAssigner,
} from "kafkajs";
import type { TableDef } from "../../catalog/mod.ts";
import { type Clock, systemClock } from "../clock.ts";
import { DebeziumDecoder } from "../debezium_decoder.ts";
import { decodeOrQuarantine, type QuarantineRecord } from "../quarantine.ts";
import type { SourceRecord } from "../source_record.ts";
import { Backoff, sleep } from "./backoff.ts";
import type { ChangeSource, NextOptions, SourceBatch, SourceCheckpoint } from "./change_source.ts";

/** Options of {@linkcode KafkaSource}. */
export interface KafkaSourceOptions {
  brokers: string[];
  /** Consumer group id. */
  groupId: string;
  /** Topics starting with `<topicPrefix>.` are read (`lakestream` → `lakestream.public.orders`, …). */
  topicPrefix: string;
  /** Where partitions resume when `onAssign` does not say; partitions in neither start at the earliest offset. */
  from?: SourceCheckpoint | null;
  /**
   * Called with the partitions the group assigned to this member (`"<topic>/<partition>"`) before any of them
   * is read; returns where each resumes (next offset). The caller fences writers of partitions it takes over
   * here, and may take its time: the member keeps heartbeating meanwhile. `signal` aborts when this assignment
   * is over (a rebalance, the consumer restarting or closing): stop waiting then, the answer is not used.
   */
  onAssign?: (partitions: string[], signal: AbortSignal) => Promise<SourceCheckpoint> | SourceCheckpoint;
  /** How the group splits partitions among its members (all members must agree). @default kafkajs' round robin */
  partitionAssigners?: PartitionAssigner[];
  /** Captured tables for name mapping and keys. @default ECOMMERCE_TABLES */
  tables?: readonly TableDef[];
  /**
   * Records kept waiting to be pulled before fetching pauses, at most (the read-ahead is twice the largest
   * batch asked for, at least 500). @default 20000
   */
  maxBuffered?: number;
  /** @default "lakestream-cdc" */
  clientId?: string;
  /**
   * How long the group waits for a member that stopped heartbeating (a killed process) before moving its
   * partitions. @default 30000
   */
  sessionTimeoutMs?: number;
  clock?: Clock;
  backoff?: Backoff;
  /**
   * Consumer restarts in a row (after kafkajs gave up on its own retries) before `next()` throws.
   * @default 20
   */
  maxAttempts?: number;
  /**
   * Retries of one request inside kafkajs before the consumer fails.
   * @default 8
   */
  retries?: number;
  /**
   * How often `next()` looks for new topics with the prefix, in ms; a new one restarts the consumer so it is
   * subscribed too (resuming from what was handed out).
   * @default 5000
   */
  topicRefreshMs?: number;
}

/** The smallest read-ahead, in records. */
const MIN_READ_AHEAD = 500;

interface Buffered {
  stream: string;
  /** Next offset after this message. */
  next: string;
  item: { record: SourceRecord } | { quarantine: QuarantineRecord };
}

/** Counters for metrics. */
export interface KafkaSourceStats {
  messages: number;
  quarantined: number;
  /** Messages dropped because they were fetched before the seek to the caller's position took effect. */
  droppedBeforeSeek: number;
  rebalances: number;
  restarts: number;
  /** Consumer restarts because new topics with the prefix appeared. */
  newTopicRestarts: number;
  /** Failed monitoring commits to Kafka (the caller's checkpoint is unaffected). */
  commitErrors: number;
  lastCommitError: string | null;
}

function streamId(topic: string, partition: number): string {
  return `${topic}/${partition}`;
}

function parseStream(id: string): { topic: string; partition: number } {
  const at = id.lastIndexOf("/");
  const partition = Number(id.slice(at + 1));
  if (at <= 0 || !Number.isInteger(partition) || partition < 0) {
    throw new SyntaxError(`Cannot read Kafka checkpoint stream "${id}": expected "<topic>/<partition>"`);
  }
  return { topic: id.slice(0, at), partition };
}

/** Reads Debezium topics from Kafka. */
export class KafkaSource implements ChangeSource {
  readonly #options: KafkaSourceOptions;
  readonly #kafka: Kafka;
  readonly #decoder: DebeziumDecoder;
  readonly #clock: Clock;
  readonly #backoff: Backoff;
  readonly #maxBuffered: number;
  #consumer: Consumer | null = null;
  #buffer: Buffered[] = [];
  /** Next offset to hand out per stream: the caller's positions, advanced as batches are handed out. */
  #positions = new Map<string, string>();
  /** Partitions of the current assignment whose position is settled (asked and sought). */
  #settled = new Set<string>();
  #assigned = new Set<string>();
  #failure: Error | null = null;
  #closed = false;
  #wake: (() => void) | null = null;
  /** Read-ahead: twice the largest `maxRecords` asked for so far, within [500, maxBuffered]. */
  #readAhead: number;
  /** Resumes a fetch loop paused by backpressure (records were taken). */
  #room: (() => void) | null = null;
  /** Topics with the prefix that existed when the current consumer subscribed. */
  #topics = new Set<string>();
  #topicsCheckedAt = 0;
  #admin: Promise<Admin> | null = null;
  /**
   * The current assignment: aborted when it ends (rebalance, stop, close), which ends a pending `onAssign` and
   * any settling for it. `resumeFrom` starts a new one too (positions settled before it are void).
   */
  #assignment = new AbortController();
  /** Where reading resumes before anything was handed out (`from`, or what `resumeFrom` said). */
  #from: SourceCheckpoint;
  readonly stats: KafkaSourceStats = {
    messages: 0,
    quarantined: 0,
    droppedBeforeSeek: 0,
    rebalances: 0,
    restarts: 0,
    newTopicRestarts: 0,
    commitErrors: 0,
    lastCommitError: null,
  };

  constructor(options: KafkaSourceOptions) {
    this.#options = options;
    this.#kafka = new Kafka({
      clientId: options.clientId ?? "lakestream-cdc",
      brokers: options.brokers,
      logLevel: logLevel.NOTHING,
      retry: { retries: options.retries ?? 8, initialRetryTime: 100, maxRetryTime: 5000 },
    });
    this.#decoder = new DebeziumDecoder({ tables: options.tables });
    this.#clock = options.clock ?? systemClock;
    this.#backoff = options.backoff ?? new Backoff();
    this.#maxBuffered = options.maxBuffered ?? 20_000;
    this.#readAhead = Math.min(MIN_READ_AHEAD, this.#maxBuffered);
    this.#from = options.from ?? {};
    for (const [stream, offset] of Object.entries(this.#from)) {
      parseStream(stream);
      this.#positions.set(stream, offset);
    }
  }

  /** Records fetched and waiting to be pulled (about the read-ahead, at most `maxBuffered`). */
  get buffered(): number {
    return this.#buffer.length;
  }

  /** Streams of the current assignment. */
  get assigned(): string[] {
    return [...this.#assigned].sort();
  }

  async #start(): Promise<void> {
    const prefix = this.#options.topicPrefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const consumer = this.#kafka.consumer({
      groupId: this.#options.groupId,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 100,
      sessionTimeout: this.#options.sessionTimeoutMs ?? 30_000,
      ...(this.#options.partitionAssigners ? { partitionAssigners: this.#options.partitionAssigners } : {}),
      heartbeatInterval: Math.min(3000, Math.floor((this.#options.sessionTimeoutMs ?? 30_000) / 3)),
    });
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      // A consumer being stopped may still rejoin once (kafkajs rejoins on a rebalance before it leaves): what
      // it was given is not this source's.
      if (this.#consumer !== consumer) return;
      this.stats.rebalances++;
      this.#newAssignment();
      const assigned = new Set<string>();
      for (const [topic, partitions] of Object.entries(e.payload.memberAssignment)) {
        for (const p of partitions as number[]) assigned.add(streamId(topic, p));
      }
      this.#assigned = assigned;
      this.#settled.clear();
      // A new assignment starts from what was handed out (or where the caller says): records waiting in the
      // buffer are fetched again, by this member or by the partition's new owner.
      this.#buffer = [];
      this.#positions = this.#resumePositions();
    });
    consumer.on(consumer.events.CRASH, (e) => {
      if (!e.payload.restart) this.#fail(e.payload.error);
    });
    this.#consumer = consumer;
    // The broker connection and the topic listing (the admin client's own connection) in parallel.
    const [, topics] = await Promise.all([consumer.connect(), this.#listTopics()]);
    this.#topics = new Set(topics);
    this.#topicsCheckedAt = performance.now();
    await consumer.subscribe({ topics: [new RegExp(`^${prefix}\\.`)], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: (payload) => this.#eachBatch(consumer, payload),
    });
  }

  /** Topics whose name starts with `<prefix>.`. */
  async #listTopics(): Promise<string[]> {
    const prefix = `${this.#options.topicPrefix}.`;
    return (await (await this.#adminClient()).listTopics()).filter((t) => t.startsWith(prefix));
  }

  /** One admin client, connected on first use (concurrent first uses share it). */
  #adminClient(): Promise<Admin> {
    if (this.#admin === null) {
      const admin = this.#kafka.admin();
      this.#admin = admin.connect().then(() => admin);
      // A failed connect is not kept: the next use tries again.
      this.#admin.catch(() => this.#admin = null);
    }
    return this.#admin;
  }

  /** Ends the current assignment (its pending `onAssign` and settling) and starts the next. */
  #newAssignment(): void {
    this.#assignment.abort(new Error("Kafka partition assignment ended"));
    this.#assignment = new AbortController();
  }

  /** Whether a topic with the prefix appeared since the consumer subscribed (checked every topicRefreshMs). */
  async #newTopicAppeared(): Promise<boolean> {
    const now = performance.now();
    if (now - this.#topicsCheckedAt < (this.#options.topicRefreshMs ?? 5000)) return false;
    this.#topicsCheckedAt = now;
    return (await this.#listTopics()).some((t) => !this.#topics.has(t));
  }

  #fail(error: Error): void {
    this.#failure = error;
    this.#wake?.();
  }

  /**
   * Settles where the unsettled partitions of this assignment resume (`stream` among them): asks the caller once
   * per assignment, then the earliest offset for those nobody gave a position. Rejects with the signal's reason
   * when the assignment ended meanwhile (nothing settled then).
   */
  async #settle(stream: string, signal: AbortSignal): Promise<string | null> {
    const unsettled = [...this.#assigned].filter((s) => !this.#settled.has(s));
    if (!unsettled.includes(stream)) unsettled.push(stream);
    const given = this.#options.onAssign ? await this.#options.onAssign(unsettled, signal) : {};
    signal.throwIfAborted();
    for (const s of unsettled) {
      const offset = given[s] ?? this.#positions.get(s);
      if (offset !== undefined) this.#positions.set(s, offset);
    }
    // A partition nobody gave a position for starts at its earliest offset, never at the group's committed
    // one: those are for monitoring and may come from another job that used the same group.
    const unknown = new Set(unsettled.filter((s) => !this.#positions.has(s)));
    // All topics at once: one after the other, a job's 15 topics cost 15 round trips before its first fetch.
    const topics = [...new Set([...unknown].map((s) => parseStream(s).topic))];
    if (topics.length > 0) {
      const admin = await this.#adminClient();
      const offsets = await Promise.all(topics.map((topic) => admin.fetchTopicOffsets(topic)));
      signal.throwIfAborted();
      topics.forEach((topic, i) => {
        for (const p of offsets[i]) {
          const s = streamId(topic, p.partition);
          if (unknown.has(s)) this.#positions.set(s, p.low);
        }
      });
    }
    for (const s of unsettled) this.#settled.add(s);
    return this.#positions.get(stream) ?? null;
  }

  async #eachBatch(consumer: Consumer, payload: EachBatchPayload): Promise<void> {
    const { batch, heartbeat, isRunning, isStale, resolveOffset } = payload;
    const stream = streamId(batch.topic, batch.partition);
    let expected: string | null;
    if (this.#settled.has(stream)) expected = this.#positions.get(stream) ?? null;
    else {
      const signal = this.#assignment.signal;
      const settling = this.#settle(stream, signal);
      // The caller may take long to say where to resume (it recovers its job first): stay in the group meanwhile,
      // but only while this consumer runs: kafkajs' stop waits for this handler (see #stop).
      let settled = false;
      settling.then(() => settled = true, () => settled = true);
      while (!settled) {
        await Promise.race([settling, sleep(1000)]);
        if (settled) break;
        // Stopping (kafkajs sets this before waiting for the handler): leave the question to the next assignment.
        if (!isRunning()) return;
        await heartbeat();
      }
      try {
        expected = await settling;
      } catch (e) {
        // The assignment ended while it was being settled: its batches are not read (the next one settles again).
        if (signal.aborted) return;
        throw e;
      }
      if (!isRunning() || isStale()) return;
    }
    const first = batch.messages[0]?.offset;
    if (expected !== null && first !== undefined && BigInt(first) > BigInt(expected)) {
      // Fetched from Kafka's committed offset, past where the caller resumes: go back.
      consumer.seek({ topic: batch.topic, partition: batch.partition, offset: expected });
      return;
    }
    const last = batch.messages[batch.messages.length - 1]?.offset;
    if (expected !== null && last !== undefined && BigInt(last) < BigInt(expected)) {
      // All before where the caller resumes (a group without committed offsets starts at the earliest):
      // go forward. Dropping them without resolving would fetch the same messages again, forever.
      this.stats.droppedBeforeSeek += batch.messages.length;
      consumer.seek({ topic: batch.topic, partition: batch.partition, offset: expected });
      return;
    }
    // Nothing else runs between two awaits: the assignment, positions and kafkajs' state are checked after each
    // await, not per message (per message, kafkajs' isStale and resolveOffset were 2 % of the processor's CPU).
    const assignment = this.#assignment.signal;
    const current = () => isRunning() && !isStale() && !assignment.aborted && !this.#closed;
    if (!current()) return;
    let from = expected === null ? null : BigInt(this.#positions.get(stream) ?? expected);
    let resolved: string | null = null;
    for (const m of batch.messages) {
      if (from !== null) {
        if (BigInt(m.offset) < from) {
          this.stats.droppedBeforeSeek++;
          continue;
        }
        from = null; // offsets ascend: the rest follow
      }
      const out = decodeOrQuarantine(
        this.#decoder,
        { topic: batch.topic, partition: batch.partition, offset: m.offset, key: m.key, value: m.value },
        this.#clock,
      );
      this.stats.messages++;
      const next = (BigInt(m.offset) + 1n).toString();
      if (out.record) this.#buffer.push({ stream, next, item: { record: out.record } });
      else {
        this.stats.quarantined++;
        this.#buffer.push({ stream, next, item: { quarantine: out.quarantine } });
      }
      this.#positions.set(stream, next);
      resolved = m.offset;
      this.#wake?.();
      if (this.#buffer.length >= this.#readAhead) {
        resolveOffset(resolved);
        while (this.#buffer.length >= this.#readAhead && current()) {
          await heartbeat();
          await this.#waitForRoom();
        }
        if (!current()) return;
      }
    }
    if (resolved !== null) resolveOffset(resolved);
    await heartbeat();
  }

  /**
   * Starts the consumer, or restarts it after a failure or when new topics appeared; false when it did not
   * run yet (call again).
   */
  async #ensureRunning(signal?: AbortSignal): Promise<boolean> {
    if (this.#closed) throw new Error("Cannot read Kafka source: it is closed");
    signal?.throwIfAborted();
    if (this.#failure !== null) await this.#restart(signal);
    if (this.#consumer === null) {
      try {
        await this.#start();
        this.#backoff.reset();
      } catch (e) {
        await this.#stop();
        this.#failure = e as Error;
        return false;
      }
    }
    let appeared: boolean;
    try {
      appeared = await this.#newTopicAppeared();
    } catch (e) {
      this.#failure = e as Error;
      return false;
    }
    if (appeared) {
      // Resubscribe: what is buffered now is fetched again by the new consumer (or the partition's new owner).
      this.stats.newTopicRestarts++;
      await this.#stop();
      this.#buffer = [];
      this.#positions = this.#resumePositions();
      return false;
    }
    return true;
  }

  /**
   * Keeps this member in its group for `ms` without handing out records (a member waiting for partitions):
   * starts the consumer, restarts it after failures, resubscribes when new topics appear.
   */
  async keepAlive(ms: number, signal?: AbortSignal): Promise<void> {
    const deadline = performance.now() + ms;
    while (!await this.#ensureRunning(signal) && performance.now() < deadline) {
      // Failed starts back off inside #restart.
    }
    const left = deadline - performance.now();
    if (left > 0) await sleep(left, signal);
  }

  /**
   * Makes reading resume at `from` (and at the earliest offset, or the group's, for partitions it leaves out),
   * forgetting what was handed out so far: for a caller that takes over its partitions again after having
   * lost them.
   */
  resumeFrom(from: SourceCheckpoint | null): void {
    for (const stream of Object.keys(from ?? {})) parseStream(stream);
    // Positions settled (or being settled) for the old starting point are void: the next batch settles again.
    this.#newAssignment();
    this.#from = from ?? {};
    this.#handedOut.clear();
    this.#buffer = [];
    this.#settled.clear();
    this.#positions = this.#resumePositions();
  }

  async next(options: NextOptions = {}): Promise<SourceBatch> {
    const max = options.maxRecords ?? 10_000;
    this.#readAhead = Math.max(this.#readAhead, Math.min(2 * max, this.#maxBuffered));
    const deadline = performance.now() + (options.maxWaitMs ?? 1000);
    for (;;) {
      if (!await this.#ensureRunning(options.signal)) continue;
      if (this.#buffer.length > 0) return this.#take(max);
      const left = deadline - performance.now();
      if (left <= 0) return { records: [], quarantined: [], checkpoint: {} };
      // The topic check above awaited: an abort in the meantime must not wait the whole `left`.
      options.signal?.throwIfAborted();
      await this.#waitForData(left, options.signal);
    }
  }

  /** Until records are taken (or a second passed: the caller heartbeats and checks whether it still runs). */
  #waitForRoom(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, 1000);
      this.#room = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  #waitForData(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", abort);
        this.#wake = null;
        resolve();
      };
      const abort = () => {
        clearTimeout(timer);
        this.#wake = null;
        reject(signal!.reason);
      };
      const timer = setTimeout(done, ms);
      this.#wake = done;
      signal?.addEventListener("abort", abort, { once: true });
    });
  }

  async #restart(signal?: AbortSignal): Promise<void> {
    const cause = this.#failure;
    this.#failure = null;
    await this.#stop();
    if (this.#backoff.attempts + 1 >= (this.#options.maxAttempts ?? 20)) {
      throw new Error(`Cannot read Kafka after ${this.#backoff.attempts + 1} attempts: ${cause?.message}`, {
        cause,
      });
    }
    this.stats.restarts++;
    // Resume from what was handed out: what is buffered is read again.
    this.#buffer = [];
    this.#positions = this.#resumePositions();
    await sleep(this.#backoff.next(), signal);
  }

  /** Positions after the records handed out so far (what a restart resumes from). */
  #handedOut = new Map<string, string>();

  #resumePositions(): Map<string, string> {
    return new Map([...Object.entries(this.#from), ...this.#handedOut]);
  }

  #take(max: number): SourceBatch {
    const items = this.#buffer.splice(0, max);
    const room = this.#room;
    this.#room = null;
    room?.();
    const streams: string[] = [];
    const batch: SourceBatch = { records: [], quarantined: [], checkpoint: {}, streams };
    for (const b of items) {
      if ("record" in b.item) {
        batch.records.push(b.item.record);
        streams.push(b.stream);
      } else batch.quarantined.push(b.item.quarantine);
      batch.checkpoint[b.stream] = b.next;
      this.#handedOut.set(b.stream, b.next);
    }
    return batch;
  }

  async commit(checkpoint: SourceCheckpoint): Promise<void> {
    const consumer = this.#consumer;
    if (consumer === null) return;
    const offsets = Object.entries(checkpoint)
      .filter(([s]) => this.#assigned.has(s))
      .map(([s, offset]) => ({ ...parseStream(s), offset }));
    if (offsets.length === 0) return;
    try {
      await consumer.commitOffsets(offsets);
    } catch (e) {
      // Kafka's offsets are for monitoring: the caller's checkpoint already holds the truth. Counted, not thrown.
      this.stats.commitErrors++;
      this.stats.lastCommitError = (e as Error).message;
    }
  }

  async #stop(): Promise<void> {
    const c = this.#consumer;
    this.#consumer = null;
    // Before disconnecting: kafkajs' disconnect waits for a batch handler that may be waiting for the caller.
    this.#newAssignment();
    this.#assigned.clear();
    this.#settled.clear();
    if (c !== null) {
      try {
        await c.disconnect();
      } catch {
        // A consumer that failed may not disconnect cleanly; it is dropped either way.
      }
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#wake?.();
    await this.#stop();
    const admin = this.#admin;
    this.#admin = null;
    await (await admin?.catch(() => null))?.disconnect();
  }
}
