/**
 * `lake verify <uri>`: checks the log's invariants and that every referenced file exists; prints a JSON report
 * and fails (exit 1) when there are problems.
 *
 * @module
 */
import { openStore } from "../storage/open_store.ts";
import { verifyTable } from "../write/verify_table.ts";
import { type CommandIO, processIO } from "./command_io.ts";
import { parseCommandArgs } from "./parse_command_args.ts";

/** Runs `lake verify`; throws (exit 1) after printing the report when problems are found. */
export async function verifyCommand(args: string[], io: CommandIO = processIO): Promise<void> {
  const { uri } = parseCommandArgs("verify", args, {});
  const store = openStore(uri);
  const r = await verifyTable(store);
  io.print(JSON.stringify({ table: store.url, ...r, ok: r.problems.length === 0 }));
  if (r.problems.length > 0) {
    throw new Error(
      `Table "${store.url}" failed verification: ${r.problems.length} problem(s), first: ${r.problems[0]}`,
    );
  }
}
