/**
 * One listing of `_delta_log/`, sorted into commits, complete checkpoints and compaction files.
 *
 * @module
 */
import type { ObjectMeta, ObjectStore } from "../storage/object_store.ts";
import { formatVersion, listFromKey, LOG_DIR, parseLogPath } from "./log_path.ts";

/** A checkpoint whose files are all present (a multi-part one with every part). */
export interface CheckpointCandidate {
  version: number;
  kind: "classic" | "multipart" | "v2";
  /** Object keys, in part order for multi-part checkpoints. */
  keys: string[];
  /** Parquet for classic and multi-part; either for V2. */
  format: "json" | "parquet";
}

/** A log compaction file standing in for commits `start`…`end`. */
export interface CompactionFile {
  start: number;
  end: number;
  key: string;
}

/** What a listing of the log found. */
export interface LogListing {
  /** Listing started at this version (earlier files were not asked for). */
  from: number;
  /** Commit files by version. */
  commits: Map<number, ObjectMeta>;
  /** Complete checkpoints, newest version first. */
  checkpoints: CheckpointCandidate[];
  /** Compaction files. */
  compactions: CompactionFile[];
  /** Highest commit version found, or null when there is none. */
  latestCommit: number | null;
}

/** Versions per listing block: names of one block share their first 18 digits. */
const BLOCK = 100;

/**
 * The log entries from version `from` on: everything under `_delta_log/` for 0; otherwise one listing per
 * block of 100 versions (key prefix = the block's first 18 digits, `startAfter` inside the first block) for as
 * long as each block holds the commit of its last version. A narrow prefix keeps the cost proportional to the
 * versions after `from`, not to the whole log: S3 returns only those keys, and a local directory stats only
 * matching names. (A log that lost exactly the commit ending a block while later ones exist is broken; such a
 * listing stops there and the table reads as of the version before the hole.)
 */
async function* listFrom(store: ObjectStore, from: number): AsyncIterable<ObjectMeta> {
  if (from === 0) {
    yield* store.list(LOG_DIR);
    return;
  }
  for (let block = Math.floor(from / BLOCK);; block++) {
    const prefix = LOG_DIR + formatVersion(block * BLOCK).slice(0, 18);
    const options = block === Math.floor(from / BLOCK) ? { startAfter: listFromKey(from) } : {};
    const last = (block + 1) * BLOCK - 1;
    let full = false;
    for await (const meta of store.list(prefix, options)) {
      const p = parseLogPath(meta.key);
      if (p?.kind === "commit" && p.version === last) full = true;
      yield meta;
    }
    if (!full) return;
  }
}

/**
 * Lists the log from `from` (inclusive; 0 lists everything), so a listing after a checkpoint does not walk
 * the older commits.
 */
export async function listLog(store: ObjectStore, from = 0): Promise<LogListing> {
  const commits = new Map<number, ObjectMeta>();
  const classic: CheckpointCandidate[] = [];
  const multipart = new Map<string, { version: number; parts: number; keys: (string | undefined)[] }>();
  const compactions: CompactionFile[] = [];
  let latestCommit: number | null = null;
  for await (const meta of listFrom(store, from)) {
    const p = parseLogPath(meta.key);
    if (!p) continue;
    switch (p.kind) {
      case "commit":
        commits.set(p.version, meta);
        if (latestCommit === null || p.version > latestCommit) latestCommit = p.version;
        break;
      case "checkpoint":
        classic.push({ version: p.version, kind: "classic", keys: [p.key], format: "parquet" });
        break;
      case "v2-checkpoint":
        classic.push({ version: p.version, kind: "v2", keys: [p.key], format: p.format });
        break;
      case "multipart-checkpoint": {
        const id = `${p.version}/${p.parts}`;
        let group = multipart.get(id);
        if (!group) {
          group = { version: p.version, parts: p.parts, keys: new Array(p.parts).fill(undefined) };
          multipart.set(id, group);
        }
        group.keys[p.part - 1] = p.key;
        break;
      }
      case "compaction":
        compactions.push({ start: p.version, end: p.endVersion, key: p.key });
        break;
    }
  }
  const checkpoints = [...classic];
  for (const group of multipart.values()) {
    if (group.keys.every((k) => k !== undefined)) {
      checkpoints.push({
        version: group.version,
        kind: "multipart",
        keys: group.keys as string[],
        format: "parquet",
      });
    }
  }
  // Newest first; for one version prefer a single file (fewer reads) over a multi-part set.
  const rank = { classic: 0, v2: 1, multipart: 2 };
  checkpoints.sort((a, b) => b.version - a.version || rank[a.kind] - rank[b.kind]);
  return { from, commits, checkpoints, compactions, latestCommit };
}
