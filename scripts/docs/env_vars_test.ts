import assert from "node:assert/strict";
import { envVarsIn } from "./env_vars.ts";

Deno.test("envVarsIn() finds the project's, S3 and SQL Server variable names in string literals", () => {
  const text = `
    const a = env.get("LAKESTREAM_LAKE") ?? Deno.env.get('AWS_REGION');
    const b = { port: ["LAKESTREAM_PG_PORT", 15432] };
    const c = \`MSSQL_SA_PASSWORD\`;
    // Not variables: "LAKESTREAM_*_PORT", "HOME", "Set LAKESTREAM_LAKE to …"
    const d = env.get("LAKESTREAM_LAKE");
  `;
  assert.deepEqual(envVarsIn(text), [
    "AWS_REGION",
    "LAKESTREAM_LAKE",
    "LAKESTREAM_PG_PORT",
    "MSSQL_SA_PASSWORD",
  ]);
});
