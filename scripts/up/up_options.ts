/**
 * The command line of `deno task up`, parsed into {@linkcode UpOptions} (pure, no IO).
 *
 * @module
 */
import { parseArgs } from "node:util";

/** Which platform `up` runs. */
export type StackKind = "embedded" | "local" | "docker";

/** Every stack, in the order the usage text lists them. */
export const STACKS: readonly StackKind[] = ["embedded", "local", "docker"];

/** What `deno task up` was asked to do. */
export interface UpOptions {
  /** @default "embedded" */
  stack: StackKind;
  /** The embedded stack's data directory: `<data>/source.sqlite` and `<data>/lake`. @default "./data" */
  data: string;
  /** Dashboard port (embedded and local; docker publishes its web service there). @default 8000 */
  port: number;
  /** Faker transactions per second (embedded and local). @default 20 */
  rate: number;
  /** Stop by itself after this many seconds; null runs until Ctrl-C. @default null */
  duration: number | null;
  /** Remove the data directory's source and lake first (embedded only). @default false */
  reset: boolean;
}

/** A command line `up` cannot run: exit code 2 with a one-line message. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** The usage text of `deno task up --help`. */
export const USAGE = `Usage: deno task up [--stack embedded|local|docker] [options]

Starts the whole platform in one command: a source database with change capture, live activity from the
faker, the stream processor writing the Delta lake, and the dashboard. Ctrl-C (or --duration) stops the faker
first, lets the processor commit every captured change, and exits 0. Starting again resumes where it stopped.

  --stack S       embedded (default): SQLite with trigger-based capture, a local lake, all in this process;
                  local: the no-Docker real stack (Kafka, Debezium, PostgreSQL, MinIO; \`deno task stack up\`),
                  lake s3://datalake/lake;
                  docker: \`docker compose up\` of compose.yaml (SQL Server; needs a Docker engine and .env)
  --data DIR      embedded: the data directory, DIR/source.sqlite and DIR/lake (default ./data)
  --port N        dashboard port (default 8000)
  --rate N        faker transactions per second, 0 = as fast as possible (default 20; embedded and local)
  --duration S    stop by itself after S seconds
  --reset         embedded: remove DIR's source and lake first (only from a Lakestream data directory)
  -h, --help`;

function number(name: string, text: string, check: (n: number) => boolean, expected: string): number {
  const n = Number(text);
  if (text.trim() === "" || !Number.isFinite(n) || !check(n)) {
    throw new UsageError(`Bad --${name} "${text}": expected ${expected}`);
  }
  return n;
}

/**
 * Parses the arguments of `deno task up`. Returns "help" for `--help`.
 *
 * @throws {UsageError} for an unknown option, a bad value, or an option the chosen stack does not take.
 */
export function parseUpArgs(args: readonly string[]): UpOptions | "help" {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        stack: { type: "string" },
        data: { type: "string" },
        port: { type: "string" },
        rate: { type: "string" },
        duration: { type: "string" },
        reset: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new UsageError((e as Error).message.split("\n")[0]);
  }
  if (values.help) return "help";
  const stack = (values.stack ?? "embedded") as StackKind;
  if (!STACKS.includes(stack)) {
    throw new UsageError(`Unknown --stack "${values.stack}": expected ${STACKS.join(", ")}`);
  }
  if (stack !== "embedded") {
    const embeddedOnly = values.data !== undefined ? "--data" : values.reset ? "--reset" : null;
    if (embeddedOnly) throw new UsageError(`${embeddedOnly} applies to --stack embedded only`);
  }
  if (stack === "docker" && values.rate !== undefined) {
    throw new UsageError("--rate applies to --stack embedded and local only (compose runs its own faker)");
  }
  if (values.data === "") throw new UsageError('Bad --data "": expected a directory');
  return {
    stack,
    data: values.data ?? "./data",
    port: values.port === undefined
      ? 8000
      : number("port", values.port, (n) => Number.isInteger(n) && n >= 0 && n <= 65535, "a port, 0 to 65535"),
    rate: values.rate === undefined ? 20 : number("rate", values.rate, (n) => n >= 0, "a number ≥ 0"),
    duration: values.duration === undefined
      ? null
      : number("duration", values.duration, (n) => n > 0, "a number of seconds > 0"),
    reset: values.reset ?? false,
  };
}
