/**
 * `lake optimize <uri> [--target-size MB]`: bin-packs small files (dataChange false); prints JSON.
 *
 * @module
 */
import { openStore } from "../storage/open_store.ts";
import { optimizeTable } from "../write/optimize_table.ts";
import { type CommandIO, processIO } from "./command_io.ts";
import { nonNegativeOption, parseCommandArgs } from "./parse_command_args.ts";

/** Runs `lake optimize`. */
export async function optimizeCommand(args: string[], io: CommandIO = processIO): Promise<void> {
  const { uri, values } = parseCommandArgs("optimize", args, { "target-size": { type: "string" } });
  const mb = nonNegativeOption("optimize", "target-size", values["target-size"]);
  const store = openStore(uri);
  const r = await optimizeTable(store, { targetSizeBytes: mb === undefined ? undefined : mb * 2 ** 20 });
  io.print(JSON.stringify({ table: store.url, ...r }));
}
