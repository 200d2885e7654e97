import assert from "node:assert/strict";
import { createTable, openStore, type StructType, upsertRows, writeTable } from "../../pipeline/delta/mod.ts";
import type { Row } from "../../pipeline/value/mod.ts";
import { TableTailer } from "./table_tailer.ts";

const SCHEMA: StructType = {
  type: "struct",
  fields: [
    { name: "id", type: "long", nullable: false, metadata: {} },
    { name: "label", type: "string", nullable: true, metadata: {} },
  ],
};

async function table(dir: string, rows: Row[][]): Promise<void> {
  const store = openStore(dir);
  await createTable(store, { schema: SCHEMA });
  for (const batch of rows) await writeTable(store, batch);
}

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "lakestream-tailer-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const plan = { mode: "keyed", key: ["id"], feed: true } as const;
const labels = (rows: Row[]) => rows.map((r) => r.label).sort();

Deno.test("TableTailer.poll() reads a table re-created past its version again, removing every old row", async () => {
  await withDir(async (dir) => {
    await table(dir, [[{ id: 1n, label: "old" }]]);
    const tailer = new TableTailer("t", openStore(dir), { plan });
    assert.deepEqual(labels((await tailer.open())!.added), ["old"]);
    await Deno.remove(dir, { recursive: true });
    // Versions 0-3: the commits after the tailer's version 1 exist, but belong to another table.
    await table(dir, [[{ id: 2n, label: "a" }], [{ id: 3n, label: "b" }], [{ id: 4n, label: "c" }]]);
    const [change, ...rest] = await tailer.poll();
    assert.equal(rest.length, 0);
    assert.match(
      change.reset ?? "",
      /version 1 was rewritten: the table was re-created .*read version 3 afresh/,
    );
    assert.deepEqual(labels(change.removed), ["old"]);
    assert.deepEqual(labels(change.added), ["a", "b", "c"]);
    assert.equal(tailer.snapshot?.version, 3);
    // Then it follows the new table commit by commit again.
    await upsertRows(openStore(dir), [{ id: 2n, label: "a2" }], ["id"]);
    const [next] = await tailer.poll();
    assert.equal(next.reset, undefined);
    assert.deepEqual([labels(next.removed), labels(next.added)], [["a"], ["a2"]]);
  });
});

Deno.test("TableTailer.poll() empties a deleted table and reads it again when it comes back", async () => {
  await withDir(async (dir) => {
    await table(dir, [[{ id: 1n, label: "old" }, { id: 2n, label: "older" }]]);
    const tailer = new TableTailer("t", openStore(dir), { plan });
    await tailer.open();
    assert.deepEqual(await tailer.poll(true), [], "a quiet table that is still the same one reads nothing");
    await Deno.remove(dir, { recursive: true });
    assert.deepEqual(await tailer.poll(), [], "without the check a vanished table is not noticed yet");
    const [gone] = await tailer.poll(true);
    assert.match(gone.reset ?? "", /the commit file of version 1 is gone and the table no longer exists/);
    assert.deepEqual([labels(gone.removed), gone.added], [["old", "older"], []]);
    assert.equal(tailer.snapshot, null);
    assert.equal(tailer.stats(), null);
    await table(dir, [[{ id: 9n, label: "new" }]]);
    const [back] = await tailer.poll();
    assert.deepEqual([back.initial, back.removed, labels(back.added)], [true, [], ["new"]]);
  });
});
