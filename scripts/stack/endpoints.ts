/**
 * The endpoints and credentials `up` publishes in .stack/stack.json (read back by env.ts).
 *
 * @module
 */
import type { StackConfig } from "./config.ts";
import type { Credentials } from "./credentials.ts";
import type { StackEnv } from "./env.ts";

/** The endpoints of a stack running with `config` and `credentials`. */
export function stackEndpoints(config: StackConfig, credentials: Credentials): StackEnv {
  const { host, ports } = config;
  return {
    kafka: { brokers: [`${host}:${ports.kafka}`] },
    connect: { url: `http://${host}:${ports.connect}` },
    postgres: {
      host,
      port: ports.postgres,
      user: credentials.postgres.user,
      password: credentials.postgres.password,
      database: config.postgresDatabase,
    },
    minio: {
      endpoint: `http://${host}:${ports.minio}`,
      accessKeyId: credentials.minio.accessKeyId,
      secretAccessKey: credentials.minio.secretAccessKey,
      region: config.minioRegion,
      bucket: config.minioBucket,
    },
  };
}

/** Writes stack.json (mode 0600: it holds credentials) atomically, so readers never see half a file. */
export async function writeStackFile(path: string, env: StackEnv): Promise<void> {
  const tmp = `${path}.tmp-${Deno.pid}`;
  await Deno.writeTextFile(tmp, `${JSON.stringify(env, null, 2)}\n`, { mode: 0o600 });
  await Deno.rename(tmp, path);
}
