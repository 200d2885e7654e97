/**
 * The Kafka source against the real broker of the local stack: the ChangeSource contract, several partitions,
 * a bad message, and a consumer killed with SIGKILL mid-stream that resumes from its checkpoint with nothing
 * skipped and nothing committed twice.
 */
import assert from "node:assert/strict";
import { changeSourceContract } from "../../pipeline/cdc/source/change_source_contract.ts";
import { mergeCheckpoints, type SourceCheckpoint } from "../../pipeline/cdc/source/change_source.ts";
import { KafkaSource } from "../../pipeline/cdc/source/kafka_source.ts";
import { brokers, createTopic, kafkaScene, produceCustomers } from "./cdc_kafka_fixture.ts";

changeSourceContract("KafkaSource", async () => {
  const { kafka, prefix, producer, dispose } = await kafkaScene("contract");
  await createTopic(kafka, prefix, 1);
  let id = 0;
  const groupId = `${prefix}-group`;
  return {
    async write(n: number) {
      const ids = Array.from({ length: n }, () => ++id);
      await produceCustomers(producer, prefix, ids);
      return ids;
    },
    open: (from) => new KafkaSource({ brokers: brokers(), groupId, topicPrefix: prefix, from }),
    dispose,
  };
});

Deno.test("KafkaSource reads every partition in order and quarantines a bad message without stopping", async () => {
  const { kafka, prefix, producer, dispose } = await kafkaScene("parts");
  const topic = await createTopic(kafka, prefix, 3);
  const source = new KafkaSource({ brokers: brokers(), groupId: `${prefix}-g`, topicPrefix: prefix });
  try {
    const ids = Array.from({ length: 300 }, (_, i) => i + 1);
    await produceCustomers(producer, prefix, ids.slice(0, 150));
    await producer.send({ topic, messages: [{ key: '{"customerid":999}', value: "{not json" }] });
    await produceCustomers(producer, prefix, ids.slice(150));
    const seen: number[] = [];
    const quarantined: string[] = [];
    let checkpoint: SourceCheckpoint = {};
    const deadline = Date.now() + 60_000;
    while (seen.length < 300 || quarantined.length < 1) {
      assert.ok(Date.now() < deadline, `only ${seen.length} of 300 arrived`);
      const b = await source.next({ maxRecords: 64, maxWaitMs: 500 });
      for (const r of b.records) if (r.kind === "change") seen.push(Number(r.event.key.customer_id));
      quarantined.push(...b.quarantined.map((q) => q.error));
      checkpoint = mergeCheckpoints(checkpoint, b.checkpoint);
      await source.commit(b.checkpoint);
    }
    assert.deepEqual([...seen].sort((a, b) => a - b), ids);
    assert.match(quarantined[0], /^SyntaxError/);
    assert.equal(Object.keys(checkpoint).length, 3, "a position per partition");
    assert.equal(
      Object.values(checkpoint).reduce((n, o) => n + Number(o), 0),
      301,
      "next offsets add up to every message read",
    );
    assert.equal(source.stats.commitErrors, 0, source.stats.lastCommitError ?? "");
  } finally {
    await source.close();
    await dispose();
  }
});

Deno.test("KafkaSource resumes after a SIGKILL mid-stream from the sink's checkpoint: nothing skipped or duplicated", async () => {
  const { kafka, prefix, producer, dispose } = await kafkaScene("kill");
  await createTopic(kafka, prefix, 3);
  const dir = await Deno.makeTempDir({ prefix: "cdc-kill-" });
  const sink = `${dir}/sink.json`;
  const child = new URL("./cdc_kafka_consumer_child.ts", import.meta.url).pathname;
  const spawn = (pauseMs: number) =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", child, brokers().join(","), prefix, `${prefix}-g`, sink, String(pauseMs)],
      stdout: "null",
      stderr: "piped",
    }).spawn();
  const committed = async (): Promise<number[]> => {
    try {
      return JSON.parse(await Deno.readTextFile(sink)).ids;
    } catch {
      return [];
    }
  };
  const waitFor = async (n: number, child: Deno.ChildProcess) => {
    const deadline = Date.now() + 90_000;
    while ((await committed()).length < n) {
      assert.ok(Date.now() < deadline, `the consumer committed only ${(await committed()).length} of ${n}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return child;
  };
  try {
    const all = Array.from({ length: 3000 }, (_, i) => i + 1);
    await produceCustomers(producer, prefix, all.slice(0, 2000));
    let proc = spawn(100);
    await waitFor(500, proc);
    proc.kill("SIGKILL");
    await proc.status;
    await proc.stderr.cancel();
    const atKill = (await committed()).length;
    assert.ok(atKill < 2000, `killed mid-stream (${atKill} committed)`);
    await produceCustomers(producer, prefix, all.slice(2000));
    proc = spawn(0);
    await waitFor(3000, proc);
    proc.kill("SIGTERM");
    await proc.status;
    await proc.stderr.cancel();
    const ids = await committed();
    assert.equal(ids.length, 3000, "exactly every message, none twice");
    assert.deepEqual([...ids].sort((a, b) => a - b), all);
  } finally {
    await dispose();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("KafkaSource stops fetching while maxBuffered records wait to be pulled", async () => {
  const { kafka, prefix, producer, dispose } = await kafkaScene("bp");
  await createTopic(kafka, prefix, 1);
  const source = new KafkaSource({
    brokers: brokers(),
    groupId: `${prefix}-g`,
    topicPrefix: prefix,
    maxBuffered: 100,
  });
  try {
    await produceCustomers(producer, prefix, Array.from({ length: 1000 }, (_, i) => i + 1));
    const first = await source.next({ maxRecords: 10, maxWaitMs: 10_000 });
    assert.equal(first.records.length, 10);
    await new Promise((r) => setTimeout(r, 1500)); // the fetch loop runs on while nobody pulls
    assert.ok(source.buffered <= 100, `${source.buffered} records buffered`);
    let total = first.records.length;
    while (total < 1000) total += (await source.next({ maxRecords: 500, maxWaitMs: 2000 })).records.length;
    assert.equal(total, 1000);
  } finally {
    await source.close();
    await dispose();
  }
});

Deno.test("KafkaSource reads ahead twice the largest batch asked for, so small first batches are not held up", async () => {
  const { kafka, prefix, producer, dispose } = await kafkaScene("ahead");
  await createTopic(kafka, prefix, 1);
  const source = new KafkaSource({ brokers: brokers(), groupId: `${prefix}-g`, topicPrefix: prefix });
  try {
    await produceCustomers(producer, prefix, Array.from({ length: 5000 }, (_, i) => i + 1));
    let total = (await source.next({ maxRecords: 10, maxWaitMs: 10_000 })).records.length;
    await new Promise((r) => setTimeout(r, 1500)); // the fetch loop runs on while nobody pulls
    assert.ok(
      source.buffered <= 500,
      `${source.buffered} records buffered after a batch of 10 (at least 500)`,
    );
    total += (await source.next({ maxRecords: 1000, maxWaitMs: 2000 })).records.length;
    await new Promise((r) => setTimeout(r, 1500));
    assert.ok(
      source.buffered > 500 && source.buffered <= 2000,
      `${source.buffered} records buffered after a batch of 1000`,
    );
    while (total < 5000) total += (await source.next({ maxRecords: 1000, maxWaitMs: 2000 })).records.length;
    assert.equal(total, 5000);
  } finally {
    await source.close();
    await dispose();
  }
});

Deno.test("KafkaSource reports rebalanced partitions to the caller and two members together skip nothing", async () => {
  const { kafka, prefix, producer, dispose } = await kafkaScene("rebal");
  await createTopic(kafka, prefix, 4);
  // The processor's side: one committed checkpoint and the ids it committed, shared by both members.
  let committed: SourceCheckpoint = {};
  const ids: number[] = [];
  const assignments: Record<string, string[][]> = { a: [], b: [] };
  const member = (name: string) =>
    new KafkaSource({
      brokers: brokers(),
      groupId: `${prefix}-g`,
      topicPrefix: prefix,
      onAssign: (partitions) => {
        assignments[name].push(partitions);
        return committed; // the caller fences and answers with its committed positions
      },
    });
  const pull = async (s: KafkaSource) => {
    const b = await s.next({ maxRecords: 50, maxWaitMs: 300 });
    for (const r of b.records) if (r.kind === "change") ids.push(Number(r.event.key.customer_id));
    committed = mergeCheckpoints(committed, b.checkpoint);
    await s.commit(b.checkpoint);
  };
  const a = member("a");
  const b = member("b");
  try {
    const all = Array.from({ length: 800 }, (_, i) => i + 1);
    await produceCustomers(producer, prefix, all.slice(0, 400));
    while (ids.length < 100) await pull(a);
    await produceCustomers(producer, prefix, all.slice(400));
    const deadline = Date.now() + 90_000;
    while (new Set(ids).size < 800) {
      assert.ok(Date.now() < deadline, `only ${new Set(ids).size} of 800 after the rebalance`);
      await pull(a);
      await pull(b);
    }
    assert.deepEqual([...new Set(ids)].sort((x, y) => x - y), all);
    assert.ok(assignments.b.flat().length > 0, "the new member was asked where its partitions resume");
    assert.ok(assignments.a.length >= 2, "the first member was asked again after the rebalance");
    assert.equal(new Set([...a.assigned, ...b.assigned]).size, 4, "every partition has an owner");
    assert.equal(a.assigned.filter((p) => b.assigned.includes(p)).length, 0, "and only one");
  } finally {
    await a.close();
    await b.close();
    await dispose();
  }
});

Deno.test("KafkaSource reads a topic with its prefix that was created after it started", async () => {
  const { kafka, prefix, producer, dispose } = await kafkaScene("late");
  const source = new KafkaSource({
    brokers: brokers(),
    groupId: `${prefix}-g`,
    topicPrefix: prefix,
    topicRefreshMs: 500,
  });
  try {
    assert.deepEqual((await source.next({ maxWaitMs: 300 })).records, []);
    await createTopic(kafka, prefix, 1);
    const ids = Array.from({ length: 20 }, (_, i) => i + 1);
    await produceCustomers(producer, prefix, ids);
    const seen: number[] = [];
    const deadline = Date.now() + 60_000;
    while (seen.length < ids.length) {
      assert.ok(Date.now() < deadline, `only ${seen.length} of ${ids.length} arrived`);
      const b = await source.next({ maxWaitMs: 500 });
      for (const r of b.records) if (r.kind === "change") seen.push(Number(r.event.key.customer_id));
    }
    assert.deepEqual(seen.sort((a, b) => a - b), ids);
    assert.ok(source.stats.newTopicRestarts >= 1);
  } finally {
    await source.close();
    await dispose();
  }
});

Deno.test("KafkaSource resumes from a checkpoint many fetches into a partition with a group that has no offsets", async () => {
  const { kafka, prefix, producer, dispose } = await kafkaScene("far");
  const topic = await createTopic(kafka, prefix, 1);
  // ~1 KB per message: the first fetch from offset 0 (1 MB per partition) ends long before offset 4900.
  const ids = Array.from({ length: 5000 }, (_, i) => i + 1);
  await produceCustomers(producer, prefix, ids);
  const source = new KafkaSource({
    brokers: brokers(),
    groupId: `${prefix}-fresh`,
    topicPrefix: prefix,
    from: { [`${topic}/0`]: "4900" },
  });
  try {
    const seen: number[] = [];
    const deadline = Date.now() + 60_000;
    while (seen.length < 100) {
      assert.ok(Date.now() < deadline, `only ${seen.length} of 100 arrived`);
      const b = await source.next({ maxWaitMs: 500 });
      for (const r of b.records) if (r.kind === "change") seen.push(Number(r.event.key.customer_id));
    }
    assert.deepEqual(seen, ids.slice(4900));
    assert.ok(source.stats.droppedBeforeSeek > 0, "it did fetch from the start first");
  } finally {
    await source.close();
    await dispose();
  }
});
