import assert from "node:assert/strict";
import { parseJunit } from "./junit.ts";

const REPORT = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="deno test" tests="6" failures="1" errors="0" time="0.012">
    <testsuite name="./a_test.ts" tests="6" disabled="1" errors="0" failures="1">
        <testcase name="a passes" classname="./a_test.ts" time="0.001" line="1" col="6">
        </testcase>
        <testcase name="b fails" classname="./a_test.ts" time="0.001" line="2" col="6">
            <failure message="Uncaught Error: boom &lt;x&gt;">Error: boom</failure>
        </testcase>
        <testcase name="c ignored" classname="./a_test.ts" time="0.000" line="3" col="6">
            <skipped/>
        </testcase>
        <testcase name="d steps" classname="./a_test.ts" time="0.001" line="4" col="6">
        </testcase>
        <testcase name="d steps &gt; s1" classname="./a_test.ts" time="0.000" line="4" col="45">
        </testcase>
        <testcase name="d steps &gt; s2" classname="./a_test.ts" time="0.000" line="4" col="75">
        </testcase>
    </testsuite>
</testsuites>`;

Deno.test("parseJunit() counts leaf cases and keeps failure messages", () => {
  const cases = parseJunit(REPORT);
  assert.deepEqual(cases.map((c) => [c.name, c.outcome]), [
    ["a passes", "passed"],
    ["b fails", "failed"],
    ["c ignored", "skipped"],
    ["d steps > s1", "passed"],
    ["d steps > s2", "passed"],
  ]);
  assert.equal(cases[1].message, "Uncaught Error: boom <x>");
});
