/**
 * `lake read <uri> [--version N | --timestamp ISO] [--columns a,b] [--where "col op value [and …]"] [--limit N]
 * [--format table|ndjson|csv] [--time-zone ZONE]`: the rows of a table, streamed file by file.
 *
 * @module
 */
import { loadSnapshot } from "../log/snapshot.ts";
import { parseFilter } from "../read/predicate.ts";
import { scan } from "../read/scan.ts";
import { selectFields } from "../read/read_file.ts";
import { openStore } from "../storage/open_store.ts";
import { columnsOption, formatOption, integerOption, timeOption } from "./cli_options.ts";
import { type CommandIO, processIO } from "./command_io.ts";
import { parseCommandArgs } from "./parse_command_args.ts";
import { printLines, rowWriter } from "./row_format.ts";
import { UsageError } from "./usage_error.ts";

/** Runs `lake read`. */
export async function readCommand(args: string[], io: CommandIO = processIO): Promise<void> {
  const { uri, values } = parseCommandArgs("read", args, {
    version: { type: "string" },
    timestamp: { type: "string" },
    columns: { type: "string" },
    where: { type: "string" },
    limit: { type: "string" },
    format: { type: "string" },
    "time-zone": { type: "string" },
  });
  const version = integerOption("read", "version", values.version);
  const timestamp = timeOption("read", "timestamp", values.timestamp);
  if (version !== undefined && timestamp !== undefined) {
    throw new UsageError("lake read: give --version or --timestamp, not both");
  }
  const limit = integerOption("read", "limit", values.limit);
  const format = formatOption("read", values.format);
  const columns = columnsOption("read", values.columns);
  const store = openStore(uri);
  const snapshot = await loadSnapshot(store, { version, timestamp });
  let filter;
  try {
    filter = values.where === undefined ? undefined : parseFilter(values.where, snapshot.schema);
  } catch (e) {
    throw new UsageError(`lake read: ${(e as Error).message}`);
  }
  let names: string[];
  try {
    names = selectFields(snapshot.schema, columns, store.url).map((f) => f.name);
  } catch (e) {
    throw new UsageError(`lake read: ${(e as Error).message}`);
  }
  const writer = rowWriter(format, names);
  const rows = scan(store, snapshot, { columns: names, filter, limit, timeZone: values["time-zone"] });
  // One write per file read, not per row: printing dominates large ndjson reads otherwise.
  for await (const batch of rows) printLines(io, writer.write(batch));
  printLines(io, writer.finish());
}
