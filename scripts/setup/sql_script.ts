import type { Dialect } from "./db/source_db.ts";

const SQL_DIR = new URL("../../sql/", import.meta.url);

/** Reads `sql/<dialect>/<name>` (e.g. `schema.sql`) from the repository. */
export async function readSqlFile(dialect: Dialect, name: string): Promise<string> {
  const url = new URL(`${dialect}/${name}`, SQL_DIR);
  try {
    return await Deno.readTextFile(url);
  } catch (e) {
    throw new Error(`Cannot read SQL script "${url.pathname}": ${(e as Error).message}`, { cause: e });
  }
}

/**
 * Splits a T-SQL script into batches on lines holding only `GO` (any case, optional surrounding blanks and a
 * trailing `;`), like sqlcmd. A `GO` on the last line without a newline ends the last batch too; empty batches
 * are dropped.
 */
export function splitBatches(script: string): string[] {
  return script
    .split(/^[ \t]*GO[ \t]*;?[ \t]*(?:\r?\n|$)/gim)
    .map((b) => b.trim())
    .filter((b) => b.replace(/--[^\n]*/g, "").trim() !== "");
}
