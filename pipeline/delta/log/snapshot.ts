/**
 * Snapshots: the state of a Delta table at one version, loaded from an {@linkcode ObjectStore}
 * (PROTOCOL.md "Snapshot construction"): `_last_checkpoint` as a hint, one listing from there, the newest
 * complete readable checkpoint at or before the target, then the commits after it (or compaction files that
 * stand in for them).
 *
 * @module
 */
import type { ObjectMeta, ObjectStore } from "../storage/object_store.ts";
import { parseSchema } from "../schema/parse_schema.ts";
import type { StructType } from "../schema/types.ts";
import { type ColumnMappingMode, columnMappingMode } from "../schema/column_mapping.ts";
import type {
  Action,
  AddFile,
  DomainMetadata,
  FileStats,
  Metadata,
  Protocol,
  RemoveFile,
  Txn,
} from "./actions.ts";
import { readCheckpoint } from "./checkpoint_read.ts";
import { commitTime, ictEnablementVersion } from "./commit_timestamps.ts";
import { readLastCheckpoint } from "./last_checkpoint.ts";
import { type CheckpointCandidate, listLog, type LogListing } from "./listing.ts";
import { commitKey } from "./log_path.ts";
import { mapConcurrent } from "./map_concurrent.ts";
import { checkReadable } from "./protocol_check.ts";
import { applyActions, cloneState, emptyState, firstOccurrences, type TableState } from "./replay.ts";
import { readLogFile } from "./read_log_file.ts";
import { TableNotFoundError } from "./table_not_found_error.ts";
import { versionAtTimestamp } from "./time_travel.ts";

/** How many log files are read at once. */
const READ_CONCURRENCY = 16;

/**
 * An immutable view of a table at one version: protocol, metadata, schema, live files, tombstones and
 * transaction versions.
 */
export class Snapshot {
  /** Where the table is (for messages). */
  readonly tableUrl: string;
  /** The version this snapshot is at. */
  readonly version: number;
  /**
   * Commit time of `version` in ms since the epoch: the in-commit timestamp when In-Commit Timestamps are on,
   * else the commit file's modification time.
   */
  readonly timestamp: number;
  /** Version of the checkpoint the snapshot was built from, or null when it replayed commits only. */
  readonly checkpointVersion: number | null;
  readonly protocol: Protocol;
  readonly metadata: Metadata;
  /** The table schema (parsed `metaData.schemaString`). */
  readonly schema: StructType;
  /** The reconciled log state; treat as read-only (updateSnapshot copies it). */
  readonly state: TableState;
  #files?: AddFile[];

  constructor(init: {
    tableUrl: string;
    version: number;
    timestamp: number;
    checkpointVersion: number | null;
    state: TableState;
  }) {
    const { state, tableUrl, version } = init;
    if (!state.protocol) {
      throw new Error(`Cannot load "${tableUrl}" at version ${version}: the log has no protocol`);
    }
    if (!state.metadata) {
      throw new Error(`Cannot load "${tableUrl}" at version ${version}: the log has no metaData`);
    }
    this.tableUrl = tableUrl;
    this.version = version;
    this.timestamp = init.timestamp;
    this.checkpointVersion = init.checkpointVersion;
    this.state = state;
    this.protocol = state.protocol;
    this.metadata = state.metadata;
    try {
      this.schema = parseSchema(state.metadata.schemaString);
    } catch (e) {
      throw new Error(`Cannot load "${tableUrl}" at version ${version}: ${(e as Error).message}`, {
        cause: e,
      });
    }
  }

  /** Partition columns (logical names), in the table's order. */
  get partitionColumns(): readonly string[] {
    return this.metadata.partitionColumns;
  }

  /** Table properties (`metaData.configuration`). */
  get properties(): Readonly<Record<string, string>> {
    return this.metadata.configuration ?? {};
  }

  /** Column mapping mode of the table. */
  get columnMappingMode(): ColumnMappingMode {
    return columnMappingMode(this.metadata);
  }

  /** Live data files (`add` actions), in no particular order. */
  get files(): readonly AddFile[] {
    return this.#files ??= [...this.state.files.values()];
  }

  /** Tombstones (`remove` actions still in the log state). */
  get tombstones(): readonly RemoveFile[] {
    return [...this.state.tombstones.values()];
  }

  /** Newest `txn` per application id. */
  get txns(): ReadonlyMap<string, Txn> {
    return this.state.txns;
  }

  /** Live domain metadata per domain. */
  get domainMetadata(): ReadonlyMap<string, DomainMetadata> {
    return this.state.domains;
  }

  /** The last committed batch version of a streaming application, or undefined when it never committed. */
  txnVersion(appId: string): number | undefined {
    return this.state.txns.get(appId)?.version;
  }

  /** Sum of the files' sizes in bytes. */
  get sizeInBytes(): number {
    let n = 0;
    for (const f of this.files) n += f.size;
    return n;
  }

  /**
   * Rows in the table from file stats (numRecords minus deletion-vector cardinality), or null when a file has
   * no (readable) stats.
   */
  get numRecords(): number | null {
    let n = 0;
    for (const f of this.files) {
      if (!f.stats) return null;
      let stats: FileStats;
      try {
        stats = JSON.parse(f.stats) as FileStats;
      } catch {
        // Unreadable stats make the count unknown, as missing ones do; reading the table is unaffected.
        return null;
      }
      if (typeof stats?.numRecords !== "number") return null;
      n += stats.numRecords - (f.deletionVector?.cardinality ?? 0);
    }
    return n;
  }
}

/** Which version {@linkcode loadSnapshot} loads. */
export interface LoadSnapshotOptions {
  /** An exact version. @default the latest */
  version?: number;
  /**
   * The latest version committed at or before this time (ms since the epoch, or a Date); commit times are
   * in-commit timestamps where enabled, else file modification times made strictly increasing.
   */
  timestamp?: number | Date;
  /**
   * With `timestamp` earlier than the first commit: load the earliest version (delta-rs `load_with_datetime`)
   * instead of failing with a RangeError (Spark).
   * @default false
   */
  clampTimestamp?: boolean;
}

/**
 * Loads the table in `store` at the latest version, a given version, or a point in time.
 *
 * Errors: {@linkcode TableNotFoundError} when there is no log; RangeError for a version or time the log does
 * not have; Error naming the table and version for a broken log (a missing version, no protocol/metaData) or a
 * reader feature this engine lacks.
 *
 * @example
 * ```ts
 * const snapshot = await loadSnapshot(new LocalStore("/data/lake/orders"));
 * console.log(snapshot.version, snapshot.files.length);
 * ```
 */
export async function loadSnapshot(store: ObjectStore, options: LoadSnapshotOptions = {}): Promise<Snapshot> {
  if (options.version !== undefined && options.timestamp !== undefined) {
    throw new TypeError(`Cannot load "${store.url}": give a version or a timestamp, not both`);
  }
  if (options.timestamp !== undefined) {
    const ms = options.timestamp instanceof Date ? options.timestamp.getTime() : options.timestamp;
    if (!Number.isFinite(ms)) {
      throw new RangeError(`Cannot load "${store.url}": the timestamp is not a valid time`);
    }
    const latest = await loadSnapshot(store);
    const version = await versionAtTimestamp(store, latest, ms, options.clampTimestamp ?? false);
    return version === latest.version ? latest : await loadSnapshot(store, { version });
  }
  const target = options.version;
  if (target !== undefined && (!Number.isSafeInteger(target) || target < 0)) {
    throw new RangeError(`Cannot load "${store.url}" at version ${target}: not a non-negative integer`);
  }
  const hint = await readLastCheckpoint(store);
  const from = hint && (target === undefined || hint.version <= target) ? hint.version : 0;
  if (from > 0) {
    const listing = await listLog(store, from);
    const snapshot = await build(store, listing, target);
    if (snapshot) return snapshot;
  }
  const full = await listLog(store, 0);
  const snapshot = await build(store, full, target);
  if (!snapshot) throw new TableNotFoundError(store.url);
  return snapshot;
}

/**
 * Builds the snapshot from one listing, or returns null when the listing does not reach far enough back
 * (a stale or wrong hint) so the caller lists from the start.
 */
async function build(
  store: ObjectStore,
  listing: LogListing,
  target: number | undefined,
): Promise<Snapshot | null> {
  const url = store.url;
  const latest = latestVersion(listing);
  if (latest === null) return null;
  const version = target ?? latest;
  if (version > latest) {
    throw new RangeError(`Cannot load "${url}" at version ${version}: the latest version is ${latest}`);
  }
  let lastError: unknown = null;
  for (const checkpoint of listing.checkpoints) {
    if (checkpoint.version > version) continue;
    const plan = planCommits(listing, checkpoint.version + 1, version);
    if (!plan) continue;
    let actions: Action[];
    try {
      actions = await readCheckpoint(store, checkpoint);
    } catch (e) {
      // A corrupt or incomplete checkpoint is skipped for an older one or the commits (delta#5458).
      lastError = e;
      continue;
    }
    const state = emptyState();
    applyActions(state, actions);
    return await finish(store, listing, state, checkpoint, plan, version);
  }
  const plan = planCommits(listing, 0, version);
  if (!plan) {
    if (listing.from > 0) return null;
    // A skipped checkpoint's failure is the likelier explanation of the gap: say it.
    const skipped = lastError ? ` (a checkpoint was skipped: ${(lastError as Error).message})` : "";
    throw new Error(
      `Cannot load "${url}" at version ${version}: ${describeGap(listing, version)}${skipped}`,
      {
        cause: lastError ?? undefined,
      },
    );
  }
  return await finish(store, listing, emptyState(), null, plan, version);
}

function latestVersion(listing: LogListing): number | null {
  let latest = listing.latestCommit;
  for (const c of listing.checkpoints) if (latest === null || c.version > latest) latest = c.version;
  return latest;
}

/** A log file to apply: one commit or one compaction file covering several. */
type Step = { kind: "commit"; version: number; meta: ObjectMeta } | {
  kind: "compaction";
  end: number;
  key: string;
};

/**
 * The files that cover versions `from`…`to`, preferring the longest compaction file that starts at each
 * point; null when a version is missing.
 */
function planCommits(listing: LogListing, from: number, to: number): Step[] | null {
  const steps: Step[] = [];
  let v = from;
  while (v <= to) {
    let best: { end: number; key: string } | null = null;
    for (const c of listing.compactions) {
      if (c.start === v && c.end <= to && c.end > v && (!best || c.end > best.end)) best = c;
    }
    if (best) {
      steps.push({ kind: "compaction", end: best.end, key: best.key });
      v = best.end + 1;
      continue;
    }
    const meta = listing.commits.get(v);
    if (!meta) return null;
    steps.push({ kind: "commit", version: v, meta });
    v++;
  }
  return steps;
}

function describeGap(listing: LogListing, version: number): string {
  const versions = [...listing.commits.keys()].sort((a, b) => a - b);
  if (versions.length === 0) return "the log has no commits and no usable checkpoint";
  if (versions[0] > 0 && listing.checkpoints.every((c) => c.version > version)) {
    return `the log starts at version ${versions[0]} and has no usable checkpoint at or before ${version}`;
  }
  for (let v = versions[0]; v <= version; v++) {
    if (!listing.commits.has(v)) return `version ${v} is missing from the log (versions must be contiguous)`;
  }
  return "no usable checkpoint";
}

async function finish(
  store: ObjectStore,
  listing: LogListing,
  state: TableState,
  checkpoint: CheckpointCandidate | null,
  steps: Step[],
  version: number,
): Promise<Snapshot> {
  const batches = await mapConcurrent(steps, READ_CONCURRENCY, async (step) => {
    const key = step.kind === "commit" ? step.meta.key : step.key;
    const actions = await readLogFile(store, key);
    return step.kind === "commit" ? actions : firstOccurrences(actions);
  });
  let lastCommit: Action[] | null = null;
  steps.forEach((step, i) => {
    applyActions(state, batches[i]);
    if (step.kind === "commit" && step.version === version) lastCommit = batches[i];
  });
  if (state.protocol) checkReadable(state.protocol, store.url, version);
  const timestamp = state.metadata ? await versionTime(store, listing, state, version, lastCommit) : 0;
  return new Snapshot({
    tableUrl: store.url,
    version,
    timestamp,
    checkpointVersion: checkpoint?.version ?? null,
    state,
  });
}

async function versionTime(
  store: ObjectStore,
  listing: LogListing,
  state: TableState,
  version: number,
  actions: Action[] | null,
): Promise<number> {
  const ictFrom = ictEnablementVersion(state.metadata!);
  const fileTime = listing.commits.get(version)?.lastModified ?? 0;
  if (ictFrom === null || version < ictFrom) return fileTime;
  actions ??= await readCommit(store, version);
  return commitTime(version, actions, fileTime, ictFrom, store.url);
}

/**
 * The actions of one commit file; a NotFoundError when it is missing, a SyntaxError naming the table and version
 * when it is broken.
 */
export function readCommit(store: ObjectStore, version: number): Promise<Action[]> {
  return readLogFile(store, commitKey(version));
}

/**
 * A snapshot that continues `base` with further already-read commits (used by incremental tailing); the base
 * is not changed.
 */
export function extendSnapshot(
  base: Snapshot,
  commits: readonly { version: number; actions: readonly Action[]; timestamp: number }[],
): Snapshot {
  if (commits.length === 0) return base;
  const state = cloneState(base.state);
  let expected = base.version + 1;
  for (const c of commits) {
    if (c.version !== expected) {
      throw new Error(`Cannot update "${base.tableUrl}": expected version ${expected}, got ${c.version}`);
    }
    applyActions(state, c.actions);
    expected++;
  }
  const last = commits[commits.length - 1];
  if (state.protocol) checkReadable(state.protocol, base.tableUrl, last.version);
  return new Snapshot({
    tableUrl: base.tableUrl,
    version: last.version,
    timestamp: last.timestamp,
    checkpointVersion: base.checkpointVersion,
    state,
  });
}
