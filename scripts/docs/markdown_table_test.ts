import assert from "node:assert/strict";
import { tableCells } from "./markdown_table.ts";

Deno.test("tableCells() reads rows however they are padded", () => {
  const compact = "| a | b |\n| --- | --- |\n| 1 | x \\| y |";
  const padded = "Intro\n\n| a   | b       |\n| :-- | ------: |\n| 1   | x \\| y  |\n\nAfter.";
  assert.deepEqual(tableCells(compact), [["a", "b"], ["---", "---"], ["1", "x \\| y"]]);
  assert.deepEqual(tableCells(padded), tableCells(compact));
});

Deno.test("tableCells() tells different tables apart", () => {
  assert.notDeepEqual(tableCells("| a | b |\n| 1 | 2 |"), tableCells("| a | b |\n| 1 | 3 |"));
  assert.deepEqual(tableCells("no table here"), []);
});
