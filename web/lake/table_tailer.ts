/**
 * Follows one Delta table: loads its latest snapshot once, then reads only the commits after it and only the
 * data files those commits add (never a rescan). For keyed tables it remembers each live file's rows, so a
 * commit that removes a file says exactly which rows left.
 *
 * @module
 */
import {
  type AddFile,
  type Commit,
  commitKey,
  fileKey,
  loadSnapshot,
  type Metadata,
  NotFoundError,
  type ObjectMeta,
  type ObjectStore,
  parseSchema,
  readDataFile,
  type Snapshot,
  type SnapshotUpdate,
  TableNotFoundError,
  type TableShape,
  updateSnapshot,
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

/** Whether two listings of one object are the same write (a re-created table rewrites its commit files). */
function sameObject(a: ObjectMeta | null, b: ObjectMeta | null): boolean {
  return a !== null && b !== null && a.size === b.size && a.lastModified === b.lastModified;
}

/** One followed table. */
export class TableTailer {
  #snapshot: Snapshot | null = null;
  #shape: TableShape | null = null;
  #operation: string | null = null;
  /** The commit file of the current version as first seen: if it changes or goes, the table may be new. */
  #head: ObjectMeta | null = null;
  readonly #fileRows = new Map<string, Row[]>();
  readonly #opts: Required<TableTailerOptions>;

  constructor(readonly name: string, readonly store: ObjectStore, options: TableTailerOptions) {
    this.#opts = { smallFileBytes: 8 * 2 ** 20, readConcurrency: 4, ...options };
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
    const snapshot = await this.#loadLatest();
    return snapshot ? await this.#start(snapshot, []) : null;
  }

  /**
   * Reads the commits after the current version: one change per commit, oldest first, reading only the data
   * files they add. When the log cannot be followed from the current version (its next commits were cleaned up
   * behind a checkpoint, or the table was deleted or re-created) the table is read again instead, as one
   * change with `reset` saying why and `removed` holding every row read before. `verify` also checks, when
   * there is nothing new, that the current version's commit file is still the one read (one HEAD request):
   * a table re-created with fewer versions than before is otherwise only seen once it grows past them.
   */
  async poll(verify = false): Promise<TableChange[]> {
    const base = this.#snapshot;
    if (!base) {
      const opened = await this.open();
      return opened ? [opened] : [];
    }
    let update: SnapshotUpdate;
    try {
      update = await updateSnapshot(this.store, base);
    } catch (e) {
      if (e instanceof TableNotFoundError) return [await this.#reset(null, "its log is gone")];
      // A commit listed a moment ago was deleted before it was read: the log is being cleaned up or removed.
      if (e instanceof NotFoundError) {
        return await this.#reload(base, `a commit file vanished (${e.message})`);
      }
      throw e;
    }
    if (update.reloaded) {
      const fresh = update.snapshot;
      return [
        await this.#reset(
          fresh,
          fresh.metadata.id === base.metadata.id
            ? `the commits after version ${base.version} were cleaned up (log cleanup behind a checkpoint)`
            : `the table was re-created (table id ${base.metadata.id} became ${fresh.metadata.id})`,
        ),
      ];
    }
    if (update.commits.length > 0 || verify) {
      const head = await this.store.head(commitKey(base.version));
      if (!sameObject(head, this.#head)) {
        const why = head === null ? "is gone" : "was rewritten";
        return await this.#reload(base, `the commit file of version ${base.version} ${why}`, update);
      }
    }
    return await this.#advance(update);
  }

  /** Applies the new commits of `update` (only the data files they add are read). */
  async #advance(update: SnapshotUpdate): Promise<TableChange[]> {
    if (update.commits.length === 0) return [];
    const changes: TableChange[] = [];
    for (const c of update.commits) changes.push(await this.#applyCommit(c));
    this.#snapshot = update.snapshot;
    this.#head = await this.store.head(commitKey(update.snapshot.version));
    return changes;
  }

  async #loadLatest(): Promise<Snapshot | null> {
    try {
      return await loadSnapshot(this.store);
    } catch (e) {
      if (e instanceof TableNotFoundError) return null;
      throw e;
    }
  }

  /**
   * The log around the current version changed under us: a table with the same id (log cleanup) goes on with
   * `update` if there is one; a different or missing table is read again.
   */
  async #reload(base: Snapshot, why: string, update?: SnapshotUpdate): Promise<TableChange[]> {
    const fresh = await this.#loadLatest();
    if (fresh === null) return [await this.#reset(null, `${why} and the table no longer exists`)];
    if (fresh.metadata.id !== base.metadata.id) {
      return [
        await this.#reset(
          fresh,
          `${why}: the table was re-created (table id ${base.metadata.id} became ${fresh.metadata.id})`,
        ),
      ];
    }
    if (fresh.version < base.version) {
      return [await this.#reset(fresh, `${why} and the table went back to version ${fresh.version}`)];
    }
    // The same table: its log was only cleaned up (or the commit file copied), so reading on is right. When
    // nothing new was listed but the table moved on meanwhile, the next poll reads those commits.
    if (update && update.commits.length > 0) return await this.#advance(update);
    if (fresh.version === base.version) this.#head = await this.store.head(commitKey(base.version));
    return [];
  }

  /** Forgets what was read and starts again from `fresh` (null: the table is gone). */
  async #reset(fresh: Snapshot | null, reason: string): Promise<TableChange> {
    const base = this.#snapshot!;
    const removed = [...this.#fileRows.values()].flat();
    this.#fileRows.clear();
    this.#operation = null;
    if (fresh === null) {
      this.#snapshot = null;
      this.#shape = null;
      this.#head = null;
      return {
        table: this.name,
        version: base.version,
        timestamp: base.timestamp,
        operation: null,
        initial: true,
        reset: reason,
        removed,
        added: [],
      };
    }
    return { ...await this.#start(fresh, removed), reset: `${reason}; read version ${fresh.version} afresh` };
  }

  /** Takes `snapshot` as the current state and reads its rows as one change. */
  async #start(snapshot: Snapshot, removed: Row[]): Promise<TableChange> {
    this.#snapshot = snapshot;
    this.#shape = shapeOf(snapshot.metadata);
    this.#head = await this.store.head(commitKey(snapshot.version));
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
      removed,
      added,
    };
  }

  async #applyCommit(c: Commit): Promise<TableChange> {
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
