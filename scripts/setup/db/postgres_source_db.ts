// @ts-types="@types/pg"
import pg from "pg";
import { Decimal } from "../../../pipeline/value/mod.ts";
import { numberPlaceholders, type SourceDb, type SqlRow, type SqlValue } from "./source_db.ts";
import { type PgConnection, PipelinedTransactions } from "./postgres_pipeline.ts";

/** Where a PostgreSQL source is. */
export interface PostgresConfig {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  /**
   * Session settings applied to every connection (also after a reconnect), e.g.
   * `{ synchronous_commit: "off" }`.
   */
  settings?: Record<string, string>;
}

/** Parses `postgres://user:password@host:port/database` (also `postgresql://`). */
export function parsePostgresUrl(url: string): PostgresConfig {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new TypeError(
      `Cannot parse PostgreSQL URL "${url}": expected postgres://user:password@host:port/db`,
    );
  }
  if (u.protocol !== "postgres:" && u.protocol !== "postgresql:") {
    throw new TypeError(`Cannot parse PostgreSQL URL "${url}": the scheme must be postgres://`);
  }
  return {
    host: u.hostname || "127.0.0.1",
    port: u.port ? Number(u.port) : 5432,
    user: decodeURIComponent(u.username || "postgres"),
    password: decodeURIComponent(u.password),
    database: decodeURIComponent(u.pathname.replace(/^\//, "")) || "postgres",
  };
}

/** The URL of a config, with the password hidden, for messages. */
export function describePostgres(c: PostgresConfig): string {
  return `postgres://${c.user}@${c.host}:${c.port}/${c.database}`;
}

// SQLSTATEs worth retrying: serialization failure, deadlock, lock timeout, shutdown/crash recovery, too many
// connections; and any connection exception (class 08).
const TRANSIENT_STATES = new Set(["40001", "40P01", "55P03", "57P01", "57P02", "57P03", "53300"]);
const TRANSIENT_NET = new Set(["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH"]);

function toPg(v: SqlValue): unknown {
  if (v instanceof Decimal || typeof v === "bigint") return v.toString();
  return v;
}

class PostgresDb implements SourceDb {
  readonly dialect = "postgres";
  #config: PostgresConfig;
  #client: pg.Client | null = null;
  #connecting: Promise<pg.Client> | null = null;
  #names = new Map<string, string>();
  #closed = false;
  #lastError: Error | null = null;

  constructor(config: PostgresConfig) {
    this.#config = config;
  }

  #connection(): Promise<pg.Client> {
    if (this.#closed) {
      return Promise.reject(new Error(`Cannot use ${describePostgres(this.#config)}: closed`));
    }
    if (this.#client) return Promise.resolve(this.#client);
    this.#connecting ??= (async () => {
      const { settings, ...config } = this.#config;
      const options = Object.entries(settings ?? {}).map(([k, v]) => `-c ${k}=${v}`).join(" ");
      const client = new pg.Client({
        ...config,
        application_name: "lakestream",
        ...(options ? { options } : {}),
      });
      // A dropped connection is reported here when idle; the next call reconnects.
      client.on("error", (e: Error) => {
        this.#lastError = e;
        if (this.#client === client) this.#client = null;
      });
      try {
        await client.connect();
      } catch (e) {
        client.end().catch(() => {/* the connection never opened; nothing to close */});
        throw e;
      } finally {
        this.#connecting = null;
      }
      this.#client = client;
      return client;
    })();
    return this.#connecting;
  }

  async #run(sql: string, params: readonly SqlValue[] | undefined): Promise<pg.QueryResult> {
    const client = await this.#connection();
    try {
      if (!params || params.length === 0) return await client.query(sql);
      const text = numberPlaceholders(sql, (n) => `$${n}`);
      let name = this.#names.get(text);
      if (!name) {
        name = `lakestream_${this.#names.size + 1}`;
        this.#names.set(text, name);
      }
      return await client.query({ name, text, values: params.map(toPg) });
    } catch (e) {
      if (this.isTransient(e)) this.#drop(client);
      throw e;
    }
  }

  #drop(client: pg.Client): void {
    if (this.#client !== client) return;
    this.#client = null;
    // Prepared statement names belong to the connection: a new one starts without them.
    this.#names.clear();
    client.end().catch(() => {/* the connection is already broken; ending it is best effort */});
  }

  async query<T extends SqlRow = SqlRow>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return (await this.#run(sql, params)).rows as T[];
  }

  async exec(sql: string, params?: readonly SqlValue[]): Promise<number> {
    return (await this.#run(sql, params)).rowCount ?? 0;
  }

  async execScript(script: string): Promise<void> {
    await this.#run(script, undefined);
  }

  async execTransactions(transactions: readonly PipelineTransaction[]): Promise<TransactionsResult> {
    if (transactions.length === 0) return { committed: 0, error: null };
    const client = await this.#connection();
    const pipeline = new PipelinedTransactions(transactions.map(({ sql, params }) => {
      const text = numberPlaceholders(sql, (n) => `$${n}`);
      let name = this.#names.get(text);
      if (!name) {
        name = `lakestream_${this.#names.size + 1}`;
        this.#names.set(text, name);
      }
      return { name, text, values: params.map(pipelineValue) };
    }));
    client.query(pipeline as unknown as pg.Submittable);
    const { committed, error } = await pipeline.done;
    if (error === null) return { committed, error };
    if (this.isTransient(error)) {
      this.#drop(client);
      return { committed, error };
    }
    try {
      // The failed transaction is still open (aborted): end it. Parse messages after the error were skipped,
      // so no one knows which statements exist: forget them all, on both sides.
      await client.query("ROLLBACK");
      await client.query("DEALLOCATE ALL");
      (client as unknown as { connection: PgConnection }).connection.parsedStatements = {};
    } catch (e) {
      if (!this.isTransient(e)) throw e;
      this.#drop(client);
    }
    return { committed, error };
  }

  async transaction<T>(fn: (tx: SourceDb) => Promise<T>): Promise<T> {
    await this.#run("BEGIN", undefined);
    let result: T;
    try {
      result = await fn(this);
    } catch (e) {
      try {
        await this.#run("ROLLBACK", undefined);
      } catch {
        // The connection is gone: the server rolled the transaction back when it dropped.
      }
      throw e;
    }
    await this.#run("COMMIT", undefined);
    return result;
  }

  isTransient(error: unknown): boolean {
    if (!(error instanceof Error)) return false;
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string") {
      if (TRANSIENT_STATES.has(code) || code.startsWith("08") || TRANSIENT_NET.has(code)) return true;
    }
    return /Connection terminated|connection (is )?closed|Client has encountered a connection error/i.test(
      error.message,
    ) || (error === this.#lastError);
  }

  async close(): Promise<void> {
    this.#closed = true;
    const client = this.#client ?? (this.#connecting ? await this.#connecting.catch(() => null) : null);
    this.#client = null;
    if (client) await client.end();
  }
}

/** What {@linkcode PostgresSourceDb.execTransactions} did: how many transactions committed, and the failure. */
export interface TransactionsResult {
  /** Transactions committed, in order, before the failure (all of them when `error` is null). */
  committed: number;
  /** The error that stopped the string, or null. */
  error: unknown;
}

/** One transaction of {@linkcode PostgresSourceDb.execTransactions}: a statement with `?` placeholders. */
export interface PipelineTransaction {
  sql: string;
  params: readonly SqlValue[];
}

function pipelineValue(v: SqlValue): string | null {
  if (v === null) return null;
  if (typeof v === "boolean") return v ? "true" : "false";
  return v.toString();
}

/** A PostgreSQL {@linkcode SourceDb} with a batch path for many small transactions. */
export type PostgresSourceDb = SourceDb & {
  /**
   * Runs each statement as its own transaction (BEGIN; statement; COMMIT), all pipelined in one round trip, in
   * order; stops at the first failure, which rolls back that transaction only. Statements are prepared once
   * per connection (postgres_pipeline.ts).
   */
  execTransactions(transactions: readonly PipelineTransaction[]): Promise<TransactionsResult>;
};

/** A PostgreSQL {@linkcode SourceDb} (npm `pg`); connects on first use and reconnects after a lost connection. */
export function openPostgres(config: PostgresConfig): PostgresSourceDb {
  return new PostgresDb(config);
}

/**
 * Creates `config.database` when it does not exist (connecting to the `postgres` database to do so).
 * Returns whether it created it.
 */
export async function ensurePostgresDatabase(config: PostgresConfig): Promise<boolean> {
  const { settings: _settings, ...connection } = config;
  const admin = new pg.Client({ ...connection, database: "postgres", application_name: "lakestream" });
  await admin.connect();
  try {
    const found = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [config.database]);
    if (found.rowCount) return false;
    await admin.query(`CREATE DATABASE "${config.database.replaceAll('"', '""')}"`);
    return true;
  } finally {
    await admin.end();
  }
}
