import assert from "node:assert/strict";
import { parseStreamArgs, s3Settings, type StreamCliConfig, UsageError } from "./stream_config.ts";

const env = (vars: Record<string, string> = {}) => ({ get: (k: string) => vars[k] });
const parse = (args: string[], vars: Record<string, string> = {}) =>
  parseStreamArgs(args, env(vars)) as StreamCliConfig;

Deno.test("parseStreamArgs() defaults to the SQLite source, ./data/lake and job lakestream", () => {
  const c = parse([]);
  assert.deepEqual(c.options.source, { kind: "sqlite", path: undefined, start: "snapshot" });
  assert.equal(c.options.lake, "./data/lake");
  assert.equal(c.options.job, "lakestream");
  assert.equal(c.options.onFenced, "exit");
  assert.equal(c.logFormat, "text");
  assert.equal(c.status, undefined);
  assert.equal(c.options.exitWhenIdleSeconds, undefined);
});

Deno.test("parseStreamArgs() reads flags before environment variables", () => {
  const c = parse(
    [
      "--source",
      "kafka",
      "--exit-when-idle",
      "2.5",
      "--max-batch-ms",
      "50",
      "--log-format",
      "json",
      "--topic-prefix",
      "p",
    ],
    {
      LAKESTREAM_KAFKA_BOOTSTRAP: "a:1, b:2",
      LAKESTREAM_TOPIC_PREFIX: "server_docker",
      LAKESTREAM_LAKE_URL: "/lake",
      LAKESTREAM_MAX_BATCH_EVENTS: "500",
      LAKESTREAM_MAX_BATCH_MS: "999",
    },
  );
  assert.deepEqual(c.options.source, {
    kind: "kafka",
    brokers: ["a:1", "b:2"],
    topicPrefix: "p",
    groupId: undefined,
    sessionTimeoutMs: undefined,
  });
  assert.equal(c.options.ha, undefined);
  assert.deepEqual(parse(["--ha", "--lease-ttl-ms", "3000"]).options.ha, { ttlMs: 3000 });
  assert.deepEqual(parse([], { LAKESTREAM_HA: "1" }).options.ha, { ttlMs: undefined });
  assert.equal(c.options.lake, "/lake");
  assert.equal(c.options.exitWhenIdleSeconds, 2.5);
  assert.equal(c.options.engine?.maxBatchEvents, 500);
  assert.equal(c.options.engine?.maxBatchMs, 50);
  assert.equal(c.options.engine?.stateMode, "rebuild");
  assert.equal(parse(["--state-mode", "full"]).options.engine?.stateMode, "full");
  assert.equal(c.options.engine?.deletionVectors, undefined, "copy-on-write unless asked");
  assert.equal(parse(["--deletion-vectors"]).options.engine?.deletionVectors, true);
  assert.equal(parse([], { LAKESTREAM_DELETION_VECTORS: "1" }).options.engine?.deletionVectors, true);
  assert.equal(c.options.onFenced, "recover", "kafka instances stand by after being fenced");
  assert.equal(c.logFormat, "json");
});

Deno.test("parseStreamArgs() reads the SQL Server source's URL", () => {
  assert.deepEqual(parse(["--source", "sqlserver", "--url", "sqlserver://sa:x@h:1/db"]).options.source, {
    kind: "sqlserver",
    url: "sqlserver://sa:x@h:1/db",
  });
  assert.deepEqual(
    parse(["--source", "sqlserver"], { LAKESTREAM_SQLSERVER_URL: "sqlserver://e" }).options.source,
    {
      kind: "sqlserver",
      url: "sqlserver://e",
    },
  );
  assert.throws(() => parse(["--url", "sqlserver://x"]), UsageError);
});

Deno.test("parseStreamArgs() turns maintenance policies into lake health options, or off", () => {
  const c = parse(["--checkpoint-every", "50", "--vacuum-every-hours", "0", "--compact-target-mb", "8"]);
  assert.deepEqual(c.options.health, {
    checkpointEvery: 50,
    compactMinFiles: undefined,
    compactTargetBytes: 8 * 2 ** 20,
    vacuumEveryMs: 0,
    vacuumRetentionHours: undefined,
  });
  assert.equal(parse(["--no-maintenance"]).options.health, false);
  assert.equal(parse([], { LAKESTREAM_MAINTENANCE: "off" }).options.health, false);
});

Deno.test("parseStreamArgs() rejects bad values and misplaced flags with a UsageError", () => {
  for (
    const args of [
      ["--source", "mysql"],
      ["--exit-when-idle", "-1"],
      ["--max-batch-events", "1.5"],
      ["--metrics-port", "70000"],
      ["--vacuum-retention-hours", "24"],
      ["--job", "a/b"],
      ["--brokers", "x:1"],
      ["--source", "kafka", "--db", "x"],
      ["--status", "--no-status"],
      ["--lease-ttl-ms", "5000"],
      ["--shard"],
      ["--source", "kafka", "--brokers", "h:1", "--shard", "--ha"],
      ["--state-mode", "half"],
      ["--what"],
    ]
  ) {
    assert.throws(() => parseStreamArgs(args, env()), UsageError, args.join(" "));
  }
  assert.equal(parseStreamArgs(["--help"], env()), "help");
});

Deno.test("s3Settings() uses the AWS variables, LAKESTREAM_S3_ENDPOINT, else the local stack", () => {
  const stack = () => ({ endpoint: "http://stack:1" });
  assert.deepEqual(s3Settings(env({}), stack), { endpoint: "http://stack:1" });
  assert.equal(
    s3Settings(env({ LAKESTREAM_S3_ENDPOINT: "http://minio:9000", AWS_ACCESS_KEY_ID: "k" }), stack).endpoint,
    "http://minio:9000",
  );
  assert.equal(s3Settings(env({ AWS_ENDPOINT_URL: "http://e:1" }), stack).endpoint, "http://e:1");
});

Deno.test("parseStreamArgs() turns on sharding for Kafka by flag or LAKESTREAM_SHARD", () => {
  assert.equal(parse(["--source", "kafka", "--brokers", "h:1"]).shard, false);
  assert.equal(parse(["--source", "kafka", "--brokers", "h:1", "--shard"]).shard, true);
  assert.equal(parse(["--source", "kafka", "--brokers", "h:1"], { LAKESTREAM_SHARD: "1" }).shard, true);
});
