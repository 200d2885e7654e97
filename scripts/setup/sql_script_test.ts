import assert from "node:assert/strict";
import { readSqlFile, splitBatches } from "./sql_script.ts";

Deno.test("splitBatches() keeps the last batch when the script ends with GO and no newline", () => {
  assert.deepEqual(splitBatches("SELECT 1;\nGO\nSELECT 2;\nGO"), ["SELECT 1;", "SELECT 2;"]);
});

Deno.test("splitBatches() splits only on lines holding GO alone, in any case", () => {
  const script = "SELECT 'GO' AS go_col;\n  go  \nUPDATE GOODS SET x = 1\nGo;\nPRINT 'ago'\n";
  assert.deepEqual(splitBatches(script), ["SELECT 'GO' AS go_col;", "UPDATE GOODS SET x = 1", "PRINT 'ago'"]);
});

Deno.test("splitBatches() drops batches that hold only comments", () => {
  assert.deepEqual(splitBatches("-- header\nGO\nSELECT 1\nGO\n\n"), ["SELECT 1"]);
});

Deno.test("splitBatches() finds every sp_cdc_enable_table call of sql/sqlserver/capture.sql", async () => {
  const text = await readSqlFile("sqlserver", "capture.sql");
  assert.ok(text.endsWith("GO"), "capture.sql is meant to end with GO and no newline");
  const batches = splitBatches(text);
  const calls = batches.join("\n").match(/EXEC sys\.sp_cdc_enable_table/g) ?? [];
  assert.equal(calls.length, 15);
  assert.ok(batches.every((b) => !/^\s*GO\s*$/im.test(b)));
});
