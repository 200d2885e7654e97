/**
 * Putting the benchmark's {@linkcode LoadStream} into Kafka: topics (one partition each, as Debezium creates
 * them), pre-produced backlogs for throughput runs, and an open-loop producer at a fixed arrival rate for
 * latency runs (each action is stamped with its *scheduled* time, so a producer or broker that falls behind
 * shows up as latency instead of slowing the arrivals: no coordinated omission).
 *
 * @module
 */
import { CompressionTypes, Kafka, logLevel, type Message, type Producer } from "kafkajs";
import { loadTopics } from "./commerce_load.ts";
import type { LoadStream, StreamMessage } from "./load_stream.ts";

/** A Kafka client for the benchmark. */
export function benchKafka(brokers: string[]): Kafka {
  return new Kafka({ clientId: "lakestream-bench", brokers, logLevel: logLevel.NOTHING });
}

/** Creates the 15 topics of `prefix` with one partition each. */
export async function createLoadTopics(kafka: Kafka, prefix: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      topics: loadTopics(prefix).map((topic) => ({ topic, numPartitions: 1, replicationFactor: 1 })),
      waitForLeaders: true,
    });
  } finally {
    await admin.disconnect();
  }
}

/** Deletes every topic whose name starts with `prefix.`. */
export async function deleteLoadTopics(kafka: Kafka, prefix: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(`${prefix}.`));
    if (topics.length > 0) await admin.deleteTopics({ topics });
  } finally {
    await admin.disconnect();
  }
}

/** Messages per request: a partition's record batch must stay under the broker's 1 MB message.max.bytes. */
const PER_REQUEST = 200;

/** Sends messages in order (grouped per topic in a request; order within a topic is kept). */
async function send(producer: Producer, messages: readonly StreamMessage[]): Promise<void> {
  for (let i = 0; i < messages.length; i += PER_REQUEST) {
    await sendOne(producer, messages.slice(i, i + PER_REQUEST));
  }
}

async function sendOne(producer: Producer, messages: readonly StreamMessage[]): Promise<void> {
  const byTopic = new Map<string, Message[]>();
  for (const m of messages) {
    let list = byTopic.get(m.topic);
    if (!list) byTopic.set(m.topic, list = []);
    list.push({ key: m.key, value: m.value });
  }
  await producer.sendBatch({
    topicMessages: [...byTopic].map(([topic, msgs]) => ({ topic, messages: msgs })),
    compression: CompressionTypes.None,
    acks: -1,
  });
}

/** A connected idempotent producer (one in-flight request, so per-partition order holds on retries). */
export async function loadProducer(kafka: Kafka): Promise<Producer> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  return producer;
}

/** What a produce run sent. */
export interface ProduceReport {
  /** Change events sent (tombstones not counted, duplicates counted). */
  events: number;
  /** All messages, tombstones included. */
  messages: number;
  bytes: number;
  elapsedMs: number;
}

/**
 * Pre-produces a backlog: `customers` customers as snapshot reads with the catalog, then actions until
 * `events` change events in all (duplicates included), all committed "now" (the time of producing).
 */
export async function preProduce(
  producer: Producer,
  stream: LoadStream,
  options: { customers: number; events: number; chunk?: number },
): Promise<ProduceReport> {
  const t0 = performance.now();
  const report: ProduceReport = { events: 0, messages: 0, bytes: 0, elapsedMs: 0 };
  const chunk = options.chunk ?? 5000;
  let pending: StreamMessage[] = [];
  const flush = async () => {
    for (const m of pending) report.bytes += m.key.length + (m.value?.length ?? 0);
    report.messages += pending.length;
    await send(producer, pending);
    pending = [];
  };
  pending = stream.catalog(Date.now());
  await flush();
  for (let left = options.customers; left > 0; left -= chunk) {
    pending = stream.customers(Math.min(chunk, left), Date.now());
    await flush();
  }
  while (stream.events < options.events) {
    pending.push(...stream.next(Date.now()));
    if (pending.length >= chunk) await flush();
  }
  pending.push(...stream.flush());
  await flush();
  report.events = stream.events;
  report.elapsedMs = performance.now() - t0;
  return report;
}

/** What an open-loop run did. */
export interface RateReport extends ProduceReport {
  /** Scheduled start of the first action, epoch ms. */
  startMs: number;
  /** How far sending fell behind its schedule at worst, ms. */
  maxLagMs: number;
}

/**
 * Produces actions at `rate` change events per second for `seconds`, open loop: action i is scheduled at
 * start + (events before it) / rate and carries that time (whole ms) as its commit time; a sender drains what is due
 * every `tickMs`.
 */
export async function produceAtRate(
  producer: Producer,
  stream: LoadStream,
  options: { rate: number; seconds: number; tickMs?: number; signal?: AbortSignal },
): Promise<RateReport> {
  const tick = options.tickMs ?? 10;
  const startMs = Date.now() + 50;
  const endMs = startMs + options.seconds * 1000;
  const first = stream.events;
  const report: RateReport = { events: 0, messages: 0, bytes: 0, elapsedMs: 0, startMs, maxLagMs: 0 };
  let scheduled = startMs;
  while (!options.signal?.aborted) {
    const now = Date.now();
    const due: StreamMessage[] = [];
    while (scheduled <= now && scheduled < endMs) {
      // Debezium's ts_ms is whole milliseconds (the decoder quarantines a fraction): at rates that do not divide
      // 1000 the schedule falls between them.
      due.push(...stream.next(Math.floor(scheduled)));
      scheduled = startMs + ((stream.events - first) * 1000) / options.rate;
    }
    if (due.length > 0) {
      report.maxLagMs = Math.max(report.maxLagMs, now - due[0].tsMs);
      for (const m of due) report.bytes += m.key.length + (m.value?.length ?? 0);
      report.messages += due.length;
      await send(producer, due);
    }
    if (scheduled >= endMs) break;
    await new Promise((r) => setTimeout(r, Math.max(0, Math.min(tick, scheduled - Date.now()))));
  }
  const rest = stream.flush();
  if (rest.length > 0) {
    report.messages += rest.length;
    await send(producer, rest);
  }
  report.events = stream.events - first;
  report.elapsedMs = Date.now() - startMs;
  return report;
}
