import assert from "node:assert/strict";
import { loadStackConfig } from "./config.ts";

const envOf = (vars: Record<string, string>) => (name: string) => vars[name];

Deno.test("loadStackConfig() uses the default ports when no variable is set", () => {
  const c = loadStackConfig(envOf({ HOME: "/home/u" }));
  assert.deepEqual(c.ports, {
    kafka: 19092,
    kafkaController: 19093,
    connect: 18083,
    postgres: 15432,
    minio: 19000,
    minioConsole: 19001,
  });
  assert.equal(c.host, "127.0.0.1");
  assert.equal(c.cacheDir, "/home/u/.cache/lakestream");
  assert.match(c.stackDir, /\/\.stack$/);
  assert.equal(c.minioBucket, "datalake");
  assert.equal(c.postgresDatabase, "lakestream");
});

Deno.test("loadStackConfig() takes ports and folders from LAKESTREAM_* variables", () => {
  const c = loadStackConfig(envOf({
    LAKESTREAM_KAFKA_PORT: "29092",
    LAKESTREAM_PG_PORT: "25432",
    LAKESTREAM_STACK_DIR: "/tmp/s",
    LAKESTREAM_CACHE_DIR: "/tmp/c",
  }));
  assert.equal(c.ports.kafka, 29092);
  assert.equal(c.ports.postgres, 25432);
  assert.equal(c.stackDir, "/tmp/s");
  assert.equal(c.cacheDir, "/tmp/c");
});

Deno.test("loadStackConfig() throws RangeError naming the variable when a port is invalid", () => {
  assert.throws(() => loadStackConfig(envOf({ HOME: "/h", LAKESTREAM_MINIO_PORT: "70000" })), {
    name: "RangeError",
    message: 'Invalid LAKESTREAM_MINIO_PORT "70000": expected a port number 1-65535',
  });
  assert.throws(() => loadStackConfig(envOf({ HOME: "/h", LAKESTREAM_MINIO_PORT: "9x" })), RangeError);
});

Deno.test("loadStackConfig() throws RangeError when two services would share a port", () => {
  assert.throws(
    () => loadStackConfig(envOf({ HOME: "/h", LAKESTREAM_CONNECT_PORT: "15432" })),
    /port 15432 for both connect and postgres/,
  );
});
