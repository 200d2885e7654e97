import { ECOMMERCE_TABLES, normalizeName, type TableDef } from "../../pipeline/catalog/mod.ts";
import type { PrimitiveType } from "../../pipeline/delta/schema/types.ts";
import type { Dialect, SourceDb } from "./db/source_db.ts";
import { readSqlFile } from "./sql_script.ts";
import type { StepReport } from "./step_report.ts";

/** One column of a live source table, as the database describes it. */
export interface LiveColumn {
  name: string;
  /** The dialect's type, lower case, with precision and scale for decimals: `numeric(18,2)`, `integer`. */
  type: string;
  nullable: boolean;
}

/** Live tables by lower-case name → columns in ordinal order. */
export type LiveSchema = Map<string, LiveColumn[]>;

const INTROSPECT: Record<Dialect, string> = {
  sqlite: `SELECT m.name AS table_name, p.name AS column_name, lower(p.type) AS data_type,
             p."notnull" = 0 AND p.pk = 0 AS nullable, NULL AS num_precision, NULL AS num_scale
           FROM sqlite_master AS m JOIN pragma_table_info(m.name) AS p
           WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'
           ORDER BY m.name, p.cid`,
  postgres: `SELECT table_name, column_name, data_type, is_nullable = 'YES' AS nullable,
               numeric_precision AS num_precision, numeric_scale AS num_scale
             FROM information_schema.columns WHERE table_schema = current_schema()
             ORDER BY table_name, ordinal_position`,
  sqlserver: `SELECT TABLE_NAME AS table_name, COLUMN_NAME AS column_name, DATA_TYPE AS data_type,
                CASE WHEN IS_NULLABLE = 'YES' THEN 1 ELSE 0 END AS nullable,
                NUMERIC_PRECISION AS num_precision, NUMERIC_SCALE AS num_scale
              FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = 'dbo'
              ORDER BY TABLE_NAME, ORDINAL_POSITION`,
};

/** Reads the tables and columns of the source database's default schema. */
export async function introspectSchema(db: SourceDb): Promise<LiveSchema> {
  const rows = await db.query<{
    table_name: string;
    column_name: string;
    data_type: string;
    nullable: unknown;
    num_precision: unknown;
    num_scale: unknown;
  }>(INTROSPECT[db.dialect]);
  const schema: LiveSchema = new Map();
  for (const r of rows) {
    const table = r.table_name.toLowerCase();
    let type = r.data_type.toLowerCase();
    if ((type === "numeric" || type === "decimal") && r.num_precision != null) {
      type = `${type}(${Number(r.num_precision)},${Number(r.num_scale)})`;
    }
    const cols = schema.get(table) ?? [];
    cols.push({ name: r.column_name, type, nullable: Boolean(Number(r.nullable)) });
    schema.set(table, cols);
  }
  return schema;
}

// The dialect types each lake type may come from.
const TYPES: Record<Dialect, (lake: PrimitiveType | string) => string[]> = {
  sqlite: (t) => t === "integer" || t === "boolean" ? ["integer"] : ["text"],
  postgres: (t) =>
    t === "integer"
      ? ["integer"]
      : t === "boolean"
      ? ["boolean"]
      : t === "timestamp"
      ? ["timestamp with time zone"]
      : t.startsWith("decimal(")
      ? [t.replace("decimal", "numeric")]
      : ["text", "character varying"],
  sqlserver: (t) =>
    t === "integer"
      ? ["int"]
      : t === "boolean"
      ? ["bit"]
      : t === "timestamp"
      ? ["datetime2"]
      : t.startsWith("decimal(")
      ? [t]
      : ["nvarchar", "varchar"],
};

/**
 * Differences between the live schema and the catalog (`ECOMMERCE_TABLES`): missing tables, and for tables
 * that exist, missing, extra, mistyped or wrongly nullable columns. Empty when they agree.
 */
export function compareWithCatalog(
  dialect: Dialect,
  live: LiveSchema,
  tables: readonly TableDef[] = ECOMMERCE_TABLES,
): { missing: string[]; problems: string[] } {
  const missing: string[] = [];
  const problems: string[] = [];
  for (const table of tables) {
    const cols = live.get(table.source.toLowerCase());
    if (!cols) {
      missing.push(table.source);
      continue;
    }
    const byName = new Map(cols.map((c) => [normalizeName(c.name), c]));
    for (const want of table.columns) {
      const have = byName.get(normalizeName(want.source));
      if (!have) {
        problems.push(`table ${table.source} has no column ${want.source}`);
        continue;
      }
      byName.delete(normalizeName(want.source));
      const allowed = TYPES[dialect](want.type);
      if (!allowed.includes(have.type)) {
        problems.push(
          `column ${table.source}.${want.source} is ${have.type}, expected ${
            allowed.join(" or ")
          } (lake ${want.type})`,
        );
      }
      if (have.nullable !== want.nullable) {
        problems.push(
          `column ${table.source}.${want.source} is ${have.nullable ? "nullable" : "NOT NULL"}, expected ${
            want.nullable ? "nullable" : "NOT NULL"
          }`,
        );
      }
    }
    for (const extra of byName.values()) {
      problems.push(`table ${table.source} has an extra column ${extra.name}`);
    }
  }
  return { missing, problems };
}

// Objects besides tables that the schema script creates: the UpdatedAt triggers.
const TRIGGERS: Record<Dialect, { sql: string; expected: (t: TableDef) => string[] }> = {
  // SQLite keeps UpdatedAt in its capture triggers (sqlite_capture.ts), checked by the capture step.
  sqlite: { sql: "", expected: () => [] },
  postgres: {
    sql: `SELECT t.tgname AS name FROM pg_trigger AS t JOIN pg_class AS c ON c.oid = t.tgrelid
          WHERE c.relnamespace = current_schema()::regnamespace AND NOT t.tgisinternal`,
    expected: (t) => [`trg_${t.source}_skip_noop`, `trg_${t.source}_touch`],
  },
  sqlserver: {
    sql: "SELECT name FROM sys.triggers WHERE parent_class = 1",
    expected: (t) => [`trg_${t.source}_Update`],
  },
};

/**
 * Creates the source schema from `sql/<dialect>/schema.sql` unless every table and trigger already exists.
 * Refuses (throws) when existing tables disagree with the catalog, rather than touching data it does not know.
 */
export async function ensureSchema(db: SourceDb): Promise<StepReport> {
  const before = compareWithCatalog(db.dialect, await introspectSchema(db));
  if (before.problems.length > 0) {
    throw new Error(
      `Cannot set up the ${db.dialect} source schema: existing tables differ from the catalog: ${
        before.problems.join("; ")
      }`,
    );
  }
  const missingTriggers = await missingTriggerNames(db);
  if (before.missing.length === 0 && missingTriggers.length === 0) {
    return { step: "schema", changed: false, detail: `${ECOMMERCE_TABLES.length} tables up to date` };
  }
  await db.execScript(await readSqlFile(db.dialect, "schema.sql"));
  const after = compareWithCatalog(db.dialect, await introspectSchema(db));
  const stillMissing = await missingTriggerNames(db);
  if (after.missing.length > 0 || after.problems.length > 0 || stillMissing.length > 0) {
    throw new Error(
      `The ${db.dialect} schema script ran but the schema still differs from the catalog: ${
        [...after.missing.map((t) => `table ${t} missing`), ...after.problems, ...stillMissing].join("; ")
      }`,
    );
  }
  const parts = [];
  if (before.missing.length > 0) parts.push(`created ${before.missing.length} tables`);
  if (missingTriggers.length > 0) parts.push(`created ${missingTriggers.length} UpdatedAt triggers`);
  return { step: "schema", changed: true, detail: parts.join(", ") };
}

async function missingTriggerNames(db: SourceDb): Promise<string[]> {
  const spec = TRIGGERS[db.dialect];
  if (!spec.sql) return [];
  const have = new Set((await db.query<{ name: string }>(spec.sql)).map((r) => r.name.toLowerCase()));
  return ECOMMERCE_TABLES.flatMap(spec.expected).filter((n) => !have.has(n.toLowerCase()));
}
