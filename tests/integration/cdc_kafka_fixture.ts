/**
 * Shared pieces of the Kafka source integration tests: unique topic names, topic creation and deletion, and
 * producing Debezium-format customer changes (as the PostgreSQL connector writes them) with kafkajs.
 *
 * @module
 */
import { Kafka, logLevel, type Producer } from "kafkajs";
import { stackEnv } from "../../scripts/stack/env.ts";
import {
  debeziumKey,
  debeziumMessage,
  type FixtureMessage,
  fixtureTopic,
} from "../../pipeline/cdc/debezium_fixture.ts";

/** The broker list of the running stack (throws a clear error when the stack is down). */
export function brokers(): string[] {
  return stackEnv({ services: ["kafka"] }).kafka.brokers;
}

/** A Kafka client for tests. */
export function kafkaClient(): Kafka {
  return new Kafka({ clientId: "cdc-test", brokers: brokers(), logLevel: logLevel.NOTHING });
}

/** A topic prefix no other test run uses. */
export function uniquePrefix(name: string): string {
  return `cdctest_${name}_${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}

/** The customers change with key `id`, as the PostgreSQL connector writes it under `prefix`. */
export function customerChange(prefix: string, id: number): FixtureMessage {
  return {
    connector: "postgresql",
    prefix,
    db: "lakestream",
    schema: "public",
    table: "customers",
    columns: [
      { name: "customerid", schema: { type: "int32", optional: false, default: 0 } },
      { name: "name", schema: { type: "string", optional: false } },
      {
        name: "createdat",
        schema: { type: "int64", optional: true, name: "io.debezium.time.MicroTimestamp", version: 1 },
      },
    ],
    keyColumns: ["customerid"],
    op: "c",
    before: null,
    after: {
      customerid: String(id),
      name: JSON.stringify(`Customer ${id}`),
      createdat: String(1700000000000000 + id),
    },
    tsMs: 1700000000000 + id,
    lsn: 1000 + id * 10,
    lastCommitLsn: 990 + id * 10,
    txId: 100 + id,
  };
}

/** A test's own corner of the broker: a fresh topic prefix and a connected producer. */
export interface KafkaScene {
  kafka: Kafka;
  prefix: string;
  producer: Producer;
  /** Disconnects the producer and deletes every topic of the prefix. */
  dispose(): Promise<void>;
}

/** A fresh prefix (named after `name`) with a connected producer; call `dispose()` in the test's finally. */
export async function kafkaScene(name: string): Promise<KafkaScene> {
  const kafka = kafkaClient();
  const prefix = uniquePrefix(name);
  const producer = kafka.producer();
  await producer.connect();
  return {
    kafka,
    prefix,
    producer,
    async dispose() {
      await producer.disconnect();
      await deleteTopics(kafka, prefix);
    },
  };
}

/** Creates the customers topic of `prefix` with `partitions` partitions; returns its name. */
export async function createTopic(kafka: Kafka, prefix: string, partitions: number): Promise<string> {
  const topic = fixtureTopic(customerChange(prefix, 0));
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }],
      waitForLeaders: true,
    });
  } finally {
    await admin.disconnect();
  }
  return topic;
}

/** Deletes every topic starting with `prefix`. */
export async function deleteTopics(kafka: Kafka, prefix: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics });
  } finally {
    await admin.disconnect();
  }
}

/** Produces the customer changes of `ids` (keyed, so each id stays in one partition). */
export async function produceCustomers(producer: Producer, prefix: string, ids: number[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 200) {
    const messages = ids.slice(i, i + 200).map((id) => ({
      key: debeziumKey(customerChange(prefix, id)),
      value: debeziumMessage(customerChange(prefix, id)),
    }));
    const topic = fixtureTopic(customerChange(prefix, 0));
    for (let attempt = 1;; attempt++) {
      try {
        await producer.send({ topic, messages });
        break;
      } catch (e) {
        // Right after creation a partition's leader may not be known to every client yet.
        if (attempt >= 30 || !/does not host this topic-partition|leader/i.test((e as Error).message)) {
          throw e;
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }
}
