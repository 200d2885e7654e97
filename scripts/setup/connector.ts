/**
 * Debezium connector configuration (pure) and its registration through the Kafka Connect REST API.
 *
 * Names (defaults, all overridable):
 * - PostgreSQL: connector `lakestream-postgres`, topic.prefix `lakestream` (topics `lakestream.public.<table>`,
 *   lower case), replication slot `lakestream`, publication `lakestream` (created by setup, so
 *   `publication.autocreate.mode=disabled`), plugin `pgoutput`.
 * - SQL Server: connector `sqlserver-connector` and topic.prefix `server_docker` as in the original (topics
 *   `server_docker.<db>.dbo.<Table>`), schema history topic `schemahistory.server_docker`.
 * Both: JSON with schemas (the decoders need the schema for decimal scale and time units), decimal.handling.mode
 * precise, poll.interval.ms 100 for low latency, table.include.list of every catalog table.
 *
 * @module
 */
import { ECOMMERCE_TABLES } from "../../pipeline/catalog/mod.ts";
import type { StepReport } from "./step_report.ts";

/** Where the connector reaches the source database (as seen from the Connect worker). */
export interface ConnectorSource {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

/** Options of the connector configurations. */
export interface ConnectorNames {
  /** Connector name. @default "lakestream-postgres" / "sqlserver-connector" */
  name?: string;
  /** @default "lakestream" / "server_docker" */
  topicPrefix?: string;
  /** PostgreSQL replication slot. @default "lakestream" */
  slot?: string;
  /** PostgreSQL publication. @default "lakestream" */
  publication?: string;
  /** SQL Server schema history: Kafka bootstrap servers as seen from the worker. */
  kafkaBootstrap?: string;
}

const COMMON = {
  "tasks.max": "1",
  "key.converter": "org.apache.kafka.connect.json.JsonConverter",
  "key.converter.schemas.enable": "true",
  "value.converter": "org.apache.kafka.connect.json.JsonConverter",
  "value.converter.schemas.enable": "true",
  "decimal.handling.mode": "precise",
  "time.precision.mode": "adaptive",
  "poll.interval.ms": "100",
  "snapshot.mode": "initial",
};

/** A connector's name and its configuration (string values, as Connect stores them). */
export interface ConnectorSpec {
  name: string;
  config: Record<string, string>;
}

/** The Debezium PostgreSQL connector for the catalog tables in schema `public`. */
export function postgresConnector(source: ConnectorSource, names: ConnectorNames = {}): ConnectorSpec {
  const name = names.name ?? "lakestream-postgres";
  return {
    name,
    config: {
      "connector.class": "io.debezium.connector.postgresql.PostgresConnector",
      ...COMMON,
      "plugin.name": "pgoutput",
      "database.hostname": source.host,
      "database.port": String(source.port),
      "database.user": source.user,
      "database.password": source.password,
      "database.dbname": source.database,
      "topic.prefix": names.topicPrefix ?? "lakestream",
      "slot.name": names.slot ?? "lakestream",
      "publication.name": names.publication ?? "lakestream",
      "publication.autocreate.mode": "disabled",
      "table.include.list": ECOMMERCE_TABLES.map((t) => `public.${t.source.toLowerCase()}`).join(","),
    },
  };
}

/** The Debezium SQL Server connector for the catalog tables in schema `dbo`. */
export function sqlServerConnector(source: ConnectorSource, names: ConnectorNames = {}): ConnectorSpec {
  const prefix = names.topicPrefix ?? "server_docker";
  return {
    name: names.name ?? "sqlserver-connector",
    config: {
      "connector.class": "io.debezium.connector.sqlserver.SqlServerConnector",
      ...COMMON,
      "database.hostname": source.host,
      "database.port": String(source.port),
      "database.user": source.user,
      "database.password": source.password,
      "database.names": source.database,
      "database.encrypt": "false",
      "driver.encrypt": "false",
      "driver.trustServerCertificate": "true",
      "topic.prefix": prefix,
      "schema.history.internal.kafka.bootstrap.servers": names.kafkaBootstrap ?? "127.0.0.1:9092",
      "schema.history.internal.kafka.topic": `schemahistory.${prefix}`,
      "table.include.list": ECOMMERCE_TABLES.map((t) => `dbo.${t.source}`).join(","),
    },
  };
}

/** Options of {@linkcode registerConnector}. */
export interface RegisterOptions {
  /** How long to wait for the connector and its task to be RUNNING. @default 90000 */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
}

async function connectJson(
  f: typeof fetch,
  url: string,
  init: RequestInit,
  what: string,
): Promise<{ status: number; body: unknown }> {
  let res: Response;
  try {
    res = await f(url, {
      ...init,
      headers: { "content-type": "application/json", accept: "application/json" },
    });
  } catch (e) {
    throw new Error(`Cannot ${what}: Kafka Connect at ${new URL(url).origin} is unreachable`, { cause: e });
  }
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // Connect answers plain text on some errors: keep it as the body.
  }
  return { status: res.status, body };
}

/**
 * Registers (PUT /connectors/<name>/config) the connector unless Connect already has exactly this
 * configuration, then waits until the connector and its task are RUNNING. A FAILED task throws with its trace.
 */
export async function registerConnector(
  connectUrl: string,
  spec: ConnectorSpec,
  options: RegisterOptions = {},
): Promise<StepReport> {
  const f = options.fetch ?? fetch;
  const base = `${connectUrl.replace(/\/$/, "")}/connectors/${encodeURIComponent(spec.name)}`;
  const current = await connectJson(
    f,
    `${base}/config`,
    { method: "GET", signal: options.signal },
    "read the connector",
  );
  const same = current.status === 200 && sameConfig(current.body, spec.config);
  if (current.status === 404) {
    await createFresh(f, connectUrl, spec, options.signal);
  } else if (!same) {
    const put = await connectJson(
      f,
      `${base}/config`,
      { method: "PUT", body: JSON.stringify(spec.config), signal: options.signal },
      `register connector "${spec.name}"`,
    );
    if (put.status !== 200 && put.status !== 201) {
      throw new Error(
        `Cannot register connector "${spec.name}": Kafka Connect answered ${put.status}: ${
          message(put.body)
        }`,
      );
    }
  }
  await waitRunning(f, base, spec.name, options);
  return same
    ? { step: "connector", changed: false, detail: `connector ${spec.name} up to date and RUNNING` }
    : {
      step: "connector",
      changed: true,
      detail: `connector ${spec.name} ${current.status === 200 ? "updated" : "registered"} and RUNNING`,
    };
}

async function expect(
  f: typeof fetch,
  url: string,
  init: RequestInit,
  what: string,
  ok: number[],
): Promise<void> {
  const res = await connectJson(f, url, init, what);
  if (!ok.includes(res.status)) {
    throw new Error(`Cannot ${what}: Kafka Connect answered ${res.status}: ${message(res.body)}`);
  }
}

/**
 * Creates a connector that starts from nothing: Connect keeps a deleted connector's offsets, and Debezium
 * resuming from them would skip the initial snapshot of a database set up again. So the connector is created
 * STOPPED, its offsets are reset (Kafka Connect ≥ 3.7), and then it is resumed.
 */
async function createFresh(
  f: typeof fetch,
  connectUrl: string,
  spec: ConnectorSpec,
  signal?: AbortSignal,
): Promise<void> {
  const root = `${connectUrl.replace(/\/$/, "")}/connectors`;
  const base = `${root}/${encodeURIComponent(spec.name)}`;
  await expect(
    f,
    root,
    {
      method: "POST",
      body: JSON.stringify({ name: spec.name, config: spec.config, initial_state: "STOPPED" }),
      signal,
    },
    `register connector "${spec.name}"`,
    [201],
  );
  await waitState(f, base, spec.name, "STOPPED", signal);
  await expect(f, `${base}/offsets`, { method: "DELETE", signal }, `reset the offsets of "${spec.name}"`, [
    200,
  ]);
  await expect(f, `${base}/resume`, { method: "PUT", signal }, `resume connector "${spec.name}"`, [202, 204]);
}

async function waitState(
  f: typeof fetch,
  base: string,
  name: string,
  state: string,
  signal?: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const { status, body } = await connectJson(
      f,
      `${base}/status`,
      { method: "GET", signal },
      "read the connector status",
    );
    if (status === 200 && (body as { connector?: { state?: string } })?.connector?.state === state) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Connector "${name}" did not reach state ${state} within 30 s`);
}

function sameConfig(body: unknown, config: Record<string, string>): boolean {
  if (typeof body !== "object" || body === null) return false;
  const have = { ...(body as Record<string, unknown>) };
  delete have.name;
  const keys = Object.keys(config);
  return keys.length === Object.keys(have).length && keys.every((k) => have[k] === config[k]);
}

function message(body: unknown): string {
  if (typeof body === "object" && body !== null && "message" in body) return String(body.message);
  return String(body).slice(0, 300);
}

async function waitRunning(
  f: typeof fetch,
  base: string,
  name: string,
  options: RegisterOptions,
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 90_000);
  let last = "no status yet";
  while (Date.now() < deadline) {
    options.signal?.throwIfAborted();
    const { status, body } = await connectJson(
      f,
      `${base}/status`,
      { method: "GET", signal: options.signal },
      "read the connector status",
    );
    if (status === 200 && typeof body === "object" && body !== null) {
      const s = body as {
        connector?: { state?: string; trace?: string };
        tasks?: { state?: string; trace?: string }[];
      };
      const tasks = s.tasks ?? [];
      const failed = [s.connector, ...tasks].find((t) => t?.state === "FAILED");
      if (failed) {
        throw new Error(
          `Connector "${name}" FAILED: ${(failed.trace ?? "no trace").split("\n").slice(0, 3).join(" ")}`,
        );
      }
      if (s.connector?.state === "RUNNING" && tasks.length > 0 && tasks.every((t) => t.state === "RUNNING")) {
        return;
      }
      last = `connector ${s.connector?.state ?? "?"}, tasks ${tasks.map((t) => t.state).join(",") || "none"}`;
    } else {
      last = `status ${status}`;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(
    `Connector "${name}" is not RUNNING after ${(options.timeoutMs ?? 90_000) / 1000} s (${last})`,
  );
}

/**
 * Deletes a connector and its offsets (404 is fine: already gone), so that registering it again starts with a
 * snapshot: stop, reset offsets, delete.
 */
export async function deleteConnector(
  connectUrl: string,
  name: string,
  f: typeof fetch = fetch,
): Promise<void> {
  const base = `${connectUrl.replace(/\/$/, "")}/connectors/${encodeURIComponent(name)}`;
  const stop = await connectJson(f, `${base}/stop`, { method: "PUT" }, `stop connector "${name}"`);
  if (stop.status === 404) return;
  if (stop.status !== 202 && stop.status !== 204) {
    throw new Error(
      `Cannot stop connector "${name}": Kafka Connect answered ${stop.status}: ${message(stop.body)}`,
    );
  }
  await waitState(f, base, name, "STOPPED");
  await expect(f, `${base}/offsets`, { method: "DELETE" }, `reset the offsets of "${name}"`, [200]);
  await expect(f, base, { method: "DELETE" }, `delete connector "${name}"`, [200, 204, 404]);
}
