import assert from "node:assert/strict";
import { brokerProperties, connectProperties, newClusterId, renderProperties } from "./kafka_config.ts";

Deno.test("renderProperties() escapes backslashes, line breaks, a leading space and separators in keys", () => {
  const text = renderProperties({ "a.b": "C:\\x\ny", "k=1 z": " lead", n: 5, t: true }, "header");
  assert.equal(text, "# header\na.b=C:\\\\x\\ny\nk\\=1\\ z=\\ lead\nn=5\nt=true\n");
});

Deno.test("brokerProperties() configures one KRaft node on the given host and ports", () => {
  const p = brokerProperties({
    host: "127.0.0.1",
    port: 19092,
    controllerPort: 19093,
    dataDir: "/s/kafka/data",
  });
  assert.equal(p["process.roles"], "broker,controller");
  assert.equal(p["controller.quorum.voters"], "1@127.0.0.1:19093");
  assert.equal(p["listeners"], "PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093");
  assert.equal(p["advertised.listeners"], "PLAINTEXT://127.0.0.1:19092");
  assert.equal(p["log.dirs"], "/s/kafka/data");
  assert.equal(p["offsets.topic.replication.factor"], 1);
  assert.equal(p["transaction.state.log.min.isr"], 1);
  assert.equal(p["group.initial.rebalance.delay.ms"], 0);
  assert.ok(!("zookeeper.connect" in p));
});

Deno.test("connectProperties() uses JsonConverter with schemas on and the plugin folder", () => {
  const p = connectProperties({
    host: "127.0.0.1",
    port: 18083,
    bootstrapServers: "127.0.0.1:19092",
    pluginPath: "/c/plugins",
  });
  assert.equal(p["value.converter"], "org.apache.kafka.connect.json.JsonConverter");
  assert.equal(p["key.converter.schemas.enable"], true);
  assert.equal(p["value.converter.schemas.enable"], true);
  assert.equal(p["listeners"], "http://127.0.0.1:18083");
  assert.equal(p["plugin.path"], "/c/plugins");
  assert.equal(p["bootstrap.servers"], "127.0.0.1:19092");
  assert.equal(p["scheduled.rebalance.max.delay.ms"], 0);
  for (const t of ["config", "offset", "status"]) assert.equal(p[`${t}.storage.replication.factor`], 1);
});

Deno.test("newClusterId() returns 16 bytes in URL-safe base64 as Kafka's StorageTool expects", () => {
  const id = newClusterId();
  assert.match(id, /^[A-Za-z0-9_-]{22}$/);
  const b64 = id.replaceAll("-", "+").replaceAll("_", "/") + "==";
  assert.equal(atob(b64).length, 16);
});
