/**
 * The README's table of lake tables, generated from the schemas the stream's operators and engine export, so the
 * documentation cannot drift from what the processor writes.
 *
 * @module
 */
import { ECOMMERCE_TABLES } from "../../pipeline/catalog/mod.ts";
import { typeToString } from "../../pipeline/delta/mod.ts";
import { OperatorSet, type OutputTable } from "../../pipeline/stream/operators/mod.ts";
import { PIPELINE_METRICS, QUARANTINE } from "../../pipeline/stream/pipeline_tables.ts";

/** What each table that does not mirror a source table holds (mirrors are described from the catalog). */
const DESCRIPTIONS: Readonly<Record<string, string>> = {
  customers_scd2: "SCD Type 2 history of `Customers`: one row per version; a change to name, email or " +
    "phone_number opens a version, a change to other columns updates the current one; a delete closes the " +
    "current version with is_deleted; valid_from/valid_to are source commit times",
  sales_per_minute: "Sales per minute of order event time (the source commit of the order's insert); " +
    "cancelled and returned orders are not sales; late changes correct their window",
  product_sales: "Units and revenue per product over all sales, with the product's current name and category",
  inventory_levels: "Stock per product over all regions (stock_by_region is JSON), low_stock against each " +
    "region's reorder threshold, units sold in the last 7 days of event time and the days of cover they give",
  order_status_counts: "Orders per status, cancelled and returned ones included",
  customer_ltv: "Each customer's sales: count, revenue, first and last sale time",
  _quarantine: "Messages that could not be decoded or applied, with their raw bytes, where they came from " +
    "and the error",
  _pipeline_metrics:
    "One row per processor batch: events, rows written, duration, end-to-end latency and lag",
};

/** Every table the processor writes, in the order the README lists them. */
export function lakeTables(): OutputTable[] {
  return [...new OperatorSet().outputs, QUARANTINE, PIPELINE_METRICS];
}

function describe(table: OutputTable): string {
  const text = DESCRIPTIONS[table.name];
  if (text) return text;
  const source = ECOMMERCE_TABLES.find((t) => t.name === table.name);
  if (source) return `Current state of \`${source.source}\`, deletes applied`;
  throw new Error(
    `Cannot document lake table "${table.name}": add its description to scripts/docs/lake_tables.ts`,
  );
}

function cell(text: string): string {
  return text.replaceAll("|", "\\|");
}

/**
 * The Markdown table of `tables`: name, key, columns with their Delta types (`?` marks a nullable column) and
 * what the table holds. Throws when a table has no description.
 */
export function lakeTablesMarkdown(tables: readonly OutputTable[] = lakeTables()): string {
  const lines = [
    "| table | key | columns (Delta type, `?` = nullable) | what it holds |",
    "| --- | --- | --- | --- |",
  ];
  for (const t of tables) {
    const columns = t.schema.fields.map((f) => `${f.name} ${typeToString(f.type)}${f.nullable ? "?" : ""}`);
    lines.push(
      `| \`${t.name}\` | ${t.key.join(", ")} | ${cell(columns.join(", "))} | ${cell(describe(t))} |`,
    );
  }
  return lines.join("\n");
}
