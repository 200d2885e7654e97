import type { Decimal } from "../../../pipeline/value/mod.ts";

/** The three source dialects Lakestream captures from. */
export type Dialect = "sqlite" | "postgres" | "sqlserver";

/** The dialects, in the order the CLIs list them. */
export const DIALECTS: readonly Dialect[] = ["sqlite", "postgres", "sqlserver"];

/**
 * A statement parameter. Decimals are sent as their exact text (never through a float), booleans as the
 * dialect's boolean (0/1 in SQLite).
 */
export type SqlValue = null | boolean | number | bigint | string | Decimal;

/** A result row: column name (as the database spells it; alias columns in lower case to be portable) → value. */
export type SqlRow = Record<string, unknown>;

/**
 * One connection to a source database, the only place where dialects differ in how they talk; what they say
 * (the SQL) differs in the callers.
 *
 * Guarantees every implementation keeps (checked by one contract suite, `source_db_contract.ts`):
 * - Statements use `?` placeholders in every dialect; the implementation rewrites them to its own form.
 * - Statements of one connection run one at a time in call order.
 * - {@linkcode SourceDb.transaction} commits when its callback resolves and rolls back when it throws, then
 *   rethrows; nothing of a failed transaction stays visible.
 * - Errors are thrown as they come from the driver, with {@linkcode SourceDb.isTransient} telling the ones worth
 *   retrying (lost connection, deadlock victim, serialization failure, busy database). After a lost connection
 *   the next call reconnects.
 */
export interface SourceDb {
  readonly dialect: Dialect;
  /** Runs one statement and returns its rows. */
  query<T extends SqlRow = SqlRow>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** Runs one statement and returns the number of rows it changed. */
  exec(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /**
   * Runs a script of several statements without parameters (DDL). SQL Server scripts are split into batches on
   * lines holding only `GO`, including a last `GO` without a trailing newline.
   */
  execScript(script: string): Promise<void>;
  /** Runs `fn` in one transaction on this connection. */
  transaction<T>(fn: (tx: SourceDb) => Promise<T>): Promise<T>;
  /** Whether `error` (thrown by this connection) is temporary: the same work may succeed when retried. */
  isTransient(error: unknown): boolean;
  /** Closes the connection; later calls throw. */
  close(): Promise<void>;
}

/**
 * Rewrites `?` placeholders (outside quoted strings and identifiers) with `mark(n)`, n counting from 1.
 */
export function numberPlaceholders(sql: string, mark: (n: number) => string): string {
  let out = "";
  let n = 0;
  let quote: string | null = null;
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = null;
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
    } else if (ch === "?") {
      out += mark(++n);
    } else {
      out += ch;
    }
  }
  return out;
}
