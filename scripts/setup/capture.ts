import { ECOMMERCE_TABLES } from "../../pipeline/catalog/mod.ts";
import type { SourceDb } from "./db/source_db.ts";
import { captureTriggerNames, sqliteCaptureSql } from "./sqlite_capture.ts";
import { readSqlFile } from "./sql_script.ts";
import type { StepReport } from "./step_report.ts";

/** Options of {@linkcode enableCapture}. */
export interface CaptureOptions {
  /**
   * PostgreSQL publication that the Debezium connector reads (`publication.name`).
   * @default "lakestream"
   */
  publication?: string;
}

/**
 * Enables change capture on every catalog table, idempotently:
 * - SQLite: capture triggers into `_changes` (sqlite_capture.ts);
 * - PostgreSQL: REPLICA IDENTITY FULL (so updates and deletes carry full before-images) and a publication;
 * - SQL Server: `sys.sp_cdc_enable_db` and `sys.sp_cdc_enable_table` (sql/sqlserver/capture.sql).
 */
export async function enableCapture(db: SourceDb, options: CaptureOptions = {}): Promise<StepReport> {
  switch (db.dialect) {
    case "sqlite":
      return await enableSqlite(db);
    case "postgres":
      return await enablePostgres(db, options.publication ?? "lakestream");
    case "sqlserver":
      return await enableSqlServer(db);
  }
}

async function enableSqlite(db: SourceDb): Promise<StepReport> {
  const have = new Set(
    (await db.query<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'trigger'")).map((r) =>
      r.name
    ),
  );
  const todo = ECOMMERCE_TABLES.filter((t) => captureTriggerNames(t).some((n) => !have.has(n)));
  if (todo.length === 0) {
    return { step: "capture", changed: false, detail: "capture triggers into _changes up to date" };
  }
  await db.execScript(todo.map(sqliteCaptureSql).join("\n"));
  return {
    step: "capture",
    changed: true,
    detail: `created capture triggers into _changes on ${todo.length} tables`,
  };
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

async function enablePostgres(db: SourceDb, publication: string): Promise<StepReport> {
  if (!IDENTIFIER.test(publication)) {
    throw new TypeError(`Cannot create publication "${publication}": use lower-case letters, digits and _`);
  }
  const tables = ECOMMERCE_TABLES.map((t) => t.source.toLowerCase());
  const identities = await db.query<{ relname: string; relreplident: string }>(
    `SELECT relname, relreplident::text AS relreplident FROM pg_class
     WHERE relnamespace = current_schema()::regnamespace AND relkind = 'r'`,
  );
  const full = new Set(identities.filter((r) => r.relreplident === "f").map((r) => r.relname));
  const notFull = tables.filter((t) => !full.has(t));
  const changes: string[] = [];
  if (notFull.length > 0) {
    await db.transaction(async (tx) => {
      for (const t of notFull) await tx.exec(`ALTER TABLE ${t} REPLICA IDENTITY FULL`);
    });
    changes.push(`REPLICA IDENTITY FULL on ${notFull.length} tables`);
  }
  const exists = (await db.query("SELECT 1 FROM pg_publication WHERE pubname = ?", [publication])).length > 0;
  const published = new Set(
    (await db.query<{ tablename: string }>(
      "SELECT tablename FROM pg_publication_tables WHERE pubname = ? AND schemaname = current_schema()",
      [publication],
    )).map((r) => r.tablename),
  );
  const unpublished = tables.filter((t) => !published.has(t));
  if (!exists) {
    await db.exec(`CREATE PUBLICATION ${publication} FOR TABLE ${tables.join(", ")}`);
    changes.push(`publication ${publication} created for ${tables.length} tables`);
  } else if (unpublished.length > 0) {
    await db.exec(`ALTER PUBLICATION ${publication} ADD TABLE ${unpublished.join(", ")}`);
    changes.push(`publication ${publication} extended by ${unpublished.length} tables`);
  }
  return changes.length > 0 ? { step: "capture", changed: true, detail: changes.join(", ") } : {
    step: "capture",
    changed: false,
    detail: `publication ${publication} and REPLICA IDENTITY FULL up to date`,
  };
}

async function enableSqlServer(db: SourceDb): Promise<StepReport> {
  const state = async () => {
    const [dbRow] = await db.query<{ on: unknown }>(
      "SELECT CAST(is_cdc_enabled AS int) AS [on] FROM sys.databases WHERE name = DB_NAME()",
    );
    const tracked = await db.query<{ name: string }>(
      "SELECT name FROM sys.tables WHERE is_tracked_by_cdc = 1 AND schema_id = SCHEMA_ID('dbo')",
    );
    const names = new Set(tracked.map((t) => t.name.toLowerCase()));
    return {
      dbEnabled: Number(dbRow?.on) === 1,
      untracked: ECOMMERCE_TABLES.filter((t) => !names.has(t.source.toLowerCase())).map((t) => t.source),
    };
  };
  const before = await state();
  if (before.dbEnabled && before.untracked.length === 0) {
    return {
      step: "capture",
      changed: false,
      detail: "CDC enabled on the database and 15 tables, up to date",
    };
  }
  await db.execScript(await readSqlFile("sqlserver", "capture.sql"));
  const after = await state();
  if (!after.dbEnabled || after.untracked.length > 0) {
    throw new Error(
      `Cannot enable SQL Server CDC: still not tracked: ${
        after.dbEnabled ? after.untracked.join(", ") : "the database"
      } (needs sysadmin and SQL Server Agent)`,
    );
  }
  return {
    step: "capture",
    changed: true,
    detail: `${
      before.dbEnabled ? "" : "CDC enabled on the database, "
    }CDC enabled on ${before.untracked.length} tables`,
  };
}
