/**
 * `lake vacuum <uri> [--retention-hours H] [--dry-run]`: deletes unreferenced files older than the retention;
 * prints JSON with the files deleted (or that would be).
 *
 * @module
 */
import { openStore } from "../storage/open_store.ts";
import { vacuumTable } from "../write/vacuum_table.ts";
import { type CommandIO, processIO } from "./command_io.ts";
import { nonNegativeOption, parseCommandArgs } from "./parse_command_args.ts";

/** Runs `lake vacuum`. */
export async function vacuumCommand(args: string[], io: CommandIO = processIO): Promise<void> {
  const { uri, values } = parseCommandArgs("vacuum", args, {
    "retention-hours": { type: "string" },
    "dry-run": { type: "boolean" },
  });
  const hours = nonNegativeOption("vacuum", "retention-hours", values["retention-hours"]);
  const store = openStore(uri);
  const r = await vacuumTable(store, { retentionHours: hours, dryRun: values["dry-run"] });
  io.print(
    JSON.stringify({ table: store.url, dryRun: r.dryRun, numDeleted: r.deleted.length, files: r.deleted }),
  );
}
