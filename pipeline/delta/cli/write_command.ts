/**
 * `lake write <uri> --input FILE|- [--mode append|overwrite|upsert|delete] [--key a,b] [--where "col op value"]
 * [--schema "id:long,…"] [--partition-by col] [--cdf] [--deletion-vectors] [--app-id ID --batch N]`: ndjson
 * rows in the lake's value encoding into a Delta table; `--schema` creates the table when it does not exist (or
 * adds new nullable columns when it does); `--deletion-vectors` creates it with deletion vectors enabled. Prints one JSON line describing the commit.
 *
 * @module
 */
import type { Row } from "../../value/mod.ts";
import { fileMayMatch } from "../read/file_skipping.ts";
import { matchesAll, parsePredicate, predicateToString } from "../read/predicate.ts";
import { openStore } from "../storage/open_store.ts";
import type { StructType } from "../schema/types.ts";
import { deleteByKey, deleteRows } from "../write/delete_rows.ts";
import { rowsFromNdjson } from "../write/json_rows.ts";
import { loadSnapshotOrNull } from "../write/run_commit.ts";
import { mergeSchemas } from "../write/schema_merge.ts";
import { upsertRows } from "../write/upsert_rows.ts";
import { writeTable } from "../write/write_table.ts";
import { type CommandIO, processIO } from "./command_io.ts";
import { parseCommandArgs } from "./parse_command_args.ts";
import { parseSchemaSpec } from "./schema_spec.ts";
import { UsageError } from "./usage_error.ts";

const MODES = ["append", "overwrite", "upsert", "delete"] as const;

/** Runs `lake write`. */
export async function writeCommand(args: string[], io: CommandIO = processIO): Promise<void> {
  const { uri, values } = parseCommandArgs("write", args, {
    input: { type: "string" },
    mode: { type: "string" },
    key: { type: "string" },
    where: { type: "string" },
    schema: { type: "string" },
    "partition-by": { type: "string" },
    cdf: { type: "boolean" },
    "deletion-vectors": { type: "boolean" },
    "app-id": { type: "string" },
    batch: { type: "string" },
  });
  const mode = (values.mode ?? "append") as typeof MODES[number];
  if (!MODES.includes(mode)) throw new UsageError(`lake write: --mode must be one of ${MODES.join(", ")}`);
  const keys = values.key?.split(",").map((k) => k.trim()).filter((k) => k) ?? [];
  if (mode === "upsert" && keys.length === 0) throw new UsageError("lake write: --mode upsert needs --key");
  if (mode === "delete" && keys.length === 0 && !values.where) {
    throw new UsageError("lake write: --mode delete needs --key (with --input) or --where");
  }
  if (!values.input && !(mode === "delete" && values.where)) {
    throw new UsageError("lake write: --input FILE|- is required");
  }
  if ((values["app-id"] === undefined) !== (values.batch === undefined)) {
    throw new UsageError("lake write: --app-id and --batch go together");
  }
  const batch = values.batch === undefined ? undefined : Number(values.batch);
  if (batch !== undefined && !Number.isSafeInteger(batch)) {
    throw new UsageError("lake write: --batch must be an integer");
  }
  let given: StructType | undefined;
  try {
    given = values.schema ? parseSchemaSpec(values.schema) : undefined;
  } catch (e) {
    throw new UsageError(`lake write: ${(e as Error).message}`);
  }
  const partitionBy = values["partition-by"]?.split(",").map((c) => c.trim()).filter((c) => c) ?? [];

  const store = openStore(uri);
  const snapshot = await loadSnapshotOrNull(store);
  if (!snapshot && !given) {
    throw new UsageError(`lake write: "${store.url}" does not exist; give --schema to create it`);
  }
  const schema = snapshot ? (given ? mergeSchemas(snapshot.schema, given) : snapshot.schema) : given!;
  const rows: Row[] = values.input ? rowsFromNdjson(await io.readInput(values.input), schema) : [];

  if (mode === "delete") {
    const r = values.where
      ? await deleteRows(
        store,
        (() => {
          const p = parsePredicate(values.where!, schema);
          const ctx = { schema, partitionColumns: snapshot?.partitionColumns ?? [], mode: "none" as const };
          return {
            description: predicateToString(p),
            test: (row: Row) => matchesAll([p], row),
            mayMatch: (f) => fileMayMatch(f, [p], ctx),
          };
        })(),
      )
      : await deleteByKey(store, rows, keys);
    io.print(JSON.stringify({ table: store.url, mode, ...r }));
    return;
  }
  if (mode === "upsert") {
    if (!snapshot) {
      const r = await writeTable(store, rows, {
        create: {
          schema,
          partitionColumns: partitionBy,
          enableChangeDataFeed: values.cdf,
          enableDeletionVectors: values["deletion-vectors"],
        },
      });
      io.print(JSON.stringify({ table: store.url, mode, ...r }));
      return;
    }
    const r = await upsertRows(store, rows, keys);
    io.print(JSON.stringify({ table: store.url, mode, ...r }));
    return;
  }
  const r = await writeTable(store, rows, {
    mode,
    create: {
      schema,
      partitionColumns: partitionBy,
      enableChangeDataFeed: values.cdf,
      enableDeletionVectors: values["deletion-vectors"],
    },
    schema: given,
    mergeSchema: given !== undefined,
    txn: values["app-id"] !== undefined ? { appId: values["app-id"], version: batch! } : undefined,
  });
  io.print(JSON.stringify({ table: store.url, mode, ...r }));
}
