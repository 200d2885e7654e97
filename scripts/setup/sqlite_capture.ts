/**
 * SQLite change capture: per table, AFTER INSERT / UPDATE / DELETE triggers that append to `_changes` (format in
 * sql/sqlite/schema.sql). The update trigger also maintains UpdatedAt: SQLite triggers cannot assign NEW, so it
 * logs the after-image with the new UpdatedAt and touches the row with a nested UPDATE, which does not fire the
 * same trigger again (recursive_triggers is off), giving one change per update instead of the original's two.
 * 'now' is fixed for the whole statement in SQLite, so the logged and the stored UpdatedAt agree.
 *
 * @module
 */
import type { TableDef } from "../../pipeline/catalog/mod.ts";

const NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

/** Source name of a table's single key column. */
export function keyColumn(table: TableDef): string {
  const col = table.columns.find((c) => c.name === table.key[0]);
  if (!col || table.key.length !== 1) {
    throw new TypeError(`Cannot capture table "${table.source}": it needs exactly one key column`);
  }
  return col.source;
}

/** Names of the three capture triggers of `table`. */
export function captureTriggerNames(table: TableDef): string[] {
  return ["insert", "update", "delete"].map((op) => `trg_${table.source}_capture_${op}`);
}

function image(table: TableDef, row: "OLD" | "NEW", updatedAt?: string): string {
  const pairs = table.columns.map((c) =>
    `'${c.source}', ${c.source === "UpdatedAt" && updatedAt ? updatedAt : `${row}.${c.source}`}`
  );
  return `json_object(${pairs.join(", ")})`;
}

/** The CREATE TRIGGER statements that capture `table` (idempotent: IF NOT EXISTS). */
export function sqliteCaptureSql(table: TableDef): string {
  const t = table.source;
  const key = keyColumn(table);
  const [ins, upd, del] = captureTriggerNames(table);
  const changed = table.columns.map((c) => `OLD.${c.source} IS NOT NEW.${c.source}`).join(" OR ");
  const hasUpdatedAt = table.columns.some((c) => c.source === "UpdatedAt");
  const touched = `CASE WHEN NEW.UpdatedAt IS OLD.UpdatedAt THEN ${NOW} ELSE NEW.UpdatedAt END`;
  const log = (op: string, before: string, after: string) =>
    `INSERT INTO _changes (table_name, op, before, after, committed_at) VALUES ('${t}', '${op}', ${before}, ${after}, ${NOW});`;
  return [
    `CREATE TRIGGER IF NOT EXISTS ${ins} AFTER INSERT ON ${t} BEGIN\n  ${
      log("c", "NULL", image(table, "NEW"))
    }\nEND;`,
    `CREATE TRIGGER IF NOT EXISTS ${upd} AFTER UPDATE ON ${t} WHEN ${changed} BEGIN\n` +
    (hasUpdatedAt
      ? `  UPDATE ${t} SET UpdatedAt = ${NOW} WHERE ${key} = NEW.${key} AND NEW.UpdatedAt IS OLD.UpdatedAt;\n`
      : "") +
    `  ${log("u", image(table, "OLD"), image(table, "NEW", hasUpdatedAt ? touched : undefined))}\nEND;`,
    `CREATE TRIGGER IF NOT EXISTS ${del} AFTER DELETE ON ${t} BEGIN\n  ${
      log("d", image(table, "OLD"), "NULL")
    }\nEND;`,
  ].join("\n");
}
