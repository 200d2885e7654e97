import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { dataDir, prepareDataDir, resetDataDir } from "./data_dir.ts";

async function withTempDir(fn: (root: string) => Promise<void>): Promise<void> {
  const root = await Deno.makeTempDir({ prefix: "lakestream-up-data-" });
  try {
    await fn(root);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

function sqliteWithChanges(path: string): void {
  const db = new DatabaseSync(path);
  db.exec("CREATE TABLE _changes (seq INTEGER PRIMARY KEY)");
  db.close();
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

Deno.test("dataDir() places the source and the lake inside the directory", () => {
  assert.deepEqual(dataDir("./data/"), {
    root: "./data",
    source: "./data/source.sqlite",
    lake: "./data/lake",
  });
});

Deno.test("prepareDataDir() creates a missing directory and accepts a fresh or resumed one", async () => {
  await withTempDir(async (tmp) => {
    const dir = dataDir(`${tmp}/a/b`);
    await prepareDataDir(dir);
    assert.ok((await Deno.stat(dir.root)).isDirectory);
    sqliteWithChanges(dir.source);
    await Deno.mkdir(`${dir.lake}/orders/_delta_log`, { recursive: true });
    await prepareDataDir(dir);
  });
});

Deno.test("prepareDataDir() rejects a broken data directory with a one-line message", async () => {
  await withTempDir(async (tmp) => {
    await Deno.writeTextFile(`${tmp}/file`, "x");
    await assert.rejects(
      prepareDataDir(dataDir(`${tmp}/file`)),
      /^Error: Cannot use data directory ".*\/file": it is not a directory$/,
    );
    const notSqlite = dataDir(`${tmp}/d1`);
    await Deno.mkdir(notSqlite.root);
    await Deno.writeTextFile(notSqlite.source, "hello, not a database");
    await assert.rejects(prepareDataDir(notSqlite), /source\.sqlite is not a SQLite database$/);
    const lakeOnly = dataDir(`${tmp}/d2`);
    await Deno.mkdir(`${lakeOnly.lake}/_checkpoints`, { recursive: true });
    await assert.rejects(prepareDataDir(lakeOnly), /holds a lake but no source\.sqlite/);
    const lakeFile = dataDir(`${tmp}/d3`);
    await Deno.mkdir(lakeFile.root);
    await Deno.writeTextFile(lakeFile.lake, "");
    await assert.rejects(prepareDataDir(lakeFile), /lake is not a directory$/);
  });
});

Deno.test("resetDataDir() removes the source and the lake of a Lakestream data directory", async () => {
  await withTempDir(async (tmp) => {
    const dir = dataDir(`${tmp}/data`);
    await Deno.mkdir(`${dir.lake}/orders/_delta_log`, { recursive: true });
    await Deno.mkdir(`${dir.lake}/_checkpoints/lakestream`, { recursive: true });
    sqliteWithChanges(dir.source);
    await Deno.writeTextFile(`${dir.source}-wal`, "");
    const removed = await resetDataDir(dir);
    assert.deepEqual(removed, [dir.lake, dir.source, `${dir.source}-wal`]);
    assert.deepEqual(await Array.fromAsync(Deno.readDir(dir.root)), []);
    assert.deepEqual(await resetDataDir(dataDir(`${tmp}/missing`)), []);
  });
});

Deno.test("resetDataDir() refuses anything else and removes nothing", async () => {
  await withTempDir(async (tmp) => {
    const dir = dataDir(`${tmp}/data`);
    await Deno.mkdir(`${dir.lake}/orders/_delta_log`, { recursive: true });
    sqliteWithChanges(dir.source);
    await Deno.writeTextFile(`${dir.root}/thesis.tex`, "precious");
    await assert.rejects(
      resetDataDir(dir),
      /Cannot reset ".*\/data": it holds "thesis\.tex", so it is not a Lakestream/,
    );
    assert.ok(await exists(dir.source) && await exists(dir.lake) && await exists(`${dir.root}/thesis.tex`));
    await Deno.remove(`${dir.root}/thesis.tex`);

    await Deno.mkdir(`${dir.lake}/photos`);
    await assert.rejects(resetDataDir(dir), /lake\/photos is not a Delta table/);
    await Deno.remove(`${dir.lake}/photos`);

    const other = new DatabaseSync(`${tmp}/other.sqlite`);
    other.exec("CREATE TABLE accounts (id INTEGER)");
    other.close();
    await Deno.rename(`${tmp}/other.sqlite`, dir.source);
    await assert.rejects(resetDataDir(dir), /source\.sqlite has no _changes capture table/);
    assert.ok(await exists(dir.source) && await exists(`${dir.lake}/orders/_delta_log`));
  });
});
