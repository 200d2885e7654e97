/**
 * Names of the files in `_delta_log/` (PROTOCOL.md "Delta Log Entries"), recognised with strict patterns so that
 * leftovers (`.tmp/`, Hadoop `.crc` side files, `_commits/`, `_staged_commits/`) are never taken for log entries.
 *
 * @module
 */

/** The folder of the log, relative to the table root. */
export const LOG_DIR = "_delta_log/";

/** The key of the `_last_checkpoint` hint. */
export const LAST_CHECKPOINT_KEY = `${LOG_DIR}_last_checkpoint`;

/** The folder of V2 checkpoint sidecars. */
export const SIDECAR_DIR = `${LOG_DIR}_sidecars/`;

/** A recognised file of `_delta_log/`. `version` is the (first) version the file is about. */
export type LogPath =
  | { kind: "commit"; key: string; version: number }
  | { kind: "checkpoint"; key: string; version: number }
  | { kind: "multipart-checkpoint"; key: string; version: number; part: number; parts: number }
  | { kind: "v2-checkpoint"; key: string; version: number; uuid: string; format: "json" | "parquet" }
  | { kind: "compaction"; key: string; version: number; endVersion: number }
  | { kind: "checksum"; key: string; version: number };

const COMMIT = /^(\d{20})\.json$/;
const CHECKPOINT = /^(\d{20})\.checkpoint\.parquet$/;
const MULTIPART = /^(\d{20})\.checkpoint\.(\d{10})\.(\d{10})\.parquet$/;
const V2_CHECKPOINT = /^(\d{20})\.checkpoint\.([0-9a-f-]{36})\.(json|parquet)$/;
const COMPACTION = /^(\d{20})\.(\d{20})\.compacted\.json$/;
const CHECKSUM = /^(\d{20})\.crc$/;

/** Versions above this cannot be held exactly in a JS number. */
const MAX_VERSION = Number.MAX_SAFE_INTEGER;

function version(digits: string, key: string): number {
  const v = Number(digits);
  if (v > MAX_VERSION) throw new RangeError(`Cannot use log file "${key}": version ${digits} is too large`);
  return v;
}

/**
 * Recognises a key of the log folder (`_delta_log/<name>`, directly inside it) and returns what it is, or null
 * for any other file (sidecars, temp files, checksums of checksums, folders below the log).
 */
export function parseLogPath(key: string): LogPath | null {
  if (!key.startsWith(LOG_DIR)) return null;
  const name = key.slice(LOG_DIR.length);
  if (name.includes("/")) return null;
  let m = COMMIT.exec(name);
  if (m) return { kind: "commit", key, version: version(m[1], key) };
  m = CHECKPOINT.exec(name);
  if (m) return { kind: "checkpoint", key, version: version(m[1], key) };
  m = MULTIPART.exec(name);
  if (m) {
    const part = Number(m[2]);
    const parts = Number(m[3]);
    if (part < 1 || part > parts) return null;
    return { kind: "multipart-checkpoint", key, version: version(m[1], key), part, parts };
  }
  m = V2_CHECKPOINT.exec(name);
  if (m) {
    const format = m[3] as "json" | "parquet";
    return { kind: "v2-checkpoint", key, version: version(m[1], key), uuid: m[2], format };
  }
  m = COMPACTION.exec(name);
  if (m) {
    const start = version(m[1], key);
    const end = version(m[2], key);
    return end < start ? null : { kind: "compaction", key, version: start, endVersion: end };
  }
  m = CHECKSUM.exec(name);
  if (m) return { kind: "checksum", key, version: version(m[1], key) };
  return null;
}

/** A version as the 20-digit zero-padded text of log file names. */
export function formatVersion(version: number): string {
  if (!Number.isSafeInteger(version) || version < 0) {
    throw new RangeError(`Cannot name log version ${version}: not a non-negative integer`);
  }
  return String(version).padStart(20, "0");
}

/** The key of the commit file of `version`: `_delta_log/00000000000000000042.json`. */
export function commitKey(version: number): string {
  return `${LOG_DIR}${formatVersion(version)}.json`;
}

/** The key of the classic checkpoint of `version`. */
export function checkpointKey(version: number): string {
  return `${LOG_DIR}${formatVersion(version)}.checkpoint.parquet`;
}

/**
 * The `startAfter` key that lists every log file of `version` and later: the 20 digits alone sort before every
 * file name that starts with them.
 */
export function listFromKey(version: number): string {
  return `${LOG_DIR}${formatVersion(version)}`;
}
