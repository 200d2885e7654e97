/**
 * The Kafka source while its caller has not yet said where assigned partitions resume (`onAssign` pending, as
 * a sharded job's consumer waits for its run to open), on the real broker of the local stack: stopping the
 * consumer then (to resubscribe to a new topic, or to close) must not wait for the caller. kafkajs' disconnect
 * waits for the batch handler, and a handler waiting for the caller kept heartbeating: the member stayed in the
 * group holding partitions nobody read, and the caller, waiting on the stop, never answered (a deadlock).
 */
import assert from "node:assert/strict";
import { KafkaSource } from "../../pipeline/cdc/source/kafka_source.ts";
import type { SourceCheckpoint } from "../../pipeline/cdc/source/change_source.ts";
import { brokers, createTopic, kafkaScene, produceCustomers } from "./cdc_kafka_fixture.ts";

/** Resolves with `p`'s value, or rejects naming `what` after `ms`. */
async function within<T>(what: string, p: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** A gate the caller opens later: `onAssign` waits on it, aborted when the member's assignment is over. */
function gatedSource(prefix: string) {
  let open!: () => void;
  const opened = new Promise<void>((r) => open = r);
  const asked: string[][] = [];
  const aborted: string[][] = [];
  const source = new KafkaSource({
    brokers: brokers(),
    groupId: `${prefix}-g`,
    topicPrefix: prefix,
    topicRefreshMs: 0,
    sessionTimeoutMs: 6000,
    onAssign: async (partitions, signal): Promise<SourceCheckpoint> => {
      asked.push(partitions);
      await new Promise<void>((resolve, reject) => {
        opened.then(resolve);
        signal.addEventListener("abort", () => {
          aborted.push(partitions);
          reject(signal.reason);
        }, { once: true });
      });
      return {};
    },
  });
  return { source, open, asked, aborted };
}

/** Keeps the member alive until the group asked it where its partitions resume. */
async function untilAsked(source: KafkaSource, asked: string[][]): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (asked.length === 0) {
    assert.ok(Date.now() < deadline, "the group assigned nothing within 60 s");
    await source.keepAlive(250);
  }
}

Deno.test("KafkaSource closes while onAssign waits for its caller, and aborts that wait", async () => {
  const { kafka, prefix, producer, dispose } = await kafkaScene("gate-close");
  await createTopic(kafka, prefix, 1);
  const { source, asked, aborted } = gatedSource(prefix);
  try {
    await produceCustomers(producer, prefix, [1, 2, 3]);
    await untilAsked(source, asked);
    await within("close() with onAssign pending", source.close(), 15_000);
    assert.deepEqual(aborted, asked, "the pending onAssign was aborted");
  } finally {
    await source.close();
    await dispose();
  }
});

Deno.test("KafkaSource resubscribes to a new topic while onAssign waits for its caller, then reads both", async () => {
  const { kafka, prefix, producer, dispose } = await kafkaScene("gate-topic");
  const topic = await createTopic(kafka, prefix, 1);
  const { source, open, asked } = gatedSource(prefix);
  const admin = kafka.admin();
  await admin.connect();
  try {
    await produceCustomers(producer, prefix, [1, 2, 3]);
    await untilAsked(source, asked);
    // A new topic with the prefix (Debezium creating a table's topic): the member restarts to subscribe to it.
    await admin.createTopics({
      topics: [{ topic: `${topic}_late`, numPartitions: 1, replicationFactor: 1 }],
      waitForLeaders: true,
    });
    await within("keepAlive() across the restart", source.keepAlive(250), 15_000);
    assert.equal(source.stats.newTopicRestarts, 1);
    // Only now does the caller answer (its run opened): the partition is read from its earliest offset.
    open();
    const ids: number[] = [];
    const deadline = Date.now() + 60_000;
    while (ids.length < 3) {
      assert.ok(Date.now() < deadline, `only ${ids.length} of 3 records after the restart`);
      const b = await source.next({ maxWaitMs: 500 });
      for (const r of b.records) if (r.kind === "change") ids.push(Number(r.event.key.customer_id));
    }
    assert.deepEqual(ids, [1, 2, 3]);
  } finally {
    await admin.disconnect();
    await source.close();
    await dispose();
  }
});
