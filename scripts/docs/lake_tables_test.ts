import assert from "node:assert/strict";
import { lakeTables, lakeTablesMarkdown } from "./lake_tables.ts";
import { tableCells } from "./markdown_table.ts";

Deno.test("lakeTablesMarkdown() has one row per lake table with its key and typed columns", () => {
  const rows = tableCells(lakeTablesMarkdown());
  const tables = lakeTables();
  assert.equal(rows.length, tables.length + 2);
  const scd2 = rows.find((r) => r[0] === "`customers_scd2`")!;
  assert.equal(scd2[1], "customer_id, version");
  assert.match(scd2[2], /valid_to timestamp\?, is_current boolean/);
  assert.ok(rows.some((r) => r[0] === "`orders`" && /total_amount decimal\(18,2\)/.test(r[2])));
  assert.ok(rows.some((r) => r[0] === "`_quarantine`"));
});

Deno.test("lakeTablesMarkdown() refuses a table it cannot describe", () => {
  const [first] = lakeTables();
  assert.throws(
    () => lakeTablesMarkdown([{ ...first, name: "mystery" }]),
    /Cannot document lake table "mystery": add its description to scripts\/docs\/lake_tables\.ts/,
  );
});
