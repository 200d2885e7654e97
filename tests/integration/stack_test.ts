/**
 * The local stack (`deno task stack up`) against its promises: each service answers real client calls.
 * Fails, never skips, when the stack is not running.
 */
import assert from "node:assert/strict";
import {
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { Kafka, logLevel } from "kafkajs";
import pg from "pg";
import { stackEnv } from "../../scripts/stack/env.ts";
import { findPostgresBin } from "../../scripts/stack/install.ts";
import { prepareCluster } from "../../scripts/stack/postgres_cluster.ts";

const REPO = new URL("../../", import.meta.url).pathname;

Deno.test("stack: Kafka serves metadata and a produce/consume round trip", async () => {
  const { kafka } = stackEnv({ services: ["kafka"] });
  const client = new Kafka({ clientId: "stack-test", brokers: kafka.brokers, logLevel: logLevel.NOTHING });
  const admin = client.admin();
  const producer = client.producer();
  const consumer = client.consumer({ groupId: `stack-test-${crypto.randomUUID()}` });
  const topic = `stack-test-${crypto.randomUUID()}`;
  await admin.connect();
  try {
    const cluster = await admin.describeCluster();
    assert.equal(cluster.brokers.length, 1);
    assert.equal(`${cluster.brokers[0].host}:${cluster.brokers[0].port}`, kafka.brokers[0]);
    assert.ok(cluster.clusterId);

    assert.equal(
      await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true }),
      true,
    );
    assert.ok((await admin.listTopics()).includes(topic));

    await producer.connect();
    const sent = [1, 2, 3].map((i) => ({ key: `k${i}`, value: JSON.stringify({ i, amount: "12.30" }) }));
    await producer.send({ topic, acks: -1, messages: sent });

    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received: { key: string; value: string; offset: string }[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`Received ${received.length} of 3 messages in 30 s`)),
        30_000,
      );
      consumer.run({
        eachMessage: ({ message }) => {
          received.push({ key: String(message.key), value: String(message.value), offset: message.offset });
          if (received.length === sent.length) {
            clearTimeout(timer);
            resolve();
          }
          return Promise.resolve();
        },
      }).catch(reject);
    });
    assert.deepEqual(received.map((m) => ({ key: m.key, value: m.value })), sent);
    assert.deepEqual(received.map((m) => m.offset), ["0", "1", "2"]);
  } finally {
    await consumer.disconnect();
    await producer.disconnect();
    await admin.deleteTopics({ topics: [topic] }).catch((e) => {
      // The round trip's result matters more than the cleanup; say why the topic stays.
      console.error(`Cannot delete test topic ${topic}: ${e.message}`);
    });
    await admin.disconnect();
  }
});

Deno.test("stack: Kafka Connect lists the Debezium PostgreSQL and SQL Server connectors", async () => {
  const { connect } = stackEnv({ services: ["connect"] });
  const res = await fetch(`${connect.url}/connector-plugins`);
  assert.equal(res.status, 200);
  const classes = (await res.json() as { class: string; version: string }[]).map((p) => p.class);
  assert.ok(classes.includes("io.debezium.connector.postgresql.PostgresConnector"), classes.join(", "));
  assert.ok(classes.includes("io.debezium.connector.sqlserver.SqlServerConnector"), classes.join(", "));
});

Deno.test("stack: the Debezium PostgreSQL connector validates a pgoutput config against the stack's database", async () => {
  const { connect, postgres } = stackEnv({ services: ["connect", "postgres"] });
  const res = await fetch(`${connect.url}/connector-plugins/PostgresConnector/config/validate`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      "name": "stack-test-validate",
      "connector.class": "io.debezium.connector.postgresql.PostgresConnector",
      "plugin.name": "pgoutput",
      "topic.prefix": "stacktest",
      "database.hostname": postgres.host,
      "database.port": String(postgres.port),
      "database.user": postgres.user,
      "database.password": postgres.password,
      "database.dbname": postgres.database,
    }),
  });
  assert.equal(res.status, 200);
  const body = await res.json() as {
    error_count: number;
    configs: { value: { name: string; errors: string[] } }[];
  };
  const errors = body.configs.flatMap((c) => c.value.errors.map((e) => `${c.value.name}: ${e}`));
  assert.deepEqual(errors, []);
  assert.equal(body.error_count, 0);
});

Deno.test("stack: PostgreSQL runs with wal_level=logical and creates a pgoutput replication slot", async () => {
  const { postgres } = stackEnv({ services: ["postgres"] });
  const client = new pg.Client({ ...postgres });
  await client.connect();
  const slot = `stack_test_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  try {
    assert.equal((await client.query("SHOW wal_level")).rows[0].wal_level, "logical");
    assert.equal((await client.query("SELECT current_database() AS db")).rows[0].db, postgres.database);
    const created = await client.query(
      "SELECT slot_name FROM pg_create_logical_replication_slot($1, 'pgoutput')",
      [
        slot,
      ],
    );
    assert.equal(created.rows[0].slot_name, slot);
  } finally {
    await client.query(
      "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1",
      [
        slot,
      ],
    );
    await client.end();
  }
});

Deno.test("stack: MinIO answers 200 to a first conditional put and 412 to a second", async () => {
  const { minio } = stackEnv({ services: ["minio"] });
  const s3 = new S3Client({
    endpoint: minio.endpoint,
    region: minio.region,
    forcePathStyle: true,
    credentials: { accessKeyId: minio.accessKeyId, secretAccessKey: minio.secretAccessKey },
  });
  const key = `_stack_test/${crypto.randomUUID()}/00000000000000000000.json`;
  try {
    const first = await s3.send(
      new PutObjectCommand({ Bucket: minio.bucket, Key: key, Body: "first", IfNoneMatch: "*" }),
    );
    assert.equal(first.$metadata.httpStatusCode, 200);
    const second = await s3.send(
      new PutObjectCommand({ Bucket: minio.bucket, Key: key, Body: "second", IfNoneMatch: "*" }),
    ).then(() => null, (e) => e);
    assert.ok(second instanceof S3ServiceException, `expected a refusal, got ${second}`);
    assert.equal(second.$metadata.httpStatusCode, 412);
    const got = await s3.send(new GetObjectCommand({ Bucket: minio.bucket, Key: key }));
    assert.equal(await got.Body?.transformToString(), "first");
  } finally {
    await s3.send(new DeleteObjectCommand({ Bucket: minio.bucket, Key: key }));
    s3.destroy();
  }
});

Deno.test("stack: create_bucket.ts (compose's bucket one-shot) creates a bucket once and checks put-if-absent", async () => {
  const { minio } = stackEnv({ services: ["minio"] });
  const bucket = `stack-test-${crypto.randomUUID().slice(0, 8)}`;
  const run = async () => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", `${REPO}scripts/stack/create_bucket.ts`],
      env: {
        LAKESTREAM_S3_ENDPOINT: minio.endpoint,
        AWS_ACCESS_KEY_ID: minio.accessKeyId,
        AWS_SECRET_ACCESS_KEY: minio.secretAccessKey,
        AWS_REGION: minio.region,
        LAKESTREAM_BUCKET: bucket,
      },
      stdin: "null",
    }).output();
    return {
      code: out.code,
      text: new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr),
    };
  };
  const s3 = new S3Client({
    endpoint: minio.endpoint,
    region: minio.region,
    forcePathStyle: true,
    credentials: { accessKeyId: minio.accessKeyId, secretAccessKey: minio.secretAccessKey },
  });
  try {
    const first = await run();
    assert.equal(first.code, 0, first.text);
    assert.match(
      first.text,
      new RegExp(`^created bucket ${bucket}, conditional put 200 then 412 at ${minio.endpoint}`),
    );
    const second = await run();
    assert.equal(second.code, 0, second.text);
    assert.match(second.text, new RegExp(`^found bucket ${bucket}, conditional put 200 then 412`));
  } finally {
    // The probe removes its object, so the bucket is empty again.
    await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
    s3.destroy();
  }
});

Deno.test("stack: `status` reports every service healthy on its port and exits 0", async () => {
  const env = stackEnv();
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${REPO}scripts/stack/main.ts`, "status"],
    stdin: "null",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  assert.equal(out.code, 0, text + new TextDecoder().decode(out.stderr));
  const rows = Object.fromEntries(text.trim().split("\n").slice(1).map((l) => [l.split(/\s+/)[0], l]));
  assert.deepEqual(Object.keys(rows), ["kafka", "connect", "postgres", "minio"]);
  for (const row of Object.values(rows)) assert.match(row, /\s\d+\s+healthy: /);
  assert.ok(rows.kafka.includes(env.kafka.brokers[0]));
  assert.ok(rows.connect.includes(new URL(env.connect.url).host));
  assert.ok(rows.postgres.includes(`${env.postgres.host}:${env.postgres.port}`));
  assert.ok(rows.minio.includes(new URL(env.minio.endpoint).host));
  assert.match(rows.postgres, /wal_level=logical/);
  assert.match(rows.minio, /conditional put 200 then 412/);
  assert.match(rows.connect, /PostgresConnector .*SqlServerConnector/);
});

Deno.test("stack: prepareCluster() creates a cluster once, and outside .stack when the postgres user cannot reach it", async () => {
  const bin = await findPostgresBin();
  assert.ok(bin, "PostgreSQL is installed (deno task stack up installs it)");
  const root = await Deno.makeTempDir({ prefix: "lakestream-cluster-test-" });
  const options = { bin, user: "tester", password: "pw-for-test", logFile: `${root}/pg.log` };
  try {
    await Deno.chmod(root, 0o755);
    const reachable = await prepareCluster({ ...options, dir: `${root}/open/postgres` });
    assert.equal(reachable.dataDir, `${root}/open/postgres/data`);
    assert.equal(reachable.note, "created the cluster");
    assert.ok((await Deno.stat(`${reachable.dataDir}/PG_VERSION`)).isFile);
    assert.deepEqual((await Array.fromAsync(Deno.readDir(`${root}/open/postgres`))).map((e) => e.name), [
      "data",
    ]);
    assert.equal((await prepareCluster({ ...options, dir: `${root}/open/postgres` })).note, "");

    if (Deno.uid() === 0) {
      // A folder only root can enter stands for a checkout under /root.
      await Deno.mkdir(`${root}/closed`, { mode: 0o700 });
      const dir = `${root}/closed/postgres`;
      const moved = await prepareCluster({ ...options, dir });
      try {
        assert.match(moved.dataDir, /^\/.+\/lakestream-[0-9a-f]{8}\/data$/);
        assert.match(moved.note, /^created the cluster, data in .* \(the postgres user cannot reach /);
        assert.equal(await Deno.readLink(`${dir}/data`), moved.dataDir);
        assert.ok((await Deno.stat(`${dir}/data/PG_VERSION`)).isFile);
        const again = await prepareCluster({ ...options, dir });
        assert.equal(again.dataDir, moved.dataDir);
        assert.doesNotMatch(again.note, /created/);
        // A wiped stack directory means a fresh cluster, not the stale one with its old password.
        await Deno.remove(`${dir}/data`);
        assert.match((await prepareCluster({ ...options, dir })).note, /^created the cluster/);
      } finally {
        await Deno.remove(moved.dataDir.slice(0, moved.dataDir.lastIndexOf("/")), { recursive: true });
      }
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("stack: `up` names a service that crashes at start, shows its log and exits 1", async () => {
  // A private stack whose "java" prints a line and exits 3 (but formats storage fine), on free ports.
  const dir = await Deno.makeTempDir({ prefix: "lakestream-crash-test-" });
  const free = () => {
    const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    l.close();
    return String(l.addr.port);
  };
  try {
    await Deno.mkdir(`${dir}/jdk/bin`, { recursive: true });
    await Deno.writeTextFile(
      `${dir}/jdk/bin/java`,
      '#!/bin/sh\ncase "$*" in *StorageTool*) exit 0 ;; esac\necho "broker failing on purpose"\nexit 3\n',
      { mode: 0o755 },
    );
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", `${REPO}scripts/stack/main.ts`, "up", "kafka"],
      env: {
        JAVA_HOME: `${dir}/jdk`,
        LAKESTREAM_STACK_DIR: `${dir}/stack`,
        LAKESTREAM_KAFKA_PORT: free(),
        LAKESTREAM_KAFKA_CONTROLLER_PORT: free(),
      },
      stdin: "null",
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    assert.equal(out.code, 1, text);
    assert.match(
      text,
      new RegExp(`✘ kafka: exited with code 3 during startup; see ${dir}/stack/logs/kafka\\.log`),
    );
    assert.match(text, /broker failing on purpose/);
    await assert.rejects(Deno.stat(`${dir}/stack/run/kafka.pid`), Deno.errors.NotFound);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("stack: Debezium captures a PostgreSQL insert through pgoutput into Kafka", async () => {
  const { kafka, connect, postgres } = stackEnv();
  const id = crypto.randomUUID().replaceAll("-", "").slice(0, 10);
  const schema = `stacktest_${id}`;
  const name = `stack-test-${id}`;
  const prefix = `stacktest${id}`;
  const topic = `${prefix}.${schema}.items`;
  const db = new pg.Client({ ...postgres });
  await db.connect();
  const client = new Kafka({ clientId: "stack-test", brokers: kafka.brokers, logLevel: logLevel.NOTHING });
  const consumer = client.consumer({ groupId: `stack-test-${id}` });
  const admin = client.admin();
  try {
    await db.query(`CREATE SCHEMA ${schema}`);
    await db.query(`CREATE TABLE ${schema}.items (id int PRIMARY KEY, price numeric(10,2) NOT NULL)`);
    await db.query(`INSERT INTO ${schema}.items VALUES (1, 2.99)`);
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    const put = await fetch(`${connect.url}/connectors/${name}/config`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        "connector.class": "io.debezium.connector.postgresql.PostgresConnector",
        "plugin.name": "pgoutput",
        "database.hostname": postgres.host,
        "database.port": String(postgres.port),
        "database.user": postgres.user,
        "database.password": postgres.password,
        "database.dbname": postgres.database,
        "topic.prefix": prefix,
        "table.include.list": `${schema}.items`,
        "slot.name": `slot_${id}`,
        "publication.name": `pub_${id}`,
        "publication.autocreate.mode": "filtered",
      }),
    });
    assert.ok(
      put.status === 201 || put.status === 200,
      `PUT config answered ${put.status}: ${await put.text()}`,
    );

    await consumer.connect();
    const events: { op: string; id: number; price: string }[] = [];
    // kafkajs resolves a subscription when it is made, so the topic must exist before Debezium writes to it.
    await consumer.subscribe({ topic, fromBeginning: true });
    const done = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`Debezium delivered ${JSON.stringify(events)} within 90 s`)),
        90_000,
      );
      consumer.run({
        eachMessage: ({ topic: t, message }) => {
          if (t !== topic || message.value === null) return Promise.resolve();
          const { payload } = JSON.parse(String(message.value));
          // price is numeric(10,2): Debezium sends the unscaled value in base64 with the scale in the schema.
          const unscaled = BigInt(
            `0x${
              [...atob(payload.after.price)].map((c) => c.charCodeAt(0).toString(16).padStart(2, "0")).join(
                "",
              )
            }`,
          );
          events.push({ op: payload.op, id: payload.after.id, price: (Number(unscaled) / 100).toFixed(2) });
          if (events.some((e) => e.op === "c")) {
            clearTimeout(timer);
            resolve();
          }
          return Promise.resolve();
        },
      }).catch(reject);
    });
    // Wait until the connector's task runs (the snapshot is then under way), then change the table.
    const deadline = Date.now() + 60_000;
    while (true) {
      const status = await (await fetch(`${connect.url}/connectors/${name}/status`)).json();
      if (status.tasks?.[0]?.state === "RUNNING") break;
      assert.notEqual(status.tasks?.[0]?.state, "FAILED", status.tasks?.[0]?.trace);
      assert.ok(Date.now() < deadline, `connector not RUNNING after 60 s: ${JSON.stringify(status)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    await db.query(`INSERT INTO ${schema}.items VALUES (2, 20000.00)`);
    await done;
    assert.deepEqual(events, [{ op: "r", id: 1, price: "2.99" }, { op: "c", id: 2, price: "20000.00" }]);
  } finally {
    await consumer.disconnect();
    await fetch(`${connect.url}/connectors/${name}`, { method: "DELETE" }).then((r) => r.body?.cancel());
    // The slot stays active until the task has let go of it.
    for (let i = 0; i < 40; i++) {
      const slot = await db.query("SELECT active FROM pg_replication_slots WHERE slot_name = $1", [
        `slot_${id}`,
      ]);
      if (slot.rowCount === 0) break;
      if (!slot.rows[0].active) {
        await db.query("SELECT pg_drop_replication_slot($1)", [`slot_${id}`]);
        break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    await db.query(`DROP PUBLICATION IF EXISTS pub_${id}`);
    await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await db.end();
    await admin.deleteTopics({ topics: [topic] });
    await admin.disconnect();
  }
});
