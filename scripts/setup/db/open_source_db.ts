import { stackEnv } from "../../stack/env.ts";
import type { Dialect, SourceDb } from "./source_db.ts";
import { openSqlite } from "./sqlite_source_db.ts";
import {
  describePostgres,
  ensurePostgresDatabase,
  openPostgres,
  parsePostgresUrl,
  type PostgresConfig,
} from "./postgres_source_db.ts";
import {
  ensureSqlServerDatabase,
  openSqlServer,
  parseSqlServerUrl,
  type SqlServerConfig,
} from "./sqlserver_source_db.ts";

/** A resolved source database: dialect and where it is. */
export type SourceTarget =
  | { dialect: "sqlite"; path: string }
  | { dialect: "postgres"; config: PostgresConfig }
  | { dialect: "sqlserver"; config: SqlServerConfig };

/** How the CLIs name a source: a dialect and, optionally, where it is. */
export interface SourceOptions {
  dialect: Dialect;
  /**
   * SQLite database file (`:memory:` for a private in-memory one).
   * @default "./data/source.sqlite"
   */
  db?: string;
  /**
   * PostgreSQL or SQL Server URL (`postgres://user:pass@host:port/db`, `sqlserver://…`).
   * @default PostgreSQL: the local stack's (stackEnv()); SQL Server: $LAKESTREAM_SQLSERVER_URL, else
   * sqlserver://sa:$MSSQL_SA_PASSWORD@127.0.0.1:1433/testdb
   */
  url?: string;
}

/** The default SQLite source file. */
export const DEFAULT_SQLITE_PATH = "./data/source.sqlite";

/** Resolves the options to a target, filling defaults (the local stack for PostgreSQL). */
export function resolveSource(options: SourceOptions): SourceTarget {
  switch (options.dialect) {
    case "sqlite":
      if (options.url) throw new TypeError("Cannot use --url with --dialect sqlite: use --db PATH");
      return { dialect: "sqlite", path: options.db ?? DEFAULT_SQLITE_PATH };
    case "postgres": {
      if (options.db) throw new TypeError("Cannot use --db with --dialect postgres: use --url postgres://…");
      if (options.url) return { dialect: "postgres", config: parsePostgresUrl(options.url) };
      const pg = stackEnv({ services: ["postgres"] }).postgres;
      return { dialect: "postgres", config: { ...pg } };
    }
    case "sqlserver": {
      if (options.db) {
        throw new TypeError("Cannot use --db with --dialect sqlserver: use --url sqlserver://…");
      }
      const url = options.url ?? Deno.env.get("LAKESTREAM_SQLSERVER_URL") ??
        `sqlserver://sa:${encodeURIComponent(Deno.env.get("MSSQL_SA_PASSWORD") ?? "")}@127.0.0.1:1433/testdb`;
      return { dialect: "sqlserver", config: parseSqlServerUrl(url) };
    }
  }
}

/** A short description of the target for messages (no password). */
export function describeSource(target: SourceTarget): string {
  switch (target.dialect) {
    case "sqlite":
      return `sqlite:${target.path}`;
    case "postgres":
      return describePostgres(target.config);
    case "sqlserver":
      return `sqlserver://${target.config.user}@${target.config.host}:${target.config.port}/${target.config.database}`;
  }
}

/** Opens a connection to the target. */
export function openSourceDb(target: SourceTarget): SourceDb {
  switch (target.dialect) {
    case "sqlite":
      return openSqlite(target.path);
    case "postgres":
      return openPostgres(target.config);
    case "sqlserver":
      return openSqlServer(target.config);
  }
}

/** Creates the target database when it does not exist (SQLite creates its file on open). Returns whether it did. */
export async function ensureDatabase(target: SourceTarget): Promise<boolean> {
  switch (target.dialect) {
    case "sqlite":
      if (target.path === ":memory:") return false;
      try {
        await Deno.stat(target.path);
        return false;
      } catch (e) {
        if (e instanceof Deno.errors.NotFound) return true;
        throw e;
      }
    case "postgres":
      return await ensurePostgresDatabase(target.config);
    case "sqlserver":
      return await ensureSqlServerDatabase(target.config);
  }
}
