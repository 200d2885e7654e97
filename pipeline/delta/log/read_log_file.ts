/**
 * Reading one JSON file of a table's log (a commit or a log compaction file) with errors that name the table,
 * the version, the file and the line, so a broken log is a clear error wherever it is read.
 *
 * @module
 */
import type { ObjectStore } from "../storage/object_store.ts";
import type { Action } from "./actions.ts";
import { parseLogPath } from "./log_path.ts";
import { parseActions } from "./replay.ts";

/** How an error names the version(s) of log file `key`. */
function versionsOf(key: string): string {
  const p = parseLogPath(key);
  if (!p) return `log file "${key}"`;
  return p.kind === "compaction" ? `versions ${p.version} to ${p.endVersion}` : `version ${p.version}`;
}

/**
 * The actions of the JSON log file `key` of the table in `store`. Rejects with the store's NotFoundError when
 * the file is missing, and with a SyntaxError like `Cannot read "s3://lake/orders" at version 3: Cannot parse
 * line 2 of "_delta_log/00000000000000000003.json": …` (the parse error as cause) when it is not a valid log
 * file.
 */
export async function readLogFile(store: ObjectStore, key: string): Promise<Action[]> {
  const text = new TextDecoder().decode(await store.get(key));
  try {
    return parseActions(text, key);
  } catch (e) {
    throw new SyntaxError(`Cannot read "${store.url}" at ${versionsOf(key)}: ${(e as Error).message}`, {
      cause: e,
    });
  }
}
