/**
 * `deno task faker [--dialect sqlite|postgres|sqlserver] [options]`: writes live e-commerce activity into the
 * source database until stopped (Ctrl-C / SIGTERM stop it between two transactions).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { type Dialect, DIALECTS } from "../setup/mod.ts";
import { formatRate } from "./progress.ts";
import { runFaker } from "./run_faker.ts";

const USAGE = `Usage: deno task faker [--dialect sqlite|postgres|sqlserver] [options]

Writes realistic live activity (orders, shipments, deliveries, cancellations, returns, customers joining,
changing and leaving, carts, price changes, restocks, reviews) into a source set up by \`deno task setup\`.

  --dialect D      sqlite (default), postgres or sqlserver
  --db PATH        SQLite file (default ./data/source.sqlite)
  --url URL        postgres://… or sqlserver://… (default: the local stack's PostgreSQL)
  --rate N         transactions per second, 0 = as fast as possible (default 0.4, the original's pacing)
  --duration S     stop after S seconds
  --ops N          stop after N operations
  --seed N         PRNG seed: the same seed on the same starting database gives the same operations (default 1)
  --durable        PostgreSQL: wait for every commit to reach disk even above 100 tx/s (much slower there;
                   slower runs always do)
  -h, --help`;

function usage(message: string): never {
  console.error(`faker: ${message} (see --help)`);
  Deno.exit(2);
}

function number(name: string, text: string | undefined, integer: boolean): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === "" || !Number.isFinite(n) || n < 0 || (integer && !Number.isSafeInteger(n))) {
    usage(`--${name} must be ${integer ? "an integer" : "a number"} ≥ 0, got "${text}"`);
  }
  return n;
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
        rate: { type: "string" },
        duration: { type: "string" },
        ops: { type: "string" },
        seed: { type: "string" },
        durable: { type: "boolean" },
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
  const controller = new AbortController();
  const stop = () => controller.abort();
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
  const tty = Deno.stdout.isTerminal();
  const encoder = new TextEncoder();
  try {
    const report = await runFaker({
      dialect: values.dialect as Dialect,
      db: values.db,
      url: values.url,
      rate: number("rate", values.rate, false),
      duration: number("duration", values.duration, false),
      ops: number("ops", values.ops, true),
      seed: number("seed", values.seed, true),
      durableCommits: values.durable,
      signal: controller.signal,
      onProgress: tty ? (line) => Deno.stdout.writeSync(encoder.encode(`\r${line}\x1b[K`)) : undefined,
    });
    if (tty) console.log();
    const tables = Object.entries(report.changes)
      .map(([t, c]) => `${t} +${c.c} ~${c.u} -${c.d}`)
      .join(", ");
    console.log(
      `faker ${report.dialect}: ${report.operations} transactions in ${
        (report.elapsedMs / 1000).toFixed(1)
      } s (${
        formatRate(report.operations / Math.max(report.elapsedMs / 1000, 1e-9))
      }/s), stopped by ${report.stoppedBy}; ${report.retries} retries, ${report.errors} errors`,
    );
    if (tables) console.log(`row changes: ${tables}`);
  } catch (e) {
    if (tty) console.log();
    console.error(`faker: ${(e as Error).message}`);
    Deno.exit(1);
  } finally {
    Deno.removeSignalListener("SIGINT", stop);
    Deno.removeSignalListener("SIGTERM", stop);
  }
}
