import assert from "node:assert/strict";
import {
  checkConditionalPut,
  checkConnectHealth,
  checkConnectorPlugins,
  checkKafkaMetadata,
  checkWalLevel,
} from "./health.ts";

const PLUGINS = [
  { class: "io.debezium.connector.postgresql.PostgresConnector", type: "source", version: "3.2.3.Final" },
  { class: "io.debezium.connector.sqlserver.SqlServerConnector", type: "source", version: "3.2.3.Final" },
  { class: "org.apache.kafka.connect.mirror.MirrorSourceConnector", type: "source", version: "3.9.1" },
];

Deno.test("checkConnectorPlugins() lists both Debezium connectors with their versions", () => {
  assert.equal(
    checkConnectorPlugins(PLUGINS),
    "PostgresConnector 3.2.3.Final, SqlServerConnector 3.2.3.Final",
  );
});

Deno.test("checkConnectorPlugins() names the missing connector and what was listed", () => {
  assert.throws(
    () => checkConnectorPlugins(PLUGINS.slice(1)),
    /lacks io\.debezium\.connector\.postgresql\.PostgresConnector \(listed: io\.debezium/,
  );
  assert.throws(() => checkConnectorPlugins({ error_code: 500 }), /not return a JSON array/);
});

Deno.test("checkConnectHealth() accepts only 200 with status healthy", () => {
  checkConnectHealth(200, { status: "healthy", message: "ok" });
  assert.throws(
    () => checkConnectHealth(503, { status: "starting", message: "Worker is still starting up." }),
    /answered 503: Worker is still starting up\./,
  );
});

Deno.test("checkWalLevel() requires logical", () => {
  assert.equal(checkWalLevel("logical", "15.18"), "PostgreSQL 15.18, wal_level=logical");
  assert.throws(() => checkWalLevel("replica", "15.18"), /returned "replica", expected "logical"/);
});

Deno.test("checkConditionalPut() requires 200 then 412", () => {
  assert.equal(checkConditionalPut(200, 412), "conditional put 200 then 412");
  assert.throws(() => checkConditionalPut(200, 200), /answered 200, expected 412/);
  assert.throws(() => checkConditionalPut(403, 412), /first conditional PutObject answered 403/);
});

Deno.test("checkKafkaMetadata() counts brokers and non-internal topics", () => {
  const meta = {
    clusterId: "abc",
    controllerId: 1,
    brokers: [{ nodeId: 1, host: "127.0.0.1", port: 19092 }],
    topics: [
      { name: "__consumer_offsets", errorCode: 0, internal: true, partitions: 5 },
      { name: "orders", errorCode: 0, internal: false, partitions: 1 },
    ],
  };
  assert.equal(checkKafkaMetadata(meta), "cluster abc, 1 broker, 1 topics");
  assert.throws(() => checkKafkaMetadata({ ...meta, brokers: [] }), /no broker/);
});
