/**
 * Checks that an embedded data directory's lake agrees with its SQLite source: every mirror equals its source
 * table, `customers_scd2` agrees with the source customers and with the tracked changes in `_changes`, and every
 * aggregate equals its reference function over the source.
 *
 * The source side is read straight from SQLite and converted here by the catalog's types (not through the
 * processor's own decoder), so a conversion bug in the pipeline shows as a disagreement.
 *
 * @module
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { ECOMMERCE_TABLES, type TableDef } from "../../pipeline/catalog/mod.ts";
import { loadSnapshot, openStore, scanAll, TableNotFoundError } from "../../pipeline/delta/mod.ts";
import type { DataType, StructField } from "../../pipeline/delta/schema/types.ts";
import {
  CUSTOMER_LTV,
  INVENTORY_LEVELS,
  ORDER_STATUS_COUNTS,
  type OutputTable,
  PRODUCT_SALES,
  referenceCustomerLtv,
  referenceInventoryLevels,
  referenceOrderStatusCounts,
  referenceProductSales,
  referenceSalesPerMinute,
  SALES_PER_MINUTE,
  scd2Table,
} from "../../pipeline/stream/operators/mod.ts";
import { Decimal, type Row, Timestamp, type Value } from "../../pipeline/value/mod.ts";

/** What the check compared. */
export interface Agreement {
  /** Rows compared in the mirrors (source side). */
  mirrorRows: number;
  /** Source customers (current rows of customers_scd2). */
  customers: number;
  /** customers_scd2 rows (versions of every customer, deleted ones included). */
  versions: number;
  /** Aggregate rows compared. */
  aggregateRows: number;
  /** Rows of `_changes`. */
  changes: number;
}

/** The columns of `Customers` whose changes open a `customers_scd2` version (the operator's default), source names. */
const TRACKED = ECOMMERCE_TABLES.find((t) => t.name === "customers")!.columns
  .filter((c) => ["name", "email", "phone_number"].includes(c.name))
  .map((c) => c.source);

/** Text that is equal for equal values of a Delta type, whichever side (SQLite text, lake Row) they come from. */
function canonical(type: DataType, v: Value | undefined, where: string): string | null {
  if (v === null || v === undefined) return null;
  if (typeof type !== "string") throw new TypeError(`${where}: nested types are not compared`);
  if (type === "timestamp") {
    if (v instanceof Timestamp) return String(v.epochNanos);
    if (typeof v === "string") return String(Timestamp.parse(v).epochNanos);
  } else if (type.startsWith("decimal(")) {
    const scale = Number(/,(\d+)\)/.exec(type)![1]);
    if (v instanceof Decimal) return v.rescale(scale).toString();
    if (typeof v === "string" || typeof v === "number") {
      return Decimal.parse(String(v)).rescale(scale).toString();
    }
  } else if (type === "boolean") {
    if (typeof v === "boolean") return String(v);
    if (v === 0 || v === 1 || v === 0n || v === 1n) return String(Number(v) === 1);
  } else if (type === "integer" || type === "long" || type === "short" || type === "byte") {
    if (typeof v === "number" || typeof v === "bigint") return String(v);
  } else if (type === "string") {
    if (typeof v === "string") return v;
  }
  throw new TypeError(`${where}: cannot compare ${typeof v} ${String(v)} as ${type}`);
}

function canonicalRows(
  fields: readonly StructField[],
  key: readonly string[],
  rows: readonly Row[],
  where: string,
) {
  const out = new Map<string, Record<string, string | null>>();
  for (const row of rows) {
    const c: Record<string, string | null> = {};
    for (const f of fields) c[f.name] = canonical(f.type, row[f.name], `${where}.${f.name}`);
    const k = key.map((col) => c[col]).join("|");
    assert.ok(!out.has(k), `${where}: two rows with key ${k}`);
    out.set(k, c);
  }
  return out;
}

/** Asserts two keyed row sets are equal, naming the first few differences (not thousands of rows). */
function assertSameRows(
  what: string,
  actual: Map<string, Record<string, string | null>>,
  expected: Map<string, Record<string, string | null>>,
): void {
  const problems: string[] = [];
  for (const [k, row] of expected) {
    const got = actual.get(k);
    if (!got) problems.push(`missing key ${k}: expected ${JSON.stringify(row)}`);
    else if (JSON.stringify(got) !== JSON.stringify(row)) {
      problems.push(`key ${k}: lake ${JSON.stringify(got)} ≠ source ${JSON.stringify(row)}`);
    }
  }
  for (const [k, row] of actual) {
    if (!expected.has(k)) problems.push(`extra key ${k}: ${JSON.stringify(row)}`);
  }
  assert.ok(
    problems.length === 0,
    `${what}: ${problems.length} differences (lake ${actual.size} rows, expected ${expected.size}):\n` +
      problems.slice(0, 8).join("\n"),
  );
}

async function lakeRows(lake: string, table: string): Promise<Row[]> {
  const store = openStore(`${lake}/${table}`);
  try {
    return await scanAll(store, await loadSnapshot(store));
  } catch (e) {
    // A table is created with its first commit: a source table that never had a row has none.
    if (e instanceof TableNotFoundError) return [];
    throw e;
  }
}

/** A source row in the lake's value model, converted by the catalog's types. */
function sourceRow(def: TableDef, raw: Record<string, unknown>): Row {
  const row: Row = {};
  for (const c of def.columns) {
    const v = raw[c.source] as Value;
    if (v === null || v === undefined) row[c.name] = null;
    else if (c.type === "timestamp") row[c.name] = Timestamp.parse(v as string);
    else if (c.type.startsWith("decimal(")) row[c.name] = Decimal.parse(v as string);
    else if (c.type === "boolean") row[c.name] = v === 1;
    else row[c.name] = v;
  }
  return row;
}

interface ChangeRow {
  seq: number;
  table_name: string;
  op: "c" | "u" | "d";
  before: string | null;
  after: string | null;
  committed_at: string;
}

/** customer_id → how many versions its tracked changes open (AUTO CDC semantics, compared with the current version). */
function expectedVersions(changes: readonly ChangeRow[]): Map<number, number> {
  const current = new Map<number, string | null>();
  const versions = new Map<number, number>();
  for (const ch of changes) {
    if (ch.table_name !== "Customers") continue;
    const image = JSON.parse((ch.after ?? ch.before)!) as Record<string, unknown>;
    const id = image.CustomerID as number;
    if (ch.op === "d") {
      current.set(id, null);
      continue;
    }
    const tracked = JSON.stringify(TRACKED.map((c) => image[c]));
    const now = current.get(id) ?? null;
    if (now === null || now !== tracked) versions.set(id, (versions.get(id) ?? 0) + 1);
    current.set(id, tracked);
  }
  return versions;
}

/** order_id → commit time of the insert that began its current life (its last insert not followed by a delete). */
function orderInsertCommits(changes: readonly ChangeRow[]): Map<number, Timestamp> {
  const out = new Map<number, Timestamp>();
  for (const ch of changes) {
    if (ch.table_name !== "Orders") continue;
    const id = (JSON.parse((ch.after ?? ch.before)!) as { OrderID: number }).OrderID;
    if (ch.op === "c") out.set(id, Timestamp.parse(ch.committed_at));
    else if (ch.op === "d") out.delete(id);
  }
  return out;
}

/**
 * Asserts that the lake at `<dataDir>/lake` agrees with the source at `<dataDir>/source.sqlite`. Call it when
 * both are at rest (the platform stopped).
 */
export async function assertLakeAgreesWithSource(dataDir: string): Promise<Agreement> {
  const lake = `${dataDir}/lake`;
  const db = new DatabaseSync(`${dataDir}/source.sqlite`, { readOnly: true });
  const source = new Map<string, Row[]>();
  let changes: ChangeRow[];
  try {
    for (const def of ECOMMERCE_TABLES) {
      const raw = db.prepare(`SELECT * FROM "${def.source}"`).all() as Record<string, unknown>[];
      source.set(def.name, raw.map((r) => sourceRow(def, r)));
    }
    changes = db.prepare("SELECT * FROM _changes ORDER BY seq").all() as unknown as ChangeRow[];
  } finally {
    db.close();
  }
  const result: Agreement = {
    mirrorRows: 0,
    customers: 0,
    versions: 0,
    aggregateRows: 0,
    changes: changes.length,
  };

  for (const def of ECOMMERCE_TABLES) {
    if (def.name === "customers") continue;
    const fields = def.columns.map((c) => ({
      name: c.name,
      type: c.type,
      nullable: c.nullable,
      metadata: {},
    }));
    const expected = canonicalRows(fields, def.key, source.get(def.name)!, `source ${def.source}`);
    const actual = canonicalRows(fields, def.key, await lakeRows(lake, def.name), `lake ${def.name}`);
    assertSameRows(`mirror ${def.name}`, actual, expected);
    result.mirrorRows += expected.size;
  }

  const customers = ECOMMERCE_TABLES.find((t) => t.name === "customers")!;
  const scd2 = scd2Table(customers);
  const history = await lakeRows(lake, scd2.name);
  const catalogFields = scd2.schema.fields.filter((f) => customers.columns.some((c) => c.name === f.name));
  assertSameRows(
    "customers_scd2 current rows",
    canonicalRows(
      catalogFields,
      customers.key,
      history.filter((r) => r.is_current === true),
      "lake customers_scd2",
    ),
    canonicalRows(catalogFields, customers.key, source.get("customers")!, "source Customers"),
  );
  const versions = new Map<number, number[]>();
  for (const r of history) {
    const id = r.customer_id as number;
    versions.set(id, [...(versions.get(id) ?? []), r.version as number]);
  }
  const expectedCounts = expectedVersions(changes);
  const problems: string[] = [];
  for (const [id, n] of expectedCounts) {
    const got = (versions.get(id) ?? []).sort((a, b) => a - b);
    if (JSON.stringify(got) !== JSON.stringify(Array.from({ length: n }, (_, i) => i + 1))) {
      problems.push(`customer ${id}: versions ${JSON.stringify(got)}, ${n} tracked changes`);
    }
  }
  for (const id of versions.keys()) {
    if (!expectedCounts.has(id)) problems.push(`customer ${id}: never in _changes`);
  }
  assert.ok(
    problems.length === 0,
    `customers_scd2 versions: ${problems.length} differences:\n${problems.slice(0, 8).join("\n")}`,
  );
  for (const r of history) {
    if (r.is_current === true) {
      assert.equal(r.valid_to, null, `customer ${r.customer_id}: current version with valid_to`);
    }
  }
  result.customers = source.get("customers")!.length;
  result.versions = history.length;

  const salesSource = {
    tables: Object.fromEntries(source),
    orderInsertCommits: orderInsertCommits(changes),
  };
  const aggregates: [OutputTable, Row[]][] = [
    [SALES_PER_MINUTE, referenceSalesPerMinute(salesSource)],
    [PRODUCT_SALES, referenceProductSales(salesSource)],
    [INVENTORY_LEVELS, referenceInventoryLevels(salesSource)],
    [ORDER_STATUS_COUNTS, referenceOrderStatusCounts(salesSource)],
    [CUSTOMER_LTV, referenceCustomerLtv(salesSource)],
  ];
  for (const [table, reference] of aggregates) {
    const expected = canonicalRows(table.schema.fields, table.key, reference, `reference ${table.name}`);
    const actual = canonicalRows(
      table.schema.fields,
      table.key,
      await lakeRows(lake, table.name),
      `lake ${table.name}`,
    );
    assertSameRows(table.name, actual, expected);
    result.aggregateRows += expected.size;
  }
  return result;
}
