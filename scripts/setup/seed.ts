import type { SourceDb, SqlValue } from "./db/source_db.ts";
import { syncKeySequences } from "./key_sequences.ts";
import type { SeedData, SeedRow } from "./seed_catalog.ts";
import type { StepReport } from "./step_report.ts";

async function insertRows(db: SourceDb, table: string, rows: SeedRow[]): Promise<void> {
  for (const row of rows) {
    const cols = Object.keys(row);
    await db.exec(
      `INSERT INTO ${table} (${cols.join(", ")}) VALUES (${cols.map(() => "?").join(", ")})`,
      cols.map((c) => row[c] as SqlValue),
    );
  }
}

async function count(db: SourceDb, table: string): Promise<number> {
  const [row] = await db.query<{ n: unknown }>(`SELECT COUNT(*) AS n FROM ${table}`);
  return Number(row.n);
}

/**
 * Loads the seed idempotently, in one transaction: reference rows whose key is missing, and the starting catalog
 * only into a fresh database (all catalog tables empty); a catalog the faker has since changed is left alone.
 */
export async function applySeed(db: SourceDb, data: SeedData): Promise<StepReport> {
  const done: string[] = [];
  const touched: string[] = [];
  let catalogNote = "";
  await db.transaction(async (tx) => {
    for (const { table, key, rows } of data.reference) {
      const have = new Set(
        (await tx.query<{ k: unknown }>(`SELECT ${key} AS k FROM ${table}`)).map((r) => Number(r.k)),
      );
      const missing = rows.filter((r) => !have.has(Number(r[key])));
      if (missing.length > 0) {
        await insertRows(tx, table, missing);
        done.push(`${missing.length} ${table}`);
        touched.push(table);
      }
    }
    const counts: number[] = [];
    for (const c of data.catalog) counts.push(await count(tx, c.table));
    if (counts.every((n) => n === 0)) {
      for (const { table, rows } of data.catalog) {
        await insertRows(tx, table, rows);
        done.push(`${rows.length} ${table}`);
        touched.push(table);
      }
    } else {
      catalogNote = `catalog present (${
        data.catalog.map((c, i) => `${counts[i]} ${c.table}`).join(", ")
      }), left alone`;
    }
  });
  if (touched.length > 0) await syncKeySequences(db, touched);
  if (done.length === 0) {
    return { step: "seed", changed: false, detail: `reference data up to date; ${catalogNote}` };
  }
  return {
    step: "seed",
    changed: true,
    detail: `inserted ${done.join(", ")}${catalogNote ? `; ${catalogNote}` : ""}`,
  };
}
