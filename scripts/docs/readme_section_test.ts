import assert from "node:assert/strict";
import { readSection, replaceSection } from "./readme_section.ts";

const DOC = "# Title\n\n<!-- tables:start -->\nold\n<!-- tables:end -->\n\nAfter.\n";

Deno.test("replaceSection() replaces only the body between the markers", () => {
  const next = replaceSection(DOC, "tables", "| a |\n| --- |\n");
  assert.equal(next, "# Title\n\n<!-- tables:start -->\n\n| a |\n| --- |\n\n<!-- tables:end -->\n\nAfter.\n");
  assert.equal(readSection(next, "tables"), "| a |\n| --- |");
  assert.equal(replaceSection(next, "tables", "| a |\n| --- |"), next);
});

Deno.test("readSection() throws a SyntaxError when the markers are missing, doubled or reversed", () => {
  for (
    const text of [
      "no markers",
      "<!-- tables:start --> x",
      "<!-- tables:end --> <!-- tables:start -->",
      "<!-- tables:start --> <!-- tables:start --> <!-- tables:end -->",
    ]
  ) {
    assert.throws(() => readSection(text, "tables"), SyntaxError);
  }
  assert.throws(() => readSection(DOC, "Bad Name"), /Cannot use section name "Bad Name"/);
});
