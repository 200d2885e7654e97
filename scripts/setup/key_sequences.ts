import { ECOMMERCE_TABLES } from "../../pipeline/catalog/mod.ts";
import type { SourceDb } from "./db/source_db.ts";
import { keyColumn } from "./sqlite_capture.ts";

/**
 * Moves each table's key generator past its largest key, after rows were inserted with explicit keys (the
 * seeder and the faker decide keys themselves), so later inserts that rely on the default do not collide.
 * PostgreSQL identity columns and SQL Server sequences; SQLite needs nothing (INTEGER PRIMARY KEY takes max+1).
 */
export async function syncKeySequences(db: SourceDb, tables: readonly string[]): Promise<void> {
  for (const name of tables) {
    const table = ECOMMERCE_TABLES.find((t) => t.source === name);
    if (!table) throw new RangeError(`Cannot sync the key sequence of "${name}": not a catalog table`);
    const key = keyColumn(table);
    if (db.dialect === "postgres") {
      await db.query(
        `SELECT setval(pg_get_serial_sequence('${name.toLowerCase()}', '${key.toLowerCase()}'),
                (SELECT COALESCE(MAX(${key}), 0) + 1 FROM ${name}), false)`,
      );
    } else if (db.dialect === "sqlserver") {
      await db.exec(
        `DECLARE @next int = (SELECT ISNULL(MAX(${key}), 0) + 1 FROM dbo.${name});
         DECLARE @current int = (SELECT CAST(current_value AS int) FROM sys.sequences
                                 WHERE object_id = OBJECT_ID(N'dbo.${name}_${key}_seq'));
         IF @current < @next BEGIN
           DECLARE @sql nvarchar(200) = N'ALTER SEQUENCE dbo.${name}_${key}_seq RESTART WITH ' + CAST(@next AS nvarchar(20));
           EXEC (@sql);
         END`,
      );
    }
  }
}
