/**
 * Which change source a job reads, and how to open it at a checkpoint.
 *
 * @module
 */
import type { SourceCheckpoint } from "../cdc/source/change_source.ts";
import {
  SQLSERVER_SNAPSHOT,
  SQLSERVER_STREAM,
  SqlServerSource,
  type SqlServerSourceOptions,
} from "../cdc/source/sqlserver/sqlserver_source.ts";
import type { SqlServerCdcClient } from "../cdc/source/sqlserver/cdc_client.ts";
import { KafkaSource } from "../cdc/source/kafka_source.ts";
import { SNAPSHOT_PREFIX, SQLITE_STREAM, SqliteSource } from "../cdc/source/sqlite_source.ts";
import type { ChangeSource } from "../cdc/source/change_source.ts";
import { sqlitePosition } from "../cdc/source_position.ts";
import { stackEnv } from "../../scripts/stack/env.ts";
import type { SourceFactory } from "./stream_engine.ts";

/** The embedded SQLite source (a database made by `deno task setup --dialect sqlite`). */
export interface SqliteSpec {
  kind: "sqlite";
  /** @default "./data/source.sqlite" */
  path?: string;
  /**
   * Where a job without a checkpoint starts: `snapshot` reads the tables as they are, then their changes;
   * `changes` replays the whole change table from its first entry instead (every change ever captured).
   * @default "snapshot"
   */
  start?: "snapshot" | "changes";
}

/** Debezium topics in Kafka. */
export interface KafkaSpec {
  kind: "kafka";
  /** Bootstrap servers. @default the local stack's broker */
  brokers?: string[];
  /** Topics `<prefix>.…` are read. @default "lakestream" */
  topicPrefix?: string;
  /** @default "lakestream-<job>" */
  groupId?: string;
  /** How long the group waits for a silent member before moving its partitions. @default 30000 */
  sessionTimeoutMs?: number;
}

/** SQL Server CDC read directly (no Kafka, no Debezium). */
export interface SqlServerSpec {
  kind: "sqlserver";
  /**
   * `sqlserver://user:password@host:port/database`.
   * @default $LAKESTREAM_SQLSERVER_URL, else sqlserver://sa:$MSSQL_SA_PASSWORD@127.0.0.1:1433/testdb
   */
  url?: string;
}

/** A source given directly (tests, embedding); its factory says which ranges it can read again. */
export interface CustomSpec {
  kind: "custom";
  name: string;
  open: SourceFactory;
}

function withReproducible(
  open: (from: SourceCheckpoint | null) => ChangeSource | Promise<ChangeSource>,
  reproducible: (start: SourceCheckpoint) => boolean,
): SourceFactory {
  return Object.assign(open, { reproducible });
}

/** A change source to read. */
export type SourceSpec = SqliteSpec | KafkaSpec | SqlServerSpec | CustomSpec;

/** The SQL Server URL used when none is given (as `deno task setup` does). */
export function defaultSqlServerUrl(env: { get(name: string): string | undefined } = Deno.env): string {
  return env.get("LAKESTREAM_SQLSERVER_URL") ??
    `sqlserver://sa:${encodeURIComponent(env.get("MSSQL_SA_PASSWORD") ?? "")}@127.0.0.1:1433/testdb`;
}

/** Default path of the SQLite source. */
export const DEFAULT_SQLITE_PATH = "./data/source.sqlite";

/** A short description for logs (`sqlite ./data/source.sqlite`, `kafka lakestream.* on 127.0.0.1:19092`). */
export function describeSource(spec: SourceSpec): string {
  switch (spec.kind) {
    case "sqlite":
      return `sqlite ${spec.path ?? DEFAULT_SQLITE_PATH}`;
    case "kafka":
      return `kafka ${spec.topicPrefix ?? "lakestream"}.*${
        spec.brokers ? ` on ${spec.brokers.join(",")}` : ""
      }`;
    case "sqlserver": {
      const u = new URL(spec.url ?? defaultSqlServerUrl());
      return `sqlserver ${u.hostname}:${u.port || 1433}${u.pathname}`;
    }
    case "custom":
      return spec.name;
  }
}

/**
 * The SQL Server source over the client `connect` opens. Its change tables can be read again (within their
 * retention); a snapshot of the live tables cannot.
 */
export function sqlServerSourceFactory(
  connect: () => Promise<SqlServerCdcClient>,
  options: Omit<SqlServerSourceOptions, "connect" | "from"> = {},
): SourceFactory {
  return withReproducible(
    (from) => new SqlServerSource({ ...options, connect, from }),
    (start) =>
      start[SQLSERVER_STREAM] !== undefined && !start[SQLSERVER_STREAM].startsWith(SQLSERVER_SNAPSHOT),
  );
}

/**
 * The factory that opens `spec`'s source at a checkpoint. Checks what can be checked up front (the SQLite file
 * exists, the local stack runs when no brokers are given) and throws an Error saying what to do otherwise.
 */
export function sourceFactory(spec: SourceSpec, job: string): SourceFactory {
  switch (spec.kind) {
    case "sqlite": {
      const path = spec.path ?? DEFAULT_SQLITE_PATH;
      try {
        if (!Deno.statSync(path).isFile) {
          throw new Error(`Cannot read the SQLite source "${path}": not a file`);
        }
      } catch (e) {
        if (e instanceof Deno.errors.NotFound) {
          throw new Error(
            `Cannot read the SQLite source "${path}": no such file (create it with \`deno task setup --dialect sqlite\`)`,
          );
        }
        throw e;
      }
      const initial: SourceCheckpoint | null = spec.start === "changes"
        ? { [SQLITE_STREAM]: sqlitePosition(0) }
        : null;
      return withReproducible(
        (from) => new SqliteSource({ path, from: from ?? initial }),
        // The change table can be read again; a snapshot of the live tables cannot.
        (start) => {
          const at = start[SQLITE_STREAM] ?? initial?.[SQLITE_STREAM];
          return at !== undefined && !at.startsWith(SNAPSHOT_PREFIX);
        },
      );
    }
    case "kafka": {
      const brokers = spec.brokers ?? stackEnv({ services: ["kafka"] }).kafka.brokers;
      // Every partition of the prefix is read, in an interleaving that differs from one read to the next.
      return Object.assign((from: SourceCheckpoint | null) =>
        new KafkaSource({
          brokers,
          groupId: spec.groupId ?? `lakestream-${job}`,
          topicPrefix: spec.topicPrefix ?? "lakestream",
          from,
          sessionTimeoutMs: spec.sessionTimeoutMs,
          clientId: `lakestream-${job}`,
        }), { multiStream: true });
    }
    case "sqlserver": {
      const url = spec.url ?? defaultSqlServerUrl();
      return sqlServerSourceFactory(async () => {
        // Loaded on first use: the mssql driver is large and only this source needs it.
        const [{ connectMssql }, { parseSqlServerUrl }] = await Promise.all([
          import("../cdc/source/sqlserver/mssql_client.ts"),
          import("../../scripts/setup/db/sqlserver_source_db.ts"),
        ]);
        const c = parseSqlServerUrl(url);
        return await connectMssql({
          server: c.host,
          port: c.port,
          user: c.user,
          password: c.password,
          database: c.database,
        });
      });
    }
    case "custom":
      return spec.open;
  }
}
