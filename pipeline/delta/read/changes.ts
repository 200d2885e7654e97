/**
 * Change Data Feed reads (PROTOCOL.md "Change Data Files"): the row changes between two versions, each row
 * with `_change_type` (insert, update_preimage, update_postimage, delete), `_commit_version` and
 * `_commit_timestamp`. A commit with `cdc` actions is read from its change-data files only; otherwise its
 * data-changing adds are inserts and its data-changing removes are deletes (a deletion-vector update of a file
 * yields exactly the rows it deleted or restored).
 *
 * @module
 */
import { type Row, Timestamp } from "../../value/mod.ts";
import type { Action, AddCDCFile, AddFile, Metadata, RemoveFile } from "../log/actions.ts";
import { type Commit, readCommits } from "../log/commit_log.ts";
import { listLog } from "../log/listing.ts";
import { loadSnapshot } from "../log/snapshot.ts";
import { checkReadable } from "../log/protocol_check.ts";
import { parseSchema } from "../schema/parse_schema.ts";
import type { StructField } from "../schema/types.ts";
import type { ObjectStore } from "../storage/object_store.ts";
import { readDeletionVector } from "./deletion_vector.ts";
import { readDataFile, selectFields, type TableShape } from "./read_file.ts";

/** The change types of the feed. */
export type ChangeType = "insert" | "update_preimage" | "update_postimage" | "delete";

/** Options for {@linkcode readChanges}. Give a start version or a start time. */
export interface ChangesOptions {
  /** First version (inclusive). */
  fromVersion?: number;
  /** Last version (inclusive). @default the latest */
  toVersion?: number;
  /** Only commits at or after this time (ms or Date); each commit is judged by its own commit time. */
  fromTimestamp?: number | Date;
  /** Only commits at or before this time. */
  toTimestamp?: number | Date;
  /** Data columns to return (the three CDF columns are always added). @default every column */
  columns?: readonly string[];
  /** IANA time zone for zone-less timestamp partition values. @default "UTC" */
  timeZone?: string;
  /** Stops the read. */
  signal?: AbortSignal;
}

const CHANGE_TYPE: StructField = { name: "_change_type", type: "string", nullable: true, metadata: {} };

const ms = (t: number | Date) => (t instanceof Date ? t.getTime() : t);

/**
 * The changes of a table, one array of rows per change file or data file read, in version order. Errors: a
 * RangeError for versions the log does not have; an Error naming the version when Change Data Feed is not
 * enabled there.
 */
export async function* readChanges(store: ObjectStore, options: ChangesOptions): AsyncIterable<Row[]> {
  const url = store.url;
  if (options.fromVersion === undefined && options.fromTimestamp === undefined) {
    throw new TypeError(`Cannot read changes of "${url}": give fromVersion or fromTimestamp`);
  }
  const latest = await loadSnapshot(store);
  const to = options.toVersion ?? latest.version;
  if (to > latest.version) {
    throw new RangeError(
      `Cannot read changes of "${url}" to version ${to}: the latest version is ${latest.version}`,
    );
  }
  const start = options.fromVersion;
  if (start !== undefined && (!Number.isSafeInteger(start) || start < 0)) {
    throw new RangeError(`Cannot read changes of "${url}" from version ${start}: not a version`);
  }
  // Listing from the start version keeps a feed over recent versions cheap on a long log.
  const listing = await listLog(store, start ?? 0);
  const available = [...listing.commits.keys()].sort((a, b) => a - b);
  const from = start ?? available[0] ?? 0;
  if (from > to) {
    throw new RangeError(`Cannot read changes of "${url}" from version ${from} to ${to}: not a valid range`);
  }
  for (let v = from; v <= to; v++) {
    if (!listing.commits.has(v)) {
      throw new RangeError(`Cannot read changes of "${url}" at version ${v}: its commit file is gone`);
    }
  }
  const before = from > 0 ? await loadSnapshot(store, { version: from - 1 }) : null;
  let shape: TableShape | null = before;
  const previousTime = before?.timestamp ?? null;
  const versions = Array.from({ length: to - from + 1 }, (_, i) => from + i);
  const commits = await readCommits(
    store,
    versions.map((version) => ({ version, meta: listing.commits.get(version)! })),
    before?.metadata ?? null,
    previousTime,
  );
  const fromTime = options.fromTimestamp === undefined ? -Infinity : ms(options.fromTimestamp);
  const toTime = options.toTimestamp === undefined ? Infinity : ms(options.toTimestamp);
  for (const commit of commits) {
    options.signal?.throwIfAborted();
    shape = shapeAfter(shape, commit, url);
    if (commit.timestamp < fromTime || commit.timestamp > toTime) continue;
    if (shape.metadata.configuration?.["delta.enableChangeDataFeed"] !== "true") {
      throw new Error(
        `Cannot read changes of "${url}" at version ${commit.version}: Change Data Feed is not enabled (delta.enableChangeDataFeed)`,
      );
    }
    yield* commitChanges(store, shape, commit, options);
  }
}

/** The table shape in force for a commit: its own metaData if it has one, else the previous shape. */
function shapeAfter(shape: TableShape | null, commit: Commit, url: string): TableShape {
  let metadata: Metadata | null = null;
  for (const a of commit.actions) {
    if ("metaData" in a) metadata = a.metaData;
    if ("protocol" in a) checkReadable(a.protocol, url, commit.version);
  }
  if (!metadata) {
    if (!shape) throw new Error(`Cannot read changes of "${url}": version ${commit.version} has no metaData`);
    return shape;
  }
  return {
    metadata,
    schema: parseSchema(metadata.schemaString),
    partitionColumns: metadata.partitionColumns,
  };
}

async function* commitChanges(
  store: ObjectStore,
  shape: TableShape,
  commit: Commit,
  options: ChangesOptions,
): AsyncIterable<Row[]> {
  const columns = selectFields(shape.schema, options.columns, store.url).map((f) => f.name);
  const stamp = (rows: Row[], type?: string): Row[] => {
    const version = BigInt(commit.version);
    const time = new Timestamp(BigInt(commit.timestamp) * 1_000_000n, 6, true);
    return rows.map((r) => {
      const out: Row = {};
      for (const c of columns) out[c] = r[c];
      out._change_type = type ?? r._change_type;
      out._commit_version = version;
      out._commit_timestamp = time;
      return out;
    });
  };
  const readOptions = { columns, timeZone: options.timeZone };
  const cdc = commit.actions.filter((a): a is { cdc: AddCDCFile } => "cdc" in a).map((a) => a.cdc);
  if (cdc.length > 0) {
    for (const file of cdc) {
      const rows = await readDataFile(store, shape, file, { ...readOptions, extraFields: [CHANGE_TYPE] });
      if (rows.length > 0) yield stamp(rows);
    }
    return;
  }
  const adds = new Map<string, AddFile>();
  const removes = new Map<string, RemoveFile>();
  for (const a of commit.actions as Action[]) {
    if ("add" in a && a.add.dataChange) adds.set(a.add.path, a.add);
    if ("remove" in a && a.remove.dataChange) removes.set(a.remove.path, a.remove);
  }
  for (const [path, remove] of removes) {
    const add = adds.get(path);
    if (add) {
      // Same file removed and re-added with another deletion vector: the difference is the change.
      const all = await readDataFile(store, shape, add, { ...readOptions, ignoreDeletionVector: true });
      const before = new Set(
        remove.deletionVector ? await readDeletionVector(store, remove.deletionVector) : [],
      );
      const after = new Set(add.deletionVector ? await readDeletionVector(store, add.deletionVector) : []);
      const deleted = all.filter((_, i) => !before.has(i) && after.has(i));
      const restored = all.filter((_, i) => before.has(i) && !after.has(i));
      if (deleted.length > 0) yield stamp(deleted, "delete");
      if (restored.length > 0) yield stamp(restored, "insert");
      adds.delete(path);
      continue;
    }
    const rows = await readDataFile(store, shape, {
      ...remove,
      partitionValues: remove.partitionValues ?? {},
    }, readOptions);
    if (rows.length > 0) yield stamp(rows, "delete");
  }
  for (const add of adds.values()) {
    const rows = await readDataFile(store, shape, add, readOptions);
    if (rows.length > 0) yield stamp(rows, "insert");
  }
}
