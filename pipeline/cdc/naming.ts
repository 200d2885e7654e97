/**
 * Source names → lake names: tables and columns match the catalog case- and underscore-insensitively
 * (`CustomerID`, `customerid` and `customer_id` are one column); anything unknown falls back to snake_case.
 *
 * @module
 */
import { type ColumnDef, ECOMMERCE_TABLES, normalizeName, snakeCase, type TableDef } from "../catalog/mod.ts";

/** How one source table's names map to the lake. */
export interface TableNaming {
  /** Lake table name (`order_items`). */
  readonly name: string;
  /** The catalog entry, when the table is captured by the catalog. */
  readonly def: TableDef | undefined;
  /** Lake column name of a source column (cached). */
  column(source: string): string;
  /** The catalog column of a source column, when the table and column are in the catalog. */
  columnDef(source: string): ColumnDef | undefined;
}

class CachedTableNaming implements TableNaming {
  readonly #columns = new Map<string, string>();
  readonly #defs = new Map<string, ColumnDef | undefined>();
  readonly #byNorm: Map<string, ColumnDef>;

  constructor(readonly name: string, readonly def: TableDef | undefined) {
    this.#byNorm = new Map();
    for (const c of def?.columns ?? []) {
      this.#byNorm.set(normalizeName(c.source), c);
      this.#byNorm.set(normalizeName(c.name), c);
    }
  }

  column(source: string): string {
    let lake = this.#columns.get(source);
    if (lake === undefined) {
      lake = this.#byNorm.get(normalizeName(source))?.name ?? snakeCase(source);
      this.#columns.set(source, lake);
    }
    return lake;
  }

  columnDef(source: string): ColumnDef | undefined {
    if (!this.#defs.has(source)) this.#defs.set(source, this.#byNorm.get(normalizeName(source)));
    return this.#defs.get(source);
  }
}

/** Resolves source table names against a list of table definitions, caching every answer. */
export class Naming {
  readonly #tables = new Map<string, TableNaming>();
  readonly #byNorm: Map<string, TableDef>;

  /** @param tables the captured tables; defaults to the e-commerce catalog. */
  constructor(tables: readonly TableDef[] = ECOMMERCE_TABLES) {
    this.#byNorm = new Map();
    for (const t of tables) {
      this.#byNorm.set(normalizeName(t.source), t);
      this.#byNorm.set(normalizeName(t.name), t);
    }
  }

  /** Naming of a source table (`OrderItems`, `orderitems`, `order_items` → `order_items`). */
  table(source: string): TableNaming {
    let t = this.#tables.get(source);
    if (t === undefined) {
      const def = this.#byNorm.get(normalizeName(source));
      t = new CachedTableNaming(def?.name ?? snakeCase(source), def);
      this.#tables.set(source, t);
    }
    return t;
  }
}

/**
 * The source table of a data topic: its last dot-separated segment. SQL Server topics are
 * `<prefix>.<db>.<schema>.<Table>` (`server_docker.testdb.dbo.Customers`), PostgreSQL ones `<prefix>.<schema>.<table>`
 * (`lakestream.public.orderitems`).
 */
export function tableFromTopic(topic: string): string {
  return topic.slice(topic.lastIndexOf(".") + 1);
}
