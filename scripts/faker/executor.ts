/**
 * Executes the row changes of one operation as one source transaction, per dialect, verifying that each change
 * touched exactly one row:
 * - SQLite: prepared statements inside BEGIN IMMEDIATE … COMMIT, in process; updates set UpdatedAt.
 * - PostgreSQL: one prepared statement per operation shape, chaining its changes as data-modifying CTEs, in
 *   BEGIN … COMMIT; the operations that are due are pipelined in one round trip (each still its own
 *   transaction). A change that misses its row fails the statement (an impossible cast naming the change), so
 *   the operation rolls back whole. UpdatedAt comes from the BEFORE trigger.
 * - SQL Server: one parameterized batch with XACT_ABORT; each change OUTPUTs its key into a table variable and
 *   a THROW rolls everything back when a change missed its row (counted that way rather than by @@ROWCOUNT,
 *   which trigger bodies may disturb); UpdatedAt is set in each UPDATE, so the AFTER trigger does not write a
 *   second CDC row.
 *
 * @module
 */
import { ECOMMERCE_TABLES } from "../../pipeline/catalog/mod.ts";
import {
  keyColumn,
  type PostgresSourceDb,
  type SourceDb,
  type SqliteSourceDb,
  type SqlValue,
} from "../setup/mod.ts";
import type { RowChange } from "./row_changes.ts";

/** A change did not touch exactly one row: the faker's model disagrees with the database. */
export class StaleModelError extends Error {
  override name = "StaleModelError";
}

/** What {@linkcode ChangeExecutor.applyAll} did: operations committed in order, and what stopped it. */
export interface BatchResult {
  committed: number;
  /** The failure of operation number `committed`, or null when all committed. */
  error: unknown;
}

/** Applies the row changes of operations, each atomically as its own transaction. */
export interface ChangeExecutor {
  /** How many operations are worth sending at once. */
  readonly maxBatch: number;
  /** Applies each operation in order, stopping at the first failure (which leaves nothing of that operation). */
  applyAll(batch: readonly (readonly RowChange[])[]): Promise<BatchResult>;
  /** Applies one operation; rejects with its failure. */
  apply(changes: readonly RowChange[]): Promise<void>;
}

/** Runs one operation at a time. */
abstract class OneByOne implements ChangeExecutor {
  readonly maxBatch: number = 1;
  abstract apply(changes: readonly RowChange[]): Promise<void>;
  async applyAll(batch: readonly (readonly RowChange[])[]): Promise<BatchResult> {
    for (let i = 0; i < batch.length; i++) {
      try {
        await this.apply(batch[i]);
      } catch (error) {
        return { committed: i, error };
      }
    }
    return { committed: batch.length, error: null };
  }
}

interface Rendered {
  sql: string;
  params: SqlValue[];
}

/**
 * One change as a statement with `?` placeholders. `updatedAt`: an expression to set UpdatedAt to in updates
 * (dialects without a BEFORE trigger). `outputInto`: a table variable that receives the changed row's key
 * (SQL Server counts changed rows that way, unaffected by triggers).
 */
function render(c: RowChange, updatedAt: string | null = null, outputInto: string | null = null): Rendered {
  const output = (image: "inserted" | "deleted", key: string) =>
    outputInto ? ` OUTPUT ${image}.${key} INTO ${outputInto}` : "";
  switch (c.kind) {
    case "insert": {
      const cols = Object.keys(c.row);
      const table = ECOMMERCE_TABLES.find((t) => t.source === c.table);
      if (!table) throw new RangeError(`Cannot insert into "${c.table}": not a catalog table`);
      return {
        sql: `INSERT INTO ${c.table} (${cols.join(", ")})${output("inserted", keyColumn(table))} VALUES (${
          cols.map(() => "?").join(", ")
        })`,
        params: cols.map((k) => c.row[k]),
      };
    }
    case "update": {
      const set = Object.keys(c.set ?? {});
      const add = Object.keys(c.add ?? {});
      const parts = [...set.map((k) => `${k} = ?`), ...add.map((k) => `${k} = ${k} + ?`)];
      if (updatedAt) parts.push(`UpdatedAt = ${updatedAt}`);
      return {
        sql: `UPDATE ${c.table} SET ${parts.join(", ")}${output("inserted", c.key)} WHERE ${c.key} = ?`,
        params: [...set.map((k) => c.set![k]), ...add.map((k) => c.add![k]), c.id],
      };
    }
    case "delete":
      return { sql: `DELETE FROM ${c.table}${output("deleted", c.key)} WHERE ${c.key} = ?`, params: [c.id] };
  }
}

function describe(c: RowChange): string {
  return c.kind === "insert" ? `insert into ${c.table}` : `${c.kind} of ${c.table} ${c.key} ${c.id}`;
}

/**
 * SQLite updates set UpdatedAt themselves: the capture trigger then logs them as they are instead of touching
 * the row with a second, nested UPDATE (same single change, half the writes).
 */
const SQLITE_NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

class SqliteExecutor extends OneByOne {
  #db: SqliteSourceDb;
  constructor(db: SqliteSourceDb) {
    super();
    this.#db = db;
  }
  // deno-lint-ignore require-await -- async so that failures reject instead of throwing synchronously
  async apply(changes: readonly RowChange[]): Promise<void> {
    this.#db.transactionSync(() => {
      for (const c of changes) {
        const { sql, params } = render(c, SQLITE_NOW);
        const n = this.#db.execSync(sql, params);
        if (n !== 1) throw new StaleModelError(`Stale faker model: ${describe(c)} changed ${n} rows`);
      }
    });
  }
}

const STALE_MARK = "Lakestream faker stale model: change ";

/**
 * The statement of one operation: its changes as data-modifying CTEs, failing unless each changed exactly one
 * row. The text depends only on the operation's shape (prepared once per shape); the values are parameters.
 */
export function postgresStatement(changes: readonly RowChange[]): { sql: string; params: SqlValue[] } {
  const parts = changes.map((c) => render(c));
  // The cast fails at run time only (it depends on the CTE), never at plan time.
  const checks = parts.map((_, i) =>
    `CASE WHEN (SELECT count(*) FROM s${i}) = 1 THEN 1 ` +
    `ELSE CAST('${STALE_MARK}${i} changed ' || (SELECT count(*) FROM s${i}) AS int) END`
  );
  return {
    sql: `WITH ${parts.map((p, i) => `s${i} AS (${p.sql} RETURNING 1)`).join(", ")} SELECT ${
      checks.join(", ")
    }`,
    params: parts.flatMap((p) => p.params),
  };
}

class PostgresExecutor implements ChangeExecutor {
  readonly maxBatch = 32;
  #db: PostgresSourceDb;
  constructor(db: PostgresSourceDb) {
    this.#db = db;
  }
  async applyAll(batch: readonly (readonly RowChange[])[]): Promise<BatchResult> {
    const { committed, error } = await this.#db.execTransactions(batch.map(postgresStatement));
    const stale = error instanceof Error
      ? new RegExp(`${STALE_MARK}(\\d+) changed (\\d+)`).exec(error.message)
      : null;
    if (stale) {
      const change = batch[committed][Number(stale[1])];
      return {
        committed,
        error: new StaleModelError(`Stale faker model: ${describe(change)} changed ${stale[2]} rows`, {
          cause: error,
        }),
      };
    }
    return { committed, error };
  }
  async apply(changes: readonly RowChange[]): Promise<void> {
    const { error } = await this.applyAll([changes]);
    if (error !== null) throw error;
  }
}

/** The error number the SQL Server batch throws when a change misses its row. */
const STALE_ROW = 50001;

class SqlServerExecutor extends OneByOne {
  #db: SourceDb;
  constructor(db: SourceDb) {
    super();
    this.#db = db;
  }
  async apply(changes: readonly RowChange[]): Promise<void> {
    const parts = changes.map((c) => render(c, "SYSUTCDATETIME()", "@changed"));
    const body = parts.map((p, i) =>
      `${p.sql};\nIF (SELECT COUNT(*) FROM @changed) <> 1 THROW ${STALE_ROW}, N'Stale faker model: ${
        describe(changes[i]).replaceAll("'", "''")
      } missed its row', 1;\nDELETE FROM @changed;`
    );
    const sql = `SET XACT_ABORT ON;\nDECLARE @changed TABLE (k int);\nBEGIN TRANSACTION;\n${
      body.join("\n")
    }\nCOMMIT TRANSACTION;`;
    try {
      await this.#db.exec(sql, parts.flatMap((p) => p.params));
    } catch (e) {
      if ((e as { number?: unknown }).number === STALE_ROW) throw new StaleModelError((e as Error).message);
      throw e;
    }
  }
}

/** The executor for `db`'s dialect. */
export function createExecutor(db: SourceDb): ChangeExecutor {
  switch (db.dialect) {
    case "sqlite":
      return new SqliteExecutor(db as SqliteSourceDb);
    case "postgres":
      return new PostgresExecutor(db as PostgresSourceDb);
    case "sqlserver":
      return new SqlServerExecutor(db);
  }
}
