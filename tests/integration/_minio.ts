/**
 * A MinIO for integration tests: the local stack's when it is up (`stackEnv()`), otherwise a private MinIO
 * started from the stack's cached binary on a free loopback port and stopped by `close()`. Never skips: with
 * neither available the caller's test fails with the reason.
 *
 * @module
 */
import { stackEnv, StackNotRunningError } from "../../scripts/stack/env.ts";
import { defaultCacheDir } from "../../scripts/stack/paths.ts";
import { deleteS3Prefix } from "../../pipeline/delta/storage/s3_store.ts";
import { S3Http, type S3Settings } from "../../pipeline/delta/storage/s3_http.ts";

/** A bucket on a running MinIO, emptied and removed (and a private server stopped) by `close`. */
export interface TestMinio extends AsyncDisposable {
  settings: S3Settings;
  bucket: string;
  close(): Promise<void>;
}

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

async function startPrivateMinio(): Promise<{ settings: S3Settings; stop: () => Promise<void> }> {
  const binary = `${defaultCacheDir()}/bin/minio`;
  try {
    await Deno.stat(binary);
  } catch (e) {
    throw new Error(
      `Cannot start MinIO for the test: the local stack is not running and ${binary} does not exist`,
      { cause: e },
    );
  }
  const dir = await Deno.makeTempDir({ prefix: "lakestream-minio-" });
  const port = freePort();
  const user = "test" + crypto.randomUUID().slice(0, 8);
  const password = crypto.randomUUID();
  const child = new Deno.Command(binary, {
    args: [
      "server",
      `${dir}/data`,
      "--address",
      `127.0.0.1:${port}`,
      "--console-address",
      `127.0.0.1:${freePort()}`,
    ],
    env: { MINIO_ROOT_USER: user, MINIO_ROOT_PASSWORD: password, MINIO_BROWSER: "off", HOME: dir },
    stdout: "null",
    stderr: "piped",
    stdin: "null",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const stop = async () => {
    try {
      child.kill("SIGTERM");
    } catch {
      // Exited on its own already; status below still settles.
    }
    await child.status;
    await stderr;
    await Deno.remove(dir, { recursive: true });
  };
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (true) {
    try {
      const res = await fetch(`${endpoint}/minio/health/live`);
      await res.body?.cancel();
      if (res.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`Cannot start MinIO for the test: ${endpoint} did not become healthy in 30 s`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    settings: { endpoint, accessKeyId: user, secretAccessKey: password, region: "us-east-1" },
    stop,
  };
}

/** Opens a MinIO (the stack's, or a private one) and creates a fresh bucket on it. */
export async function openTestMinio(): Promise<TestMinio> {
  let settings: S3Settings;
  let stop = () => Promise.resolve();
  try {
    const { minio } = stackEnv({ services: ["minio"] });
    settings = {
      endpoint: minio.endpoint,
      accessKeyId: minio.accessKeyId,
      secretAccessKey: minio.secretAccessKey,
      region: minio.region,
    };
  } catch (e) {
    if (!(e instanceof StackNotRunningError)) throw e;
    ({ settings, stop } = await startPrivateMinio());
  }
  const client = new S3Http(settings);
  const bucket = `test-${crypto.randomUUID().slice(0, 13)}`;
  await client.send({ method: "PUT", bucket, key: "" });
  const close = async () => {
    try {
      await deleteS3Prefix(client, bucket, "");
      await client.send({ method: "DELETE", bucket, key: "" });
    } finally {
      await stop();
    }
  };
  return { settings, bucket, close, [Symbol.asyncDispose]: close };
}
