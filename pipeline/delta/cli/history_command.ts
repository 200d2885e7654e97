/**
 * `lake history <uri> [--limit N] [--json]`: the table's commits, newest first (version, time, operation,
 * parameters); `--json` prints one JSON array.
 *
 * @module
 */
import { history } from "../log/history.ts";
import { openStore } from "../storage/open_store.ts";
import { integerOption } from "./cli_options.ts";
import { type CommandIO, processIO } from "./command_io.ts";
import { parseCommandArgs } from "./parse_command_args.ts";
import { rowWriter } from "./row_format.ts";

/** Runs `lake history`. */
export async function historyCommand(args: string[], io: CommandIO = processIO): Promise<void> {
  const { uri, values } = parseCommandArgs("history", args, {
    limit: { type: "string" },
    json: { type: "boolean" },
  });
  const limit = integerOption("history", "limit", values.limit);
  const store = openStore(uri);
  const entries = await history(store, { limit });
  if (values.json) {
    io.print(JSON.stringify(entries.map((e) => ({
      version: e.version,
      timestamp: new Date(e.timestamp).toISOString(),
      operation: e.operation,
      operationParameters: e.operationParameters,
      operationMetrics: e.operationMetrics,
      readVersion: e.readVersion,
      isBlindAppend: e.isBlindAppend,
      engineInfo: e.engineInfo,
    }))));
    return;
  }
  const writer = rowWriter("table", ["version", "timestamp", "operation", "parameters", "engine"]);
  const rows = entries.map((e) => ({
    version: e.version,
    timestamp: new Date(e.timestamp).toISOString(),
    operation: e.operation,
    parameters: Object.keys(e.operationParameters).length > 0 ? JSON.stringify(e.operationParameters) : "",
    engine: e.engineInfo,
  }));
  for (const line of [...writer.write(rows), ...writer.finish()]) io.print(line);
}
