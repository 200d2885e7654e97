/**
 * `lake describe <uri> [--version N] [--json]`: version, commit time, protocol and features, schema, partition
 * columns, properties, files, rows and bytes, and the rows deletion vectors delete.
 *
 * @module
 */
import { loadSnapshot } from "../log/snapshot.ts";
import { typeToString } from "../schema/parse_schema.ts";
import { openStore } from "../storage/open_store.ts";
import { integerOption } from "./cli_options.ts";
import { type CommandIO, processIO } from "./command_io.ts";
import { parseCommandArgs } from "./parse_command_args.ts";

/** Runs `lake describe`. */
export async function describeCommand(args: string[], io: CommandIO = processIO): Promise<void> {
  const { uri, values } = parseCommandArgs("describe", args, {
    version: { type: "string" },
    json: { type: "boolean" },
  });
  const version = integerOption("describe", "version", values.version);
  const store = openStore(uri);
  const s = await loadSnapshot(store, { version });
  const info = {
    table: store.url,
    version: s.version,
    timestamp: new Date(s.timestamp).toISOString(),
    protocol: s.protocol,
    schema: s.schema,
    partitionColumns: s.partitionColumns,
    properties: s.properties,
    files: s.files.length,
    rows: s.numRecords,
    bytes: s.sizeInBytes,
    deletionVectors: {
      files: s.files.filter((f) => f.deletionVector).length,
      deletedRows: s.files.reduce((n, f) => n + (f.deletionVector?.cardinality ?? 0), 0),
    },
    checkpointVersion: s.checkpointVersion,
  };
  if (values.json) {
    io.print(JSON.stringify(info));
    return;
  }
  const p = s.protocol;
  const features = [...new Set([...(p.readerFeatures ?? []), ...(p.writerFeatures ?? [])])];
  const lines = [
    `Table       ${info.table}`,
    `Version     ${info.version} (committed ${info.timestamp})`,
    `Protocol    reader ${p.minReaderVersion}, writer ${p.minWriterVersion}${
      features.length > 0 ? `; features: ${features.join(", ")}` : ""
    }`,
    `Partitions  ${info.partitionColumns.length > 0 ? info.partitionColumns.join(", ") : "(none)"}`,
    `Files       ${info.files}`,
    `Rows        ${info.rows ?? "unknown (files without stats)"}`,
    `Bytes       ${info.bytes}`,
    ...(info.deletionVectors.files > 0
      ? [
        `Deleted     ${info.deletionVectors.deletedRows} rows by deletion vectors in ${info.deletionVectors.files} files`,
      ]
      : []),
    `Checkpoint  ${info.checkpointVersion ?? "(none used)"}`,
    "Schema",
    ...(() => {
      const width = Math.max(...s.schema.fields.map((f) => f.name.length), 4);
      return s.schema.fields.map((f) =>
        `  ${f.name.padEnd(width)}  ${typeToString(f.type)}${f.nullable ? "" : " not null"}`
      );
    })(),
    "Properties",
    ...(Object.keys(info.properties).length === 0
      ? ["  (none)"]
      : Object.entries(info.properties).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) =>
        `  ${k} = ${v}`
      )),
  ];
  for (const line of lines) io.print(line);
}
