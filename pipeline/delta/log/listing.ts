/**
 * One listing of `_delta_log/`, sorted into commits, complete checkpoints and compaction files.
 *
 * @module
 */
import type { ObjectMeta, ObjectStore } from "../storage/object_store.ts";
import { listFromKey, LOG_DIR, parseLogPath } from "./log_path.ts";

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

/**
 * Lists the log from `from` (inclusive; 0 lists everything) with `startAfter`, so a listing after a checkpoint
 * does not walk the older commits on S3.
 */
export async function listLog(store: ObjectStore, from = 0): Promise<LogListing> {
  const commits = new Map<number, ObjectMeta>();
  const classic: CheckpointCandidate[] = [];
  const multipart = new Map<string, { version: number; parts: number; keys: (string | undefined)[] }>();
  const compactions: CompactionFile[] = [];
  let latestCommit: number | null = null;
  const options = from > 0 ? { startAfter: listFromKey(from) } : {};
  for await (const meta of store.list(LOG_DIR, options)) {
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
