import { stackEnv, StackNotRunningError } from "../stack/env.ts";
import {
  type ConnectorNames,
  type ConnectorSource,
  postgresConnector,
  registerConnector,
  sqlServerConnector,
} from "./connector.ts";
import { ensureBucket, parseS3Url, type S3Endpoint } from "./bucket.ts";
import { enableCapture } from "./capture.ts";
import {
  describeSource,
  ensureDatabase,
  openSourceDb,
  resolveSource,
  type SourceOptions,
  type SourceTarget,
} from "./db/open_source_db.ts";
import type { SourceDb } from "./db/source_db.ts";
import { ensureSchema } from "./schema.ts";
import { applySeed } from "./seed.ts";
import { DEFAULT_SEED, seedCatalog } from "./seed_catalog.ts";
import type { StepReport } from "./step_report.ts";

/** Options of {@linkcode runSetup}. */
export interface SetupOptions extends SourceOptions {
  /**
   * An open SQLite connection to set up instead of `db` (e.g. a `:memory:` database shared with the faker); left
   * open. The database, bucket and connector steps do not apply.
   */
  source?: SourceDb;
  /** Seed of the generated catalog. @default 42 */
  seed?: number;
  /** Where the lake lives; an `s3://bucket/…` lake gets its bucket created. @default none (no bucket step) */
  lake?: string;
  /** S3 endpoint of an s3:// lake. @default the local stack's MinIO */
  s3?: S3Endpoint;
  /** Register the Debezium connector (PostgreSQL and SQL Server). @default true for those dialects */
  connector?: boolean;
  /** Kafka Connect REST URL. @default $LAKESTREAM_CONNECT_URL, else the local stack's */
  connectUrl?: string;
  /** Connector, topic prefix, slot and publication names. */
  names?: ConnectorNames;
  /** The source database as the Connect worker reaches it. @default the address setup uses */
  connectorSource?: Partial<ConnectorSource>;
  /** Receives one line per finished step. */
  log?: (line: string) => void;
  signal?: AbortSignal;
}

/** What setup did. */
export interface SetupReport {
  /** The source, without password. */
  source: string;
  steps: StepReport[];
  /** Whether any step changed anything. */
  changed: boolean;
}

/** One line for a step: `+` when it changed something, `=` when it was already in place. */
export function formatStep(s: StepReport): string {
  return `${s.changed ? "+" : "="} ${s.step}: ${s.detail}`;
}

/**
 * Sets up a source database idempotently: database, schema, change capture, reference data and starting
 * catalog, the lake's bucket, and the Debezium connector. A second run changes nothing and says so.
 */
export async function runSetup(options: SetupOptions): Promise<SetupReport> {
  const log = options.log ?? (() => {});
  const steps: StepReport[] = [];
  const step = (s: StepReport) => {
    steps.push(s);
    log(formatStep(s));
  };
  const prepare = async (db: SourceDb) => {
    step(await ensureSchema(db));
    options.signal?.throwIfAborted();
    step(await enableCapture(db, { publication: options.names?.publication }));
    step(await applySeed(db, seedCatalog(options.seed ?? DEFAULT_SEED)));
  };
  if (options.source) {
    if (options.source.dialect !== "sqlite") {
      throw new TypeError("Cannot set up an open connection other than SQLite: pass its URL instead");
    }
    await prepare(options.source);
    return { source: "sqlite (open connection)", steps, changed: steps.some((s) => s.changed) };
  }
  const target = resolveSource(options);
  const created = await ensureDatabase(target);
  step({
    step: "database",
    changed: created,
    detail: `${describeSource(target)} ${created ? "created" : "exists"}`,
  });
  const db = openSourceDb(target);
  try {
    await prepare(db);
  } finally {
    await db.close();
  }
  if (options.lake?.startsWith("s3")) {
    const { bucket } = parseS3Url(options.lake);
    step(await ensureBucket(options.s3 ?? stackEnv({ services: ["minio"] }).minio, bucket));
  }
  if (target.dialect !== "sqlite" && options.connector !== false) {
    const connectUrl = options.connectUrl ?? Deno.env.get("LAKESTREAM_CONNECT_URL") ?? stackConnectUrl();
    const source: ConnectorSource = {
      host: target.config.host,
      port: target.config.port,
      user: target.config.user,
      password: target.config.password,
      database: target.config.database,
      ...options.connectorSource,
    };
    const spec = target.dialect === "postgres"
      ? postgresConnector(source, options.names)
      : sqlServerConnector(source, {
        ...options.names,
        kafkaBootstrap: options.names?.kafkaBootstrap ?? Deno.env.get("LAKESTREAM_KAFKA_BOOTSTRAP") ??
          "kafka:29092",
      });
    step(await registerConnector(connectUrl, spec, { signal: options.signal }));
    if (target.dialect === "postgres") {
      await waitForSlot(target, spec.config["slot.name"], options.signal);
    }
  }
  return { source: describeSource(target), steps, changed: steps.some((s) => s.changed) };
}

function stackConnectUrl(): string {
  try {
    return stackEnv({ services: ["connect"] }).connect.url;
  } catch (e) {
    if (e instanceof StackNotRunningError) {
      throw new StackNotRunningError(`${e.message}, or pass --connect URL (or --no-connector)`);
    }
    throw e;
  }
}

/**
 * Waits until the connector's replication slot exists and is in use. From then on every commit reaches the
 * connector as a streamed change (earlier rows come as snapshot reads), so writers may start.
 */
async function waitForSlot(target: SourceTarget, slot: string, signal?: AbortSignal): Promise<void> {
  const db = openSourceDb(target);
  try {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      signal?.throwIfAborted();
      const rows = await db.query<{ active: boolean }>(
        "SELECT active FROM pg_replication_slots WHERE slot_name = ? AND database = current_database()",
        [slot],
      );
      if (rows[0]?.active) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`Replication slot "${slot}" is not active after 60 s: see the Kafka Connect log`);
  } finally {
    await db.close();
  }
}
