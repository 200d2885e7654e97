/**
 * The `_last_checkpoint` hint (PROTOCOL.md "Last Checkpoint File"). Only `version` (and `parts`) matter to the
 * reader; the file may be missing, stale or corrupt, in which case the reader lists the whole log instead.
 *
 * @module
 */
import { NotFoundError, type ObjectStore } from "../storage/object_store.ts";
import { LAST_CHECKPOINT_KEY } from "./log_path.ts";

/** What the reader takes from `_last_checkpoint`. */
export interface LastCheckpoint {
  version: number;
  /** Number of rows (actions) in the checkpoint. */
  size?: number;
  /** Parts of a multi-part checkpoint. */
  parts?: number;
}

/**
 * Parses the hint; null when the text is not a JSON object with a non-negative integer `version` (Spark tests a
 * corrupt file on purpose; it must not stop a read).
 */
export function parseLastCheckpoint(text: string): LastCheckpoint | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // A corrupt hint is tolerated by design: the caller lists the log instead.
    return null;
  }
  if (typeof json !== "object" || json === null) return null;
  const o = json as Record<string, unknown>;
  if (!Number.isSafeInteger(o.version) || (o.version as number) < 0) return null;
  const hint: LastCheckpoint = { version: o.version as number };
  if (Number.isSafeInteger(o.size)) hint.size = o.size as number;
  if (Number.isSafeInteger(o.parts)) hint.parts = o.parts as number;
  return hint;
}

/** Reads and parses the hint; null when it is missing or unusable. Other storage errors propagate. */
export async function readLastCheckpoint(store: ObjectStore): Promise<LastCheckpoint | null> {
  let bytes: Uint8Array;
  try {
    bytes = await store.get(LAST_CHECKPOINT_KEY);
  } catch (e) {
    if (e instanceof NotFoundError) return null;
    throw e;
  }
  return parseLastCheckpoint(new TextDecoder().decode(bytes));
}
