import assert from "node:assert/strict";
import { parseStackFile, stackEnv, StackNotRunningError } from "./env.ts";
import { formatPidFile, processStartTime } from "./pid_file.ts";
import { SERVICES, stackPaths } from "./paths.ts";

const STACK = {
  kafka: { brokers: ["127.0.0.1:19092"] },
  connect: { url: "http://127.0.0.1:18083" },
  postgres: { host: "127.0.0.1", port: 15432, user: "postgres", password: "pw", database: "lakestream" },
  minio: {
    endpoint: "http://127.0.0.1:19000",
    accessKeyId: "ak",
    secretAccessKey: "sk",
    region: "us-east-1",
    bucket: "datalake",
  },
};

Deno.test("parseStackFile() returns the typed endpoints", () => {
  assert.deepEqual(parseStackFile(JSON.stringify({ ...STACK, extra: 1 }), "s.json"), STACK);
});

Deno.test("parseStackFile() names the missing or malformed field", () => {
  const noPort = { ...STACK, postgres: { ...STACK.postgres, port: "15432" } };
  assert.throws(() => parseStackFile(JSON.stringify(noPort), "s.json"), /field postgres.port must be a port/);
  const noBrokers = { ...STACK, kafka: { brokers: [] } };
  assert.throws(() => parseStackFile(JSON.stringify(noBrokers), "s.json"), /kafka.brokers/);
  assert.throws(() => parseStackFile("{", "s.json"), SyntaxError);
});

Deno.test("stackEnv() throws StackNotRunningError telling how to start the stack when there is no stack.json", async () => {
  const dir = await Deno.makeTempDir();
  try {
    assert.throws(() => stackEnv({ dir }), (e) => {
      assert.ok(e instanceof StackNotRunningError);
      assert.match(e.message, /not running.*run `deno task stack up`/);
      return true;
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("stackEnv() names the services that stopped and accepts live ones", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const paths = stackPaths(dir);
    await Deno.writeTextFile(paths.stackFile, JSON.stringify(STACK));
    await Deno.mkdir(`${dir}/run`);
    const me = formatPidFile({ pid: Deno.pid, startTime: processStartTime(Deno.pid)! });
    for (const s of SERVICES) if (s !== "minio") await Deno.writeTextFile(paths.pidFile(s), me);
    assert.throws(() => stackEnv({ dir }), /\(minio stopped\)/);
    assert.deepEqual(stackEnv({ dir, services: ["kafka", "postgres"] }), STACK);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
