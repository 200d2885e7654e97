/**
 * The embedded stack's data directory: `<dir>/source.sqlite` (the SQLite source with its `_changes` capture
 * table) and `<dir>/lake` (one folder per Delta table, the processor's checkpoints in `lake/_checkpoints`).
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";

/** The paths of a data directory. */
export interface DataDir {
  root: string;
  /** The SQLite source database. */
  source: string;
  /** The lake: one folder per table, checkpoints in `_checkpoints/<job>`. */
  lake: string;
}

/** The files SQLite keeps beside a database (rollback journal, write-ahead log and its index). */
const SOURCE_SIDECARS = ["-wal", "-shm", "-journal"];
const SQLITE_HEADER = "SQLite format 3\0";
const CHECKPOINTS = "_checkpoints";

/** The paths of the data directory at `root`. */
export function dataDir(root: string): DataDir {
  const base = root.replace(/\/+$/, "") || "/";
  return { root: base, source: `${base}/source.sqlite`, lake: `${base}/lake` };
}

async function statOrNull(path: string): Promise<Deno.FileInfo | null> {
  try {
    return await Deno.stat(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
}

async function isSqliteFile(path: string, info: Deno.FileInfo): Promise<boolean> {
  // An empty file is what SQLite itself leaves when it was created but never written: it opens as empty.
  if (info.size === 0) return true;
  const file = await Deno.open(path);
  try {
    const head = new Uint8Array(SQLITE_HEADER.length);
    const n = await file.read(head);
    return n === head.length && new TextDecoder().decode(head) === SQLITE_HEADER;
  } finally {
    file.close();
  }
}

async function lakeEntries(lake: string): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(lake)) names.push(e.name);
  return names.sort();
}

/**
 * Checks that the data directory can be used and creates it when missing. A directory whose parts are not what
 * they should be (a file where the directory is, a source that is not SQLite, a lake without its source) gets a
 * clear error and nothing is touched: a lake whose source is gone could not be resumed without losing changes.
 */
export async function prepareDataDir(dir: DataDir): Promise<void> {
  const cannot = (why: string) => new Error(`Cannot use data directory "${dir.root}": ${why}`);
  const root = await statOrNull(dir.root);
  if (root === null) {
    await Deno.mkdir(dir.root, { recursive: true });
    return;
  }
  if (!root.isDirectory) throw cannot("it is not a directory");
  const source = await statOrNull(dir.source);
  if (source !== null) {
    if (!source.isFile) throw cannot(`${dir.source} is not a file`);
    if (!await isSqliteFile(dir.source, source)) throw cannot(`${dir.source} is not a SQLite database`);
  }
  const lake = await statOrNull(dir.lake);
  if (lake !== null) {
    if (!lake.isDirectory) throw cannot(`${dir.lake} is not a directory`);
    if (source === null && (await lakeEntries(dir.lake)).length > 0) {
      throw cannot(
        `it holds a lake but no source.sqlite, so the lake cannot be resumed (start over with --reset)`,
      );
    }
  }
}

function hasChangesTable(path: string): boolean {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_changes'").get() !==
      undefined;
  } finally {
    db.close();
  }
}

/**
 * Removes the data directory's source and lake, after confirming it is a Lakestream data directory: it holds
 * nothing but `source.sqlite` (with SQLite's side files) and `lake`; the source is a SQLite database with the
 * `_changes` capture table; the lake holds only Delta tables and `_checkpoints`. Anything else is refused with an
 * error naming it, and nothing is removed. A missing directory is left alone. Returns the paths it removed.
 */
export async function resetDataDir(dir: DataDir): Promise<string[]> {
  const refuse = (why: string) =>
    new Error(
      `Cannot reset "${dir.root}": ${why}, so it is not a Lakestream data directory; nothing was removed`,
    );
  const root = await statOrNull(dir.root);
  if (root === null) return [];
  if (!root.isDirectory) throw refuse("it is not a directory");
  const sourceName = dir.source.slice(dir.root.length + 1);
  const lakeName = dir.lake.slice(dir.root.length + 1);
  const known = new Set([sourceName, ...SOURCE_SIDECARS.map((s) => sourceName + s), lakeName]);
  const present: string[] = [];
  for await (const e of Deno.readDir(dir.root)) {
    if (!known.has(e.name)) throw refuse(`it holds "${e.name}"`);
    present.push(`${dir.root}/${e.name}`);
  }
  const source = await statOrNull(dir.source);
  if (source !== null) {
    if (!source.isFile || !await isSqliteFile(dir.source, source)) {
      throw refuse(`${dir.source} is not a SQLite database`);
    }
    if (source.size > 0 && !hasChangesTable(dir.source)) {
      throw refuse(`${dir.source} has no _changes capture table`);
    }
  }
  const lake = await statOrNull(dir.lake);
  if (lake !== null) {
    if (!lake.isDirectory) throw refuse(`${dir.lake} is not a directory`);
    for (const name of await lakeEntries(dir.lake)) {
      const isTable = name !== CHECKPOINTS &&
        (await statOrNull(`${dir.lake}/${name}/_delta_log`))?.isDirectory;
      if (name !== CHECKPOINTS && !isTable) throw refuse(`${dir.lake}/${name} is not a Delta table`);
    }
  }
  for (const path of present.sort()) await Deno.remove(path, { recursive: true });
  return present;
}
