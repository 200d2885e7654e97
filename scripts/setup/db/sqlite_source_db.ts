import { DatabaseSync, type SQLInputValue, type StatementSync } from "node:sqlite";
import { Decimal } from "../../../pipeline/value/mod.ts";
import type { SourceDb, SqlRow, SqlValue } from "./source_db.ts";

/** Options of {@linkcode openSqlite}. */
export interface SqliteOptions {
  /**
   * How long a statement waits for another connection's write lock before failing with "database is locked".
   * @default 5000
   */
  busyTimeoutMs?: number;
}

// SQLite result codes (low byte of the extended code) that mean "try again later".
const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;

function toSqlite(v: SqlValue): SQLInputValue {
  if (typeof v === "boolean") return v ? 1 : 0;
  if (v instanceof Decimal) return v.toString();
  return v;
}

class SqliteDb implements SourceDb {
  readonly dialect = "sqlite";
  #db: DatabaseSync;
  #statements = new Map<string, StatementSync>();
  #inTransaction = false;

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  #prepare(sql: string): StatementSync {
    let st = this.#statements.get(sql);
    if (!st) {
      st = this.#db.prepare(sql);
      this.#statements.set(sql, st);
    }
    return st;
  }

  // deno-lint-ignore require-await -- async so that failures reject rather than throw (SourceDb contract)
  async query<T extends SqlRow = SqlRow>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return this.querySync<T>(sql, params);
  }

  /** {@linkcode SourceDb.query} without the promise, for in-process callers on the hot path. */
  querySync<T extends SqlRow = SqlRow>(sql: string, params: readonly SqlValue[] = []): T[] {
    return this.#prepare(sql).all(...params.map(toSqlite)) as T[];
  }

  // deno-lint-ignore require-await -- async so that failures reject rather than throw
  async exec(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return this.execSync(sql, params);
  }

  /** {@linkcode SourceDb.exec} without the promise. */
  execSync(sql: string, params: readonly SqlValue[] = []): number {
    return Number(this.#prepare(sql).run(...params.map(toSqlite)).changes);
  }

  // deno-lint-ignore require-await -- async so that failures reject rather than throw
  async execScript(script: string): Promise<void> {
    this.#db.exec(script);
  }

  async transaction<T>(fn: (tx: SourceDb) => Promise<T>): Promise<T> {
    this.#begin();
    try {
      const result = await fn(this);
      this.#db.exec("COMMIT");
      return result;
    } catch (e) {
      this.#rollback();
      throw e;
    } finally {
      this.#inTransaction = false;
    }
  }

  /** {@linkcode SourceDb.transaction} for a synchronous callback: no other work can interleave. */
  transactionSync<T>(fn: () => T): T {
    this.#begin();
    try {
      const result = fn();
      this.#db.exec("COMMIT");
      return result;
    } catch (e) {
      this.#rollback();
      throw e;
    } finally {
      this.#inTransaction = false;
    }
  }

  #begin(): void {
    if (this.#inTransaction) throw new Error("Cannot begin a transaction on SQLite: one is already open");
    // IMMEDIATE takes the write lock up front, so a busy database fails here (retryable) rather than at the
    // first write after reads, where SQLite cannot wait for the lock.
    this.#db.exec("BEGIN IMMEDIATE");
    this.#inTransaction = true;
  }

  #rollback(): void {
    // SQLite may already have rolled back on its own (e.g. after SQLITE_FULL); then ROLLBACK is not needed.
    if (this.#db.isTransaction) this.#db.exec("ROLLBACK");
  }

  isTransient(error: unknown): boolean {
    if (!(error instanceof Error)) return false;
    const code = (error as { errcode?: unknown }).errcode;
    if (typeof code === "number") return (code & 0xff) === SQLITE_BUSY || (code & 0xff) === SQLITE_LOCKED;
    return /database (table )?is locked|database is busy/i.test(error.message);
  }

  close(): Promise<void> {
    this.#statements.clear();
    if (this.#db.isOpen) this.#db.close();
    return Promise.resolve();
  }
}

/** A SQLite {@linkcode SourceDb} with its synchronous fast paths. */
export type SqliteSourceDb = SourceDb & {
  querySync<T extends SqlRow = SqlRow>(sql: string, params?: readonly SqlValue[]): T[];
  execSync(sql: string, params?: readonly SqlValue[]): number;
  transactionSync<T>(fn: () => T): T;
};

/**
 * Opens (creating it when missing) a SQLite source database at `path` (`:memory:` for a private in-memory one):
 * WAL journal so a reader process can follow while a writer writes, a busy timeout, foreign keys enforced,
 * synchronous=NORMAL (durable at checkpoints; a crash can lose the last commits, never half of one).
 */
export function openSqlite(path: string, options: SqliteOptions = {}): SqliteSourceDb {
  if (path !== ":memory:") {
    const dir = path.replace(/[^/]*$/, "");
    if (dir) Deno.mkdirSync(dir, { recursive: true });
  }
  const db = new DatabaseSync(path);
  try {
    db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
    if (path !== ":memory:") db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA synchronous = NORMAL");
    db.exec("PRAGMA foreign_keys = ON");
    // The capture triggers touch UpdatedAt with a nested UPDATE that must not fire the same trigger again.
    db.exec("PRAGMA recursive_triggers = OFF");
  } catch (e) {
    db.close();
    throw new Error(`Cannot open SQLite database "${path}": ${(e as Error).message}`, { cause: e });
  }
  return new SqliteDb(db);
}
