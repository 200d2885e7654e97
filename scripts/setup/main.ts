/**
 * `deno task setup --dialect sqlite|postgres|sqlserver [options]`: creates or checks the source database.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { type Dialect, DIALECTS } from "./db/source_db.ts";
import { runSetup } from "./setup.ts";

const USAGE = `Usage: deno task setup --dialect sqlite|postgres|sqlserver [options]

Creates the source schema (sql/<dialect>/schema.sql), enables change capture, seeds reference data and a starting
catalog, creates the lake's bucket and registers the Debezium connector. Idempotent: a second run changes nothing.

  --dialect D          sqlite (default), postgres or sqlserver
  --db PATH            SQLite file (default ./data/source.sqlite)
  --url URL            postgres://user:pass@host:port/db or sqlserver://… (default: the local stack's PostgreSQL;
                       SQL Server: $LAKESTREAM_SQLSERVER_URL or sqlserver://sa:$MSSQL_SA_PASSWORD@127.0.0.1:1433/testdb)
  --seed N             seed of the starting catalog (default 42)
  --lake URL           the lake; an s3://bucket/… lake gets its bucket created on the stack's MinIO
  --connect URL        Kafka Connect REST URL (default: $LAKESTREAM_CONNECT_URL or the local stack's)
  --no-connector       do not register the Debezium connector
  --connector NAME     connector name (default lakestream-postgres / sqlserver-connector)
  --topic-prefix P     Debezium topic.prefix (default lakestream / server_docker)
  --slot NAME          PostgreSQL replication slot (default lakestream)
  --publication NAME   PostgreSQL publication (default lakestream)
  --db-host-for-connect HOST:PORT   the source as the Connect worker reaches it (default: as setup does)
  -h, --help`;

function usage(message: string): never {
  console.error(`setup: ${message} (see --help)`);
  Deno.exit(2);
}

if (import.meta.main) {
  let values;
  try {
    ({ values } = parseArgs({
      args: Deno.args,
      options: {
        dialect: { type: "string", default: "sqlite" },
        db: { type: "string" },
        url: { type: "string" },
        seed: { type: "string" },
        lake: { type: "string" },
        connect: { type: "string" },
        "no-connector": { type: "boolean" },
        connector: { type: "string" },
        "topic-prefix": { type: "string" },
        slot: { type: "string" },
        publication: { type: "string" },
        "db-host-for-connect": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
  } catch (e) {
    usage((e as Error).message);
  }
  if (values.help) {
    console.log(USAGE);
    Deno.exit(0);
  }
  if (!DIALECTS.includes(values.dialect as Dialect)) usage(`unknown dialect "${values.dialect}"`);
  if (values.dialect === "sqlite" && values.url) {
    usage("--url is for postgres and sqlserver; SQLite takes --db PATH");
  }
  if (values.dialect !== "sqlite" && values.db) {
    usage(`--db is for sqlite; ${values.dialect} takes --url URL`);
  }
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && !Number.isSafeInteger(seed)) {
    usage(`--seed must be an integer, got "${values.seed}"`);
  }
  let connectorSource;
  if (values["db-host-for-connect"]) {
    const m = /^([^:]+)(?::(\d+))?$/.exec(values["db-host-for-connect"]);
    if (!m) usage(`--db-host-for-connect must be HOST or HOST:PORT`);
    connectorSource = { host: m[1], ...(m[2] ? { port: Number(m[2]) } : {}) };
  }
  try {
    const report = await runSetup({
      dialect: values.dialect as Dialect,
      db: values.db,
      url: values.url,
      seed,
      lake: values.lake,
      connector: !values["no-connector"],
      connectUrl: values.connect,
      names: {
        name: values.connector,
        topicPrefix: values["topic-prefix"],
        slot: values.slot,
        publication: values.publication,
      },
      connectorSource,
      log: (line) => console.log(line),
    });
    console.log(
      report.changed
        ? `Setup of ${report.source} done: ${
          report.steps.filter((s) => s.changed).length
        } steps changed something`
        : `Setup of ${report.source}: nothing to do, everything was already in place`,
    );
  } catch (e) {
    console.error(`setup: ${(e as Error).message}`);
    Deno.exit(1);
  }
}
