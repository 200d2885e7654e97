import assert from "node:assert/strict";
import {
  ServiceError,
  stackDown,
  stackLogs,
  stackStatus,
  stackUp,
  withDependents,
  withRequirements,
} from "./stack.ts";

Deno.test("withRequirements() adds Kafka to Connect and keeps start order", () => {
  assert.deepEqual(withRequirements(["connect"]), ["kafka", "connect"]);
  assert.deepEqual(withRequirements(["minio", "postgres"]), ["postgres", "minio"]);
});

Deno.test("withDependents() stops Connect before Kafka", () => {
  assert.deepEqual(withDependents(["kafka"]), ["connect", "kafka"]);
  assert.deepEqual(withDependents(["minio", "kafka", "connect"]), ["minio", "connect", "kafka"]);
});

/** Runs `fn` against an empty stack directory with ports no service uses. */
async function withEmptyStack(
  fn: (env: (name: string) => string | undefined) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir();
  const vars: Record<string, string> = { LAKESTREAM_STACK_DIR: dir, HOME: dir };
  try {
    await fn((name) => vars[name]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("stackStatus() reports every service stopped and false when nothing runs", async () => {
  await withEmptyStack(async (env) => {
    const lines: string[] = [];
    assert.equal(await stackStatus({ out: (l) => lines.push(l), env }), false);
    assert.match(lines[0], /^service\s+address\s+pid\s+health$/);
    assert.deepEqual(lines.slice(1).map((l) => l.split(/\s+/)[0]), ["kafka", "connect", "postgres", "minio"]);
    assert.ok(lines.slice(1).every((l) => l.endsWith(" stopped")));
    assert.match(lines[1], /127\.0\.0\.1:19092 \(\+19093\)/);
  });
});

Deno.test("stackDown() reports services that are not running and signals nothing", async () => {
  await withEmptyStack(async (env) => {
    const lines: string[] = [];
    await stackDown(["kafka"], { out: (l) => lines.push(l), env });
    assert.deepEqual(lines.map((l) => l.replace(/\s+/g, " ")), ["connect not running", "kafka not running"]);
  });
});

Deno.test("stackLogs() copies the log and explains when there is none", async () => {
  await withEmptyStack(async (env) => {
    const io = { out: () => {}, env };
    const chunks: Uint8Array[] = [];
    const sink = new WritableStream<Uint8Array>({ write: (c) => void chunks.push(c) });
    await assert.rejects(stackLogs("minio", io, sink), /No log for minio yet/);
    await Deno.writeTextFile(`${env("LAKESTREAM_STACK_DIR")}/logs/minio.log`, "line 1\nline 2\n");
    await stackLogs("minio", io, sink);
    assert.equal(new TextDecoder().decode(new Uint8Array(chunks.flatMap((c) => [...c]))), "line 1\nline 2\n");
  });
});

Deno.test("stackUp() names the service and the variable to change when its port is taken", async () => {
  await withEmptyStack(async (env) => {
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = String(listener.addr.port);
    try {
      const lines: string[] = [];
      await assert.rejects(
        stackUp(["minio"], {
          out: (l) => lines.push(l),
          env: (n) => n === "LAKESTREAM_MINIO_PORT" ? port : env(n),
        }),
        (e) => {
          assert.ok(e instanceof ServiceError);
          assert.equal(e.service, "minio");
          assert.match(
            e.message,
            new RegExp(
              `^minio: port ${port} on 127\\.0\\.0\\.1 is in use by a process this stack did not start ` +
                `\\(set LAKESTREAM_MINIO_PORT to use another port\\); see .*/logs/minio\\.log$`,
            ),
          );
          return true;
        },
      );
    } finally {
      listener.close();
    }
  });
});
