import assert from "node:assert/strict";
import { Backoff } from "./backoff.ts";
import { KafkaSource } from "./kafka_source.ts";

// The Kafka source's work with a real broker is tested in tests/integration/cdc_kafka_source_test.ts.

Deno.test("KafkaSource restarts its consumer with backoff and gives up with the cause after maxAttempts", async () => {
  const source = new KafkaSource({
    brokers: ["127.0.0.1:1"], // nothing listens on port 1: every connection is refused at once
    groupId: "unreachable",
    topicPrefix: "nowhere",
    retries: 0,
    backoff: new Backoff({ initialMs: 1, maxMs: 5 }),
    maxAttempts: 3,
  });
  try {
    await assert.rejects(
      source.next({ maxWaitMs: 60_000 }),
      /^Error: Cannot read Kafka after 3 attempts: .*(ECONNREFUSED|Connection)/,
    );
    assert.equal(source.stats.restarts, 2);
  } finally {
    await source.close();
  }
});

Deno.test("KafkaSource rejects a checkpoint stream that is not <topic>/<partition>", () => {
  assert.throws(
    () =>
      new KafkaSource({
        brokers: ["127.0.0.1:1"],
        groupId: "g",
        topicPrefix: "p",
        from: { "no-partition": "5" },
      }),
    /Cannot read Kafka checkpoint stream "no-partition"/,
  );
});
