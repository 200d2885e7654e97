import assert from "node:assert/strict";
import { findEnvVars } from "./env_vars.ts";
import { staleSections } from "./main.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const readme = await Deno.readTextFile(`${ROOT}README.md`);

Deno.test("README.md lists the lake tables the operators write (deno task docs regenerates them)", () => {
  assert.deepEqual(staleSections(readme), [], "README.md is out of date: run deno task docs");
});

Deno.test("README.md documents every environment variable the code reads", async () => {
  const missing = (await findEnvVars(ROOT)).filter((name) => !readme.includes(`\`${name}\``));
  assert.deepEqual(missing, [], "add these variables to the configuration table of README.md");
});

Deno.test("README.md documents every deno task", async () => {
  const tasks = Object.keys(
    (JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`)) as { tasks: object }).tasks,
  );
  const missing = tasks.filter((t) => !readme.includes(`deno task ${t}`));
  assert.deepEqual(missing, []);
});
