import assert from "node:assert/strict";
import { postgresConnector, sqlServerConnector } from "./connector.ts";

const source = { host: "127.0.0.1", port: 15432, user: "postgres", password: "pw", database: "lakestream" };

Deno.test("postgresConnector() captures every catalog table with pgoutput, JSON with schemas and low latency", () => {
  const { name, config } = postgresConnector(source);
  assert.equal(name, "lakestream-postgres");
  assert.equal(config["connector.class"], "io.debezium.connector.postgresql.PostgresConnector");
  assert.equal(config["plugin.name"], "pgoutput");
  assert.equal(config["topic.prefix"], "lakestream");
  assert.equal(config["slot.name"], "lakestream");
  assert.equal(config["publication.name"], "lakestream");
  assert.equal(config["publication.autocreate.mode"], "disabled");
  assert.equal(config["decimal.handling.mode"], "precise");
  assert.equal(config["poll.interval.ms"], "100");
  assert.equal(config["value.converter.schemas.enable"], "true");
  assert.equal(config["database.port"], "15432");
  const tables = config["table.include.list"].split(",");
  assert.equal(tables.length, 15);
  assert.ok(tables.includes("public.orderitems") && tables.includes("public.customers"));
  assert.ok(Object.values(config).every((v) => typeof v === "string"));
});

Deno.test("sqlServerConnector() keeps the original's names: sqlserver-connector, topic prefix server_docker", () => {
  const { name, config } = sqlServerConnector({ ...source, port: 1433, database: "testdb" }, {
    kafkaBootstrap: "kafka:29092",
  });
  assert.equal(name, "sqlserver-connector");
  assert.equal(config["topic.prefix"], "server_docker");
  assert.equal(config["database.names"], "testdb");
  assert.equal(config["schema.history.internal.kafka.topic"], "schemahistory.server_docker");
  assert.equal(config["schema.history.internal.kafka.bootstrap.servers"], "kafka:29092");
  assert.ok(config["table.include.list"].split(",").includes("dbo.OrderItems"));
});

Deno.test("connector names can be overridden for isolated runs", () => {
  const { name, config } = postgresConnector(source, {
    name: "it-1",
    topicPrefix: "it_1",
    slot: "s1",
    publication: "p1",
  });
  assert.deepEqual([name, config["topic.prefix"], config["slot.name"], config["publication.name"]], [
    "it-1",
    "it_1",
    "s1",
    "p1",
  ]);
});
