// @ts-types="@types/mssql"
import mssql from "mssql";
import { Decimal } from "../../../pipeline/value/mod.ts";
import { numberPlaceholders, type SourceDb, type SqlRow, type SqlValue } from "./source_db.ts";
import { splitBatches } from "../sql_script.ts";

/** Where a SQL Server source is. */
export interface SqlServerConfig {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

/** Parses `sqlserver://user:password@host:port/database` (also `mssql://`). */
export function parseSqlServerUrl(url: string): SqlServerConfig {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new TypeError(
      `Cannot parse SQL Server URL "${url}": expected sqlserver://user:password@host:port/db`,
    );
  }
  if (u.protocol !== "sqlserver:" && u.protocol !== "mssql:") {
    throw new TypeError(`Cannot parse SQL Server URL "${url}": the scheme must be sqlserver:// or mssql://`);
  }
  return {
    host: u.hostname || "127.0.0.1",
    port: u.port ? Number(u.port) : 1433,
    user: decodeURIComponent(u.username || "sa"),
    password: decodeURIComponent(u.password),
    database: decodeURIComponent(u.pathname.replace(/^\//, "")) || "testdb",
  };
}

// Deadlock victim, lock timeout, and Azure's transient throttling/failover errors.
const TRANSIENT_NUMBERS = new Set([1205, 1222, 40197, 40501, 40613, 49918, 49919, 49920]);
const TRANSIENT_CODES = new Set([
  "ESOCKET",
  "ECONNRESET",
  "ETIMEOUT",
  "ECONNCLOSED",
  "ENOTOPEN",
  "ECONNREFUSED",
]);

function toMssql(v: SqlValue): unknown {
  if (v instanceof Decimal || typeof v === "bigint") return v.toString();
  return v;
}

type Runner = { request(): mssql.Request };

function request(on: Runner, params: readonly SqlValue[]): mssql.Request {
  const r = on.request();
  params.forEach((p, i) => r.input(`p${i + 1}`, toMssql(p)));
  return r;
}

class SqlServerSourceDb implements SourceDb {
  readonly dialect = "sqlserver";
  #pool: mssql.ConnectionPool;
  #connected: Promise<mssql.ConnectionPool> | null = null;
  #on: Runner | null;

  constructor(pool: mssql.ConnectionPool, on: Runner | null = null) {
    this.#pool = pool;
    this.#on = on;
  }

  async #runner(): Promise<Runner> {
    if (this.#on) return this.#on;
    // The pool reconnects by itself after a lost connection.
    this.#connected ??= this.#pool.connect();
    try {
      return await this.#connected;
    } catch (e) {
      this.#connected = null;
      throw e;
    }
  }

  async query<T extends SqlRow = SqlRow>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    const text = numberPlaceholders(sql, (n) => `@p${n}`);
    return (await request(await this.#runner(), params).query(text)).recordset as unknown as T[];
  }

  async exec(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    const text = numberPlaceholders(sql, (n) => `@p${n}`);
    const result = await request(await this.#runner(), params).query(text);
    return result.rowsAffected.reduce((a, b) => a + b, 0);
  }

  async execScript(script: string): Promise<void> {
    const on = await this.#runner();
    for (const batch of splitBatches(script)) await on.request().batch(batch);
  }

  async transaction<T>(fn: (tx: SourceDb) => Promise<T>): Promise<T> {
    if (this.#on) throw new Error("Cannot begin a transaction on SQL Server: one is already open");
    await this.#runner();
    const tx = new mssql.Transaction(this.#pool);
    await tx.begin();
    let result: T;
    try {
      result = await fn(new SqlServerSourceDb(this.#pool, tx));
    } catch (e) {
      try {
        await tx.rollback();
      } catch {
        // XACT_ABORT or a lost connection already rolled it back.
      }
      throw e;
    }
    await tx.commit();
    return result;
  }

  isTransient(error: unknown): boolean {
    if (!(error instanceof Error)) return false;
    const e = error as { number?: unknown; code?: unknown; originalError?: { info?: { number?: unknown } } };
    const number = e.number ?? e.originalError?.info?.number;
    return (typeof number === "number" && TRANSIENT_NUMBERS.has(number)) ||
      (typeof e.code === "string" && TRANSIENT_CODES.has(e.code));
  }

  async close(): Promise<void> {
    if (!this.#on) await this.#pool.close();
  }
}

function poolConfig(c: SqlServerConfig, database: string): mssql.config {
  return {
    server: c.host,
    port: c.port,
    user: c.user,
    password: c.password,
    database,
    pool: { max: 1, min: 0 },
    // useUTC: DATETIME2 values are UTC wall-clock times (Debezium's convention too).
    options: { encrypt: false, trustServerCertificate: true, useUTC: true },
  };
}

/** A SQL Server {@linkcode SourceDb} (npm `mssql`, one connection); connects on first use. */
export function openSqlServer(config: SqlServerConfig): SourceDb {
  return new SqlServerSourceDb(new mssql.ConnectionPool(poolConfig(config, config.database)));
}

/** Creates `config.database` when missing (connecting to `master`). Returns whether it created it. */
export async function ensureSqlServerDatabase(config: SqlServerConfig): Promise<boolean> {
  const pool = new mssql.ConnectionPool(poolConfig(config, "master"));
  await pool.connect();
  try {
    const found = await pool.request().input("name", config.database).query(
      "SELECT 1 AS found FROM sys.databases WHERE name = @name",
    );
    if (found.recordset.length > 0) return false;
    await pool.request().batch(`CREATE DATABASE [${config.database.replaceAll("]", "]]")}]`);
    return true;
  } finally {
    await pool.close();
  }
}
