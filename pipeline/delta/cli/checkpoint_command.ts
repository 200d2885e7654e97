/**
 * `lake checkpoint <uri>`: writes a classic checkpoint of the latest version and `_last_checkpoint`.
 *
 * @module
 */
import { loadSnapshot } from "../log/snapshot.ts";
import { openStore } from "../storage/open_store.ts";
import { writeCheckpoint } from "../write/checkpoint_write.ts";
import { type CommandIO, processIO } from "./command_io.ts";
import { parseCommandArgs } from "./parse_command_args.ts";

/** Runs `lake checkpoint`. */
export async function checkpointCommand(args: string[], io: CommandIO = processIO): Promise<void> {
  const { uri } = parseCommandArgs("checkpoint", args, {});
  const store = openStore(uri);
  const r = await writeCheckpoint(store, await loadSnapshot(store));
  io.print(JSON.stringify({ table: store.url, ...r }));
}
