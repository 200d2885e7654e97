/**
 * `deno task web [--lake URI] [--port N] [--host H]`: serves the live dashboard of a Delta lake.
 * Options fall back to LAKESTREAM_LAKE (or LAKESTREAM_LAKE_URL), LAKESTREAM_WEB_PORT and LAKESTREAM_WEB_HOST (as compose.yaml sets
 * them). Authentication from LAKESTREAM_WEB_TOKEN or LAKESTREAM_WEB_USER + LAKESTREAM_WEB_PASSWORD; S3 settings
 * from the AWS_* variables. Usage errors exit 2, failures exit 1.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { authFromEnv } from "./auth.ts";
import { startDashboard } from "./start_dashboard.ts";

const USAGE = "Usage: deno task web [--lake URI] [--port N] [--host H]";

function usage(message: string): never {
  console.error(`${message}\n${USAGE}`);
  Deno.exit(2);
}

let values: { lake?: string; port?: string; host?: string; help?: boolean };
try {
  ({ values } = parseArgs({
    args: Deno.args,
    options: {
      lake: { type: "string" },
      port: { type: "string" },
      host: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    allowPositionals: false,
  }));
} catch (e) {
  usage((e as Error).message);
}
if (values.help) {
  console.log(USAGE);
  Deno.exit(0);
}
const portText = values.port ?? Deno.env.get("LAKESTREAM_WEB_PORT");
const port = portText === undefined ? 8000 : Number(portText);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  usage(`Bad port "${portText}" (--port or LAKESTREAM_WEB_PORT): expected 0 to 65535`);
}
const hostname = values.host ?? Deno.env.get("LAKESTREAM_WEB_HOST");
const lake = values.lake ?? Deno.env.get("LAKESTREAM_LAKE") ?? Deno.env.get("LAKESTREAM_LAKE_URL") ??
  "data/lake";

const stop = new AbortController();
for (const sig of ["SIGINT", "SIGTERM"] as const) Deno.addSignalListener(sig, () => stop.abort());
try {
  const auth = authFromEnv(Deno.env);
  const server = await startDashboard({ lake, port, hostname, auth, signal: stop.signal });
  console.log(`Lakestream dashboard on ${server.url} (lake: ${lake})`);
  await server.finished;
} catch (e) {
  console.error((e as Error).message);
  Deno.exit(1);
}
