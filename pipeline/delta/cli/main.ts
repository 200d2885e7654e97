/**
 * `deno task lake <command> …`: the Delta Lake command line. Each command is its own module taking
 * `(args, io)`; this file only dispatches. Usage errors exit 2 with one line on stderr, failures exit 1 with
 * the error's message (no stack trace).
 *
 * @module
 */
import { changesCommand } from "./changes_command.ts";
import { checkpointCommand } from "./checkpoint_command.ts";
import { type CommandIO, processIO } from "./command_io.ts";
import { describeCommand } from "./describe_command.ts";
import { historyCommand } from "./history_command.ts";
import { optimizeCommand } from "./optimize_command.ts";
import { readCommand } from "./read_command.ts";
import { UsageError } from "./usage_error.ts";
import { vacuumCommand } from "./vacuum_command.ts";
import { verifyCommand } from "./verify_command.ts";
import { writeCommand } from "./write_command.ts";

/** A `lake` subcommand: how to run it and its one-line synopsis. */
export interface LakeCommand {
  run(args: string[], io: CommandIO): Promise<void>;
  usage: string;
}

/** Every subcommand, by name. */
export const COMMANDS: Record<string, LakeCommand> = {
  read: {
    run: readCommand,
    usage:
      'read <uri> [--version N | --timestamp ISO] [--columns a,b] [--where "col op value [and …]"] [--limit N] [--format table|ndjson|csv] [--time-zone ZONE]',
  },
  describe: { run: describeCommand, usage: "describe <uri> [--version N] [--json]" },
  history: { run: historyCommand, usage: "history <uri> [--limit N] [--json]" },
  changes: {
    run: changesCommand,
    usage: "changes <uri> --from V [--to V] [--columns a,b] [--format table|ndjson|csv] [--time-zone ZONE]",
  },
  write: {
    run: writeCommand,
    usage:
      'write <uri> --input FILE|- [--mode append|overwrite|upsert|delete] [--key a,b] [--where "col op value"] [--schema SPEC] [--partition-by col] [--cdf] [--deletion-vectors] [--app-id ID --batch N]',
  },
  optimize: { run: optimizeCommand, usage: "optimize <uri> [--target-size MB]" },
  vacuum: { run: vacuumCommand, usage: "vacuum <uri> [--retention-hours H] [--dry-run]" },
  checkpoint: { run: checkpointCommand, usage: "checkpoint <uri>" },
  verify: { run: verifyCommand, usage: "verify <uri>" },
};

/** The help text. */
export function usage(): string {
  return ["usage: deno task lake <command> …", "", ...Object.values(COMMANDS).map((c) => `  ${c.usage}`)]
    .join("\n");
}

/** Runs the command line; resolves to the exit status. Errors are printed to `stderr`, never thrown. */
export async function main(
  args: string[],
  io: CommandIO = processIO,
  stderr: (line: string) => void = (line) => console.error(line),
): Promise<number> {
  const [name, ...rest] = args;
  if (name === "help" || name === "--help" || name === "-h") {
    io.print(usage());
    return 0;
  }
  const command = name === undefined ? undefined : COMMANDS[name];
  if (!command) {
    stderr(
      name === undefined
        ? `lake: a command is required (${Object.keys(COMMANDS).join(", ")}); see "deno task lake help"`
        : `lake: unknown command "${name}" (${Object.keys(COMMANDS).join(", ")})`,
    );
    return 2;
  }
  try {
    await command.run(rest, io);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      stderr(e.message);
      return 2;
    }
    // A closed pipe (`lake read … | head`) is the reader's choice, not a failure.
    if (e instanceof Deno.errors.BrokenPipe) return 0;
    stderr(`lake ${name}: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
