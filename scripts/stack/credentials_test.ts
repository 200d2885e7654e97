import assert from "node:assert/strict";
import { loadCredentials, parseCredentials, randomToken, resolveCredentials } from "./credentials.ts";

const noEnv = () => undefined;
const envOf = (vars: Record<string, string>) => (name: string) => vars[name];
const counter = () => {
  let n = 0;
  return (bytes: number) => `t${bytes}x${n++}`.padEnd(8, "0");
};

Deno.test("randomToken() encodes the bytes as URL-safe base64 without padding", () => {
  assert.equal(randomToken(3, () => new Uint8Array([0xfb, 0xff, 0xbf])), "-_-_");
  assert.equal(randomToken(16).length, 22);
  assert.notEqual(randomToken(16), randomToken(16));
});

Deno.test("resolveCredentials() generates credentials on first run", () => {
  const c = resolveCredentials(null, noEnv, counter());
  assert.equal(c.postgres.user, "postgres");
  assert.equal(c.postgres.password, "t18x0000");
  assert.equal(c.minio.accessKeyId, "lakestream-t6x10000");
  assert.equal(c.minio.secretAccessKey, "t24x2000");
});

Deno.test("resolveCredentials() prefers the environment on first run and keeps stored values later", () => {
  const env = envOf({ LAKESTREAM_PG_PASSWORD: "from-env", LAKESTREAM_MINIO_SECRET_KEY: "secret-from-env" });
  const first = resolveCredentials(null, env, counter());
  assert.equal(first.postgres.password, "from-env");
  assert.equal(first.minio.secretAccessKey, "secret-from-env");
  assert.deepEqual(resolveCredentials(first, noEnv, counter()), first);
  assert.deepEqual(resolveCredentials(first, env, counter()), first);
});

Deno.test("resolveCredentials() refuses an environment value that contradicts the stored one", () => {
  const stored = resolveCredentials(null, noEnv, counter());
  assert.throws(
    () =>
      resolveCredentials(
        stored,
        envOf({ LAKESTREAM_PG_PASSWORD: "other" }),
        counter(),
        "/s/credentials.json",
      ),
    /Cannot use LAKESTREAM_PG_PASSWORD: .*"\/s\/credentials.json"/,
  );
});

Deno.test("resolveCredentials() rejects a MinIO secret shorter than 8 characters", () => {
  assert.throws(() => resolveCredentials(null, envOf({ LAKESTREAM_MINIO_SECRET_KEY: "short" })), RangeError);
});

Deno.test("parseCredentials() names the file when a field is missing", () => {
  assert.throws(() => parseCredentials('{"postgres":{"user":"u"}}', "/s/c.json"), /"\/s\/c.json"/);
});

Deno.test("loadCredentials() stores generated credentials with mode 0600 and reuses them", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/credentials.json`;
    const first = await loadCredentials(path, noEnv);
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
    assert.deepEqual(await loadCredentials(path, noEnv), first);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
