/**
 * Reading checkpoints into actions: classic single-file and multi-part Parquet checkpoints, and V2 checkpoints
 * (JSON or Parquet, with their sidecar files).
 *
 * @module
 */
import type { ObjectStore } from "../storage/object_store.ts";
import { arrowToPlain, type Plain } from "../read/arrow_json.ts";
import { readParquetTable } from "../read/parquet_file.ts";
import type { Action, Sidecar } from "./actions.ts";
import type { CheckpointCandidate } from "./listing.ts";
import { SIDECAR_DIR } from "./log_path.ts";
import { checkAction, parseActions } from "./replay.ts";
import { mapConcurrent } from "./map_concurrent.ts";

const ACTION_COLUMNS = new Set([
  "add",
  "remove",
  "metaData",
  "protocol",
  "txn",
  "domainMetadata",
  "checkpointMetadata",
  "sidecar",
]);

/** Parsed copies of stats and partition values; the reader uses the string forms. */
const SKIPPED = new Set(["stats_parsed", "partitionValues_parsed"]);

/**
 * The actions of a checkpoint, with the add/remove actions of its sidecars in place of the `sidecar` rows.
 * Fails (Error naming the file) when a file or a referenced sidecar is missing or corrupt, so the caller can fall
 * back to an older checkpoint.
 */
export async function readCheckpoint(store: ObjectStore, checkpoint: CheckpointCandidate): Promise<Action[]> {
  const parts = await mapConcurrent(
    checkpoint.keys,
    4,
    (key) => readActionFile(store, key, checkpoint.format),
  );
  const actions = parts.flat();
  const sidecars: Sidecar[] = [];
  const rest: Action[] = [];
  for (const a of actions) {
    if ("sidecar" in a) sidecars.push(a.sidecar);
    else rest.push(a);
  }
  if (sidecars.length === 0) return rest;
  const files = await mapConcurrent(sidecars, 8, (s) => {
    const format = s.path.endsWith(".json") ? "json" : "parquet";
    return readActionFile(store, sidecarKey(s.path), format);
  });
  for (const file of files) {
    for (const a of file) if ("add" in a || "remove" in a) rest.push(a);
  }
  return rest;
}

/** The store key of a sidecar path (relative to `_delta_log/_sidecars/`; PROTOCOL.md allows no other form here). */
function sidecarKey(path: string): string {
  if (path.includes("://") || path.startsWith("/")) {
    throw new Error(`Cannot read sidecar "${path}": only paths relative to ${SIDECAR_DIR} are supported`);
  }
  return SIDECAR_DIR + decodeURIComponent(path);
}

/** Actions of one JSON (ndjson) or Parquet checkpoint-shaped file. */
export async function readActionFile(
  store: ObjectStore,
  key: string,
  format: "json" | "parquet",
): Promise<Action[]> {
  const bytes = await store.get(key);
  if (format === "json") return parseActions(new TextDecoder().decode(bytes), key);
  return parquetActions(bytes, key);
}

/** Actions from the rows of a Parquet checkpoint: each row holds one non-null action column. */
export function parquetActions(bytes: Uint8Array, source: string): Action[] {
  const table = readParquetTable(bytes, source);
  const actions: Action[] = [];
  for (const batch of table.batches) {
    const fields = batch.schema.fields;
    const columns: [string, Plain[]][] = [];
    fields.forEach((f, j) => {
      if (ACTION_COLUMNS.has(f.name)) columns.push([f.name, arrowToPlain(batch.data.children[j], SKIPPED)]);
    });
    for (let i = 0; i < batch.numRows; i++) {
      for (const [name, values] of columns) {
        const v = values[i];
        if (v === null || typeof v !== "object" || Array.isArray(v) || v instanceof Uint8Array) continue;
        const action = { [name]: withDefaults(name, v) } as unknown as Action;
        const problem = checkAction(action);
        if (problem) throw new SyntaxError(`Cannot use row ${i} of checkpoint "${source}": ${problem}`);
        actions.push(action);
        break;
      }
    }
  }
  return actions;
}

/** Fields Spark may leave null in a checkpoint where commits always have a value. */
function withDefaults(name: string, o: { [key: string]: Plain }): { [key: string]: Plain } {
  if ((name === "add" || name === "cdc") && o.partitionValues === undefined) o.partitionValues = {};
  if (name === "metaData") {
    o.configuration ??= {};
    o.partitionColumns ??= [];
  }
  return o;
}
