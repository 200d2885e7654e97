/**
 * Table scans: the files of a snapshot pruned by partition values and stats, read a few at a time, filtered
 * row by row and projected.
 *
 * @module
 */
import type { Row } from "../../value/mod.ts";
import type { AddFile } from "../log/actions.ts";
import { columnMappingMode } from "../schema/column_mapping.ts";
import type { ObjectStore } from "../storage/object_store.ts";
import { fileMayMatch } from "./file_skipping.ts";
import { coercePredicate, findColumn, matchesAll, type Predicate } from "./predicate.ts";
import {
  decodeDataFile,
  fetchDataFile,
  type FetchedDataFile,
  selectFields,
  type TableShape,
} from "./read_file.ts";

/** Options for {@linkcode scan}. */
export interface ScanOptions {
  /** Top-level columns to return, in this order. @default every column */
  columns?: readonly string[];
  /** Conditions every returned row satisfies (AND). Used for pruning and skipping, then checked per row. */
  filter?: Predicate | readonly Predicate[];
  /** Stop after this many rows. */
  limit?: number;
  /** IANA time zone for zone-less timestamp partition values. @default "UTC" */
  timeZone?: string;
  /** Files fetched ahead while one is decoded (IO overlap; only one file is decoded at a time). @default 4 */
  concurrency?: number;
  /** Stops the scan; the iterator then rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** What a scan reads: a snapshot (or any table shape with its live files). */
export interface ScanSource extends TableShape {
  readonly files: readonly AddFile[];
}

function predicatesOf(filter: ScanOptions["filter"]): Predicate[] {
  if (!filter) return [];
  return Array.isArray(filter) ? [...filter] : [filter as Predicate];
}

/**
 * The files a scan with `options.filter` must read (partition pruning and stats skipping), in a stable order
 * (by path). Unknown filter columns are a TypeError.
 */
export function planScan(
  source: ScanSource,
  options: Pick<ScanOptions, "filter" | "timeZone"> = {},
): AddFile[] {
  const predicates = predicatesOf(options.filter);
  for (const p of predicates) {
    if (!findColumn(source.schema, p.column)) {
      throw new TypeError(`Cannot filter on "${p.column}": no such column`);
    }
  }
  const resolved = predicates.map((p) => coercePredicate(p, findColumn(source.schema, p.column)!));
  const ctx = {
    schema: source.schema,
    partitionColumns: source.partitionColumns,
    mode: columnMappingMode(source.metadata),
    timeZone: options.timeZone,
  };
  return source.files
    .filter((f) => fileMayMatch(f, resolved, ctx))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * The rows of a table, one array per data file read (empty files yield nothing).
 *
 * @example
 * ```ts
 * const snapshot = await loadSnapshot(store);
 * for await (const rows of scan(store, snapshot, { columns: ["id"], filter: { column: "id", op: ">", value: 10n } })) {
 *   console.log(rows.length);
 * }
 * ```
 */
export async function* scan(
  store: ObjectStore,
  source: ScanSource,
  options: ScanOptions = {},
): AsyncIterable<Row[]> {
  const predicates = predicatesOf(options.filter).map((p) => {
    const field = findColumn(source.schema, p.column);
    if (!field) throw new TypeError(`Cannot filter on "${p.column}" in "${store.url}": no such column`);
    return coercePredicate(p, field);
  });
  const output = selectFields(source.schema, options.columns, store.url).map((f) => f.name);
  const needed = [...output];
  for (const p of predicates) if (!needed.includes(p.column)) needed.push(p.column);
  const files = planScan(source, { filter: predicates, timeZone: options.timeZone });
  const limit = options.limit ?? Infinity;
  if (!(limit >= 0)) {
    throw new RangeError(`Cannot scan "${store.url}": limit ${options.limit} is not a count`);
  }
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const signal = options.signal;
  const readOptions = { columns: needed, timeZone: options.timeZone };

  // Read-ahead fetches bytes only; each file is decoded when its turn comes, so at most one decoded file
  // (the large part) is held at a time while later downloads overlap with decoding.
  const pending: { file: AddFile; fetched: Promise<FetchedDataFile> }[] = [];
  let next = 0;
  let produced = 0;
  const fill = () => {
    while (pending.length < concurrency && next < files.length) {
      const file = files[next++];
      const fetched = fetchDataFile(store, file);
      // Marked handled at once: a read-ahead may fail while an earlier file is decoded; the error still
      // surfaces when its turn comes, and is moot if the scan stops first.
      fetched.catch(() => {});
      pending.push({ file, fetched });
    }
  };
  try {
    while (produced < limit) {
      signal?.throwIfAborted();
      fill();
      const head = pending.shift();
      if (!head) break;
      let rows = await decodeDataFile(store.url, source, head.file, await head.fetched, readOptions);
      if (predicates.length > 0) rows = rows.filter((r) => matchesAll(predicates, r));
      if (needed.length !== output.length) rows = rows.map((r) => project(r, output));
      if (produced + rows.length > limit) rows = rows.slice(0, limit - produced);
      produced += rows.length;
      if (rows.length > 0) yield rows;
    }
  } finally {
    pending.length = 0;
  }
}

function project(row: Row, columns: readonly string[]): Row {
  const out: Row = {};
  for (const c of columns) out[c] = row[c];
  return out;
}

/** All rows of a scan in one array (for small tables and tests). */
export async function scanAll(
  store: ObjectStore,
  source: ScanSource,
  options: ScanOptions = {},
): Promise<Row[]> {
  const out: Row[] = [];
  for await (const rows of scan(store, source, options)) for (const r of rows) out.push(r);
  return out;
}
