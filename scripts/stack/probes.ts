/**
 * Health probes: one real request per service, each bounded by a timeout, returning a short description or
 * throwing an Error that says what failed. The checks on what they observe are in health.ts.
 *
 * @module
 */
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  HeadBucketCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import pg from "pg";
import type { StackEnv } from "./env.ts";
import {
  checkConditionalPut,
  checkConnectHealth,
  checkConnectorPlugins,
  checkKafkaMetadata,
  checkWalLevel,
} from "./health.ts";
import { fetchKafkaMetadata } from "./kafka_metadata.ts";

/** Kafka: a Metadata request to the first bootstrap broker. */
export async function probeKafka(kafka: StackEnv["kafka"], timeoutMs: number): Promise<string> {
  const [host, port] = splitHostPort(kafka.brokers[0]);
  return checkKafkaMetadata(await fetchKafkaMetadata(host, port, AbortSignal.timeout(timeoutMs)));
}

/** Splits `host:port` (IPv6 hosts in brackets). */
export function splitHostPort(address: string): [string, number] {
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(address);
  if (!m) throw new TypeError(`Invalid broker address "${address}": expected host:port`);
  return [m[1], Number(m[2])];
}

async function getJson(url: string, timeoutMs: number): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) };
  } catch (e) {
    throw new Error(`GET ${url} answered ${res.status} with non-JSON "${text.slice(0, 100)}"`, { cause: e });
  }
}

/** Kafka Connect: the worker finished starting (`GET /health`) and lists both Debezium connectors. */
export async function probeConnect(connect: StackEnv["connect"], timeoutMs: number): Promise<string> {
  const health = await getJson(`${connect.url}/health`, timeoutMs);
  checkConnectHealth(health.status, health.body);
  const plugins = await getJson(`${connect.url}/connector-plugins`, timeoutMs);
  return checkConnectorPlugins(plugins.body);
}

/** Runs `fn` with a connected pg client on `database`. */
async function withPg<T>(
  postgres: StackEnv["postgres"],
  database: string,
  timeoutMs: number,
  fn: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({
    host: postgres.host,
    port: postgres.port,
    user: postgres.user,
    password: postgres.password,
    database,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
  });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** PostgreSQL: accepts a connection to the project database and runs with `wal_level = logical`. */
export async function probePostgres(postgres: StackEnv["postgres"], timeoutMs: number): Promise<string> {
  return await withPg(postgres, postgres.database, timeoutMs, async (client) => {
    const wal = await client.query("SHOW wal_level");
    const version = await client.query("SHOW server_version");
    return checkWalLevel(wal.rows[0]?.wal_level, version.rows[0]?.server_version);
  });
}

/** Creates the project database when it does not exist; true when it created it. */
export async function ensureDatabase(postgres: StackEnv["postgres"], timeoutMs: number): Promise<boolean> {
  return await withPg(postgres, "postgres", timeoutMs, async (client) => {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [postgres.database]);
    if (found.rowCount) return false;
    await client.query(`CREATE DATABASE "${postgres.database.replaceAll('"', '""')}"`);
    return true;
  });
}

function s3Client(minio: StackEnv["minio"], timeoutMs: number): S3Client {
  return new S3Client({
    endpoint: minio.endpoint,
    region: minio.region,
    forcePathStyle: true,
    credentials: { accessKeyId: minio.accessKeyId, secretAccessKey: minio.secretAccessKey },
    maxAttempts: 1,
    requestHandler: { requestTimeout: timeoutMs, connectionTimeout: timeoutMs },
  });
}

function httpStatus(e: unknown): number {
  if (e instanceof S3ServiceException && e.$metadata.httpStatusCode) return e.$metadata.httpStatusCode;
  throw e;
}

/** Creates the lake's bucket when it does not exist; true when it created it. */
export async function ensureBucket(minio: StackEnv["minio"], timeoutMs: number): Promise<boolean> {
  const s3 = s3Client(minio, timeoutMs);
  try {
    try {
      await s3.send(new HeadBucketCommand({ Bucket: minio.bucket }));
      return false;
    } catch (e) {
      if (httpStatus(e) !== 404) throw e;
    }
    await s3.send(new CreateBucketCommand({ Bucket: minio.bucket }));
    return true;
  } finally {
    s3.destroy();
  }
}

/**
 * MinIO: answers S3 calls on the lake's bucket, and refuses a second put-if-absent (`If-None-Match: *`) of one
 * key with 412. The probe object lives under `_lakestream_probe/` and is removed afterwards.
 */
export async function probeMinio(minio: StackEnv["minio"], timeoutMs: number): Promise<string> {
  const s3 = s3Client(minio, timeoutMs);
  const key = `_lakestream_probe/${crypto.randomUUID()}`;
  const put = async () => {
    try {
      const out = await s3.send(
        new PutObjectCommand({ Bucket: minio.bucket, Key: key, Body: "probe", IfNoneMatch: "*" }),
      );
      return out.$metadata.httpStatusCode ?? 0;
    } catch (e) {
      return httpStatus(e);
    }
  };
  try {
    const first = await put();
    const second = await put();
    await s3.send(new DeleteObjectCommand({ Bucket: minio.bucket, Key: key }));
    return `bucket ${minio.bucket}, ${checkConditionalPut(first, second)}`;
  } finally {
    s3.destroy();
  }
}
