/**
 * `lake changes <uri> --from V [--to V] [--columns a,b] [--format table|ndjson|csv]`: the Change Data Feed
 * between two versions, each row with `_change_type`, `_commit_version` and `_commit_timestamp`.
 *
 * @module
 */
import { readChanges } from "../read/changes.ts";
import { selectFields } from "../read/read_file.ts";
import { loadSnapshot } from "../log/snapshot.ts";
import { openStore } from "../storage/open_store.ts";
import { columnsOption, formatOption, integerOption } from "./cli_options.ts";
import { type CommandIO, processIO } from "./command_io.ts";
import { parseCommandArgs } from "./parse_command_args.ts";
import { printLines, rowWriter } from "./row_format.ts";
import { UsageError } from "./usage_error.ts";

const CDF_COLUMNS = ["_change_type", "_commit_version", "_commit_timestamp"];

/** Runs `lake changes`. */
export async function changesCommand(args: string[], io: CommandIO = processIO): Promise<void> {
  const { uri, values } = parseCommandArgs("changes", args, {
    from: { type: "string" },
    to: { type: "string" },
    columns: { type: "string" },
    format: { type: "string" },
    "time-zone": { type: "string" },
  });
  const from = integerOption("changes", "from", values.from);
  if (from === undefined) throw new UsageError("lake changes: --from V is required");
  const to = integerOption("changes", "to", values.to);
  if (to !== undefined && to < from) {
    throw new UsageError(`lake changes: --to ${to} is before --from ${from}`);
  }
  const format = formatOption("changes", values.format);
  const columns = columnsOption("changes", values.columns);
  const store = openStore(uri);
  const schema = (await loadSnapshot(store, to === undefined ? {} : { version: to })).schema;
  let names: string[];
  try {
    names = selectFields(schema, columns, store.url).map((f) => f.name);
  } catch (e) {
    throw new UsageError(`lake changes: ${(e as Error).message}`);
  }
  const writer = rowWriter(format, [...names, ...CDF_COLUMNS]);
  const changes = readChanges(store, {
    fromVersion: from,
    toVersion: to,
    columns: names,
    timeZone: values["time-zone"],
  });
  // One write per file read, not per row: printing dominates large ndjson reads otherwise.
  for await (const batch of changes) printLines(io, writer.write(batch));
  printLines(io, writer.finish());
}
