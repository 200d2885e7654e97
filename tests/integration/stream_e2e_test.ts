/**
 * End to end on the real stack: the faker writes a fixed, seeded mix of operations (new and changed customer
 * profiles, customer deletions, orders progressing, cancellations, returns, restocks, price changes) to
 * PostgreSQL → Debezium → Kafka → `runStream` with the Kafka source → a lake on MinIO. The processor runs
 * while the faker writes, and stops once it has committed every change event the source made. Then every
 * mirror equals its PostgreSQL table exactly, `customers_scd2` current rows equal the source customers and its
 * versions the tracked changes made to each customer, and every aggregate equals the operators' reference
 * function over the source tables.
 *
 * Runs in its own database, connector, slot, publication, topics, consumer group and lake prefix, and removes
 * them afterwards. Fails (never skips) when the stack is not up.
 */
import assert from "node:assert/strict";
import { runStream } from "../../pipeline/stream/run_stream.ts";
import { silentLogger } from "../../pipeline/stream/logger.ts";
import { openStreamRun } from "./_stream_e2e_fixture.ts";

const OPS = 2000;

Deno.test({
  name: "runStream() over PostgreSQL → Debezium → Kafka makes a MinIO lake that agrees with the source",
  // kafkajs leaves timers of its closed consumers behind for a moment.
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    await using run = await openStreamRun("stream_e2e");
    const lake = `${run.lakeRoot}/lake`;
    const stop = new AbortController();
    let events = 0;
    let batches = 0;
    let failed: unknown = null;
    const processor = runStream({
      source: {
        kind: "kafka",
        brokers: run.env.kafka.brokers,
        topicPrefix: run.name,
        groupId: `${run.name}-g`,
      },
      lake,
      s3: run.s3,
      job: "e2e",
      logger: silentLogger,
      // Small state intervals so the run also writes and prunes state snapshots while it goes.
      engine: { maxBatchMs: 200, stateEveryBatches: 10 },
      onBatch: (info) => {
        events += info.events;
        batches++;
      },
    }, stop.signal).catch((e) => {
      failed = e;
      throw e;
    });
    try {
      const faker = await run.fake({ ops: OPS, seed: 11, rate: 150 });
      assert.ok((faker.report.byKind.deleteCustomer ?? 0) > 0, "customer deletions");
      assert.ok((faker.report.byKind.updateCustomer ?? 0) > 0, "profile changes");
      assert.ok((faker.report.byKind.cancelOrder ?? 0) > 0, "cancellations");
      assert.ok((faker.report.byKind.returnOrder ?? 0) > 0, "returns");
      assert.ok((faker.report.byKind.deliverOrder ?? 0) > 0, "order progressions");
      await run.waitForEvents(faker.events);
      const deadline = Date.now() + 180_000;
      while (events < faker.events && failed === null) {
        assert.ok(
          Date.now() < deadline,
          `the processor committed ${events} of ${faker.events} events in time`,
        );
        await new Promise((r) => setTimeout(r, 250));
      }
      // Anything extra (a duplicate commit) would show up within a few batches.
      await new Promise((r) => setTimeout(r, 2000));
      stop.abort();
      const report = await processor;
      assert.equal(report.restarts, 0);
      assert.equal(events, faker.events, "change events committed = change events the source made");
      const agreement = await run.assertLakeAgrees(lake, faker);
      console.log(
        `${faker.report.operations} operations, ${faker.events} change events in ${batches} batches; compared ` +
          `${agreement.mirrorRows} mirror rows, ${agreement.customers} customers with ${agreement.versions} ` +
          `versions, ${agreement.aggregateRows} aggregate rows`,
      );
    } finally {
      stop.abort();
      await processor.catch(() => undefined);
    }
  },
});
