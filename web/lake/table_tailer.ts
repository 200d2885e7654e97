/**
 * Follows one Delta table: loads its latest snapshot once, then reads only the commits after it and only the
 * data files those commits add (never a rescan). For keyed tables it remembers each live file's rows, so a
 * commit that removes a file says exactly which rows left.
 *
 * @module
 */
import {
  type Action,
  type AddFile,
  commitKey,
  extendSnapshot,
  fileKey,
  loadSnapshot,
  type Metadata,
  NotFoundError,
  type ObjectStore,
  parseSchema,
  readCommit,
  readDataFile,
  type Snapshot,
  TableNotFoundError,
  type TableShape,
} from "../../pipeline/delta/mod.ts";
import type { Row } from "../../pipeline/value/mod.ts";
import type { TableStats } from "../protocol/mod.ts";
import type { TablePlan } from "../views/dashboard_model.ts";
import type { TableChange } from "./table_change.ts";

/** Options of {@linkcode TableTailer}. */
export interface TableTailerOptions {
  /** How rows are read; null follows the log only (statistics). */
  plan: TablePlan | null;
  /** Files below this size count as small in the statistics. @default 8 MiB */
  smallFileBytes?: number;
  /** Data files read at once. @default 4 */
  readConcurrency?: number;
  /** Commits read per poll at most (the rest on the next poll). @default 100 */
  maxCommitsPerPoll?: number;
}

async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

function shapeOf(metadata: Metadata): TableShape {
  return {
    schema: parseSchema(metadata.schemaString),
    partitionColumns: metadata.partitionColumns,
    metadata,
  };
}

/** One followed table. */
export class TableTailer {
  #snapshot: Snapshot | null = null;
  #shape: TableShape | null = null;
  #operation: string | null = null;
  readonly #fileRows = new Map<string, Row[]>();
  readonly #opts: Required<TableTailerOptions>;

  constructor(readonly name: string, readonly store: ObjectStore, options: TableTailerOptions) {
    this.#opts = { smallFileBytes: 8 * 2 ** 20, readConcurrency: 4, maxCommitsPerPoll: 100, ...options };
  }

  /** The current snapshot, or null before the table exists. */
  get snapshot(): Snapshot | null {
    return this.#snapshot;
  }

  /**
   * Loads the latest snapshot and reads its rows (keyed tables: all; append tables: the newest ones) as one
   * change; null when the table does not exist yet.
   */
  async open(): Promise<TableChange | null> {
    let snapshot: Snapshot;
    try {
      snapshot = await loadSnapshot(this.store);
    } catch (e) {
      if (e instanceof TableNotFoundError) return null;
      throw e;
    }
    this.#snapshot = snapshot;
    this.#shape = shapeOf(snapshot.metadata);
    const plan = this.#opts.plan;
    let added: Row[] = [];
    if (plan?.mode === "keyed") {
      added = (await this.#readFiles(snapshot.files, true)).flat();
    } else if (plan?.mode === "append") {
      added = await this.#readNewest(snapshot.files, plan.recentRows ?? 100);
    }
    return {
      table: this.name,
      version: snapshot.version,
      timestamp: snapshot.timestamp,
      operation: null,
      initial: true,
      removed: [],
      added,
    };
  }

  /** Reads the commits after the current version: one change per commit, oldest first. */
  async poll(): Promise<TableChange[]> {
    const base = this.#snapshot;
    if (!base) {
      const opened = await this.open();
      return opened ? [opened] : [];
    }
    const commits: { version: number; actions: Action[]; timestamp: number }[] = [];
    for (let v = base.version + 1; commits.length < this.#opts.maxCommitsPerPoll; v++) {
      let actions: Action[];
      try {
        actions = await readCommit(this.store, v);
      } catch (e) {
        if (e instanceof NotFoundError) break;
        throw e;
      }
      const info = actions.find((a): a is Extract<Action, { commitInfo: unknown }> => "commitInfo" in a)
        ?.commitInfo;
      const timestamp = info?.inCommitTimestamp ?? info?.timestamp ??
        (await this.store.head(commitKey(v)))?.lastModified ?? 0;
      commits.push({ version: v, actions, timestamp });
    }
    if (commits.length === 0) return [];
    const changes: TableChange[] = [];
    for (const c of commits) changes.push(await this.#applyCommit(c));
    this.#snapshot = extendSnapshot(base, commits);
    return changes;
  }

  async #applyCommit(c: { version: number; actions: Action[]; timestamp: number }): Promise<TableChange> {
    const removed: Row[] = [];
    const adds: AddFile[] = [];
    let operation: string | null = null;
    for (const a of c.actions) {
      if ("metaData" in a) this.#shape = shapeOf(a.metaData);
      else if ("commitInfo" in a) operation = a.commitInfo.operation ?? null;
      else if ("remove" in a) {
        const key = fileKey(a.remove.path, a.remove.deletionVector);
        removed.push(...this.#fileRows.get(key) ?? []);
        this.#fileRows.delete(key);
      } else if ("add" in a) adds.push(a.add);
    }
    const plan = this.#opts.plan;
    let added: Row[] = [];
    if (plan?.mode === "keyed") added = (await this.#readFiles(adds, true)).flat();
    else if (plan?.mode === "append") {
      added = (await this.#readFiles(adds.filter((f) => f.dataChange), false)).flat();
    }
    this.#operation = operation;
    return {
      table: this.name,
      version: c.version,
      timestamp: c.timestamp,
      operation,
      initial: false,
      removed,
      added,
    };
  }

  async #readFiles(files: readonly AddFile[], remember: boolean): Promise<Row[][]> {
    const shape = this.#shape!;
    return await mapLimited(files, this.#opts.readConcurrency, async (f) => {
      const rows = await readDataFile(this.store, shape, f);
      if (remember) this.#fileRows.set(fileKey(f.path, f.deletionVector), rows);
      return rows;
    });
  }

  /** Rows of the newest files (by modification time) until at least `count` rows. */
  async #readNewest(files: readonly AddFile[], count: number): Promise<Row[]> {
    const newest = [...files].sort((a, b) => b.modificationTime - a.modificationTime);
    const out: Row[] = [];
    for (const f of newest) {
      if (out.length >= count) break;
      out.push(...await readDataFile(this.store, this.#shape!, f));
    }
    return out;
  }

  /** Log and file statistics of the current version; null before the table exists. */
  stats(): TableStats | null {
    const s = this.#snapshot;
    if (!s) return null;
    let small = 0;
    for (const f of s.files) if (f.size < this.#opts.smallFileBytes) small++;
    return {
      name: this.name,
      version: s.version,
      lastCommitAt: s.timestamp,
      operation: this.#operation,
      files: s.files.length,
      bytes: s.sizeInBytes,
      smallFiles: small,
      rows: s.numRecords,
    };
  }
}
