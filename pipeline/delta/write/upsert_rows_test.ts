import assert from "node:assert/strict";
import { contents, keyedTable, now, row, schema } from "./_keyed_table.ts";
import type { Row } from "../../value/mod.ts";
import type { Action } from "../log/actions.ts";
import { loadSnapshot, readCommit } from "../log/snapshot.ts";
import type { StructType } from "../schema/types.ts";
import { MemoryStore } from "../storage/memory_store.ts";
import { deleteByKey, deleteRows } from "./delete_rows.ts";
import { readFileRows } from "./file_rows.ts";
import { upsertRows } from "./upsert_rows.ts";
import { createTable } from "./write_table.ts";

async function cdcRows(store: MemoryStore, version: number): Promise<Row[]> {
  const s = await loadSnapshot(store);
  const actions: Action[] = await readCommit(store, version);
  const out: Row[] = [];
  const cdcSchema: StructType = {
    type: "struct",
    fields: [...s.schema.fields, { name: "_change_type", type: "string", nullable: true, metadata: {} }],
  };
  for (const a of actions) {
    if ("cdc" in a) {
      const add = { ...a.cdc, modificationTime: 0 };
      out.push(...await readFileRows(store, cdcSchema, [], add));
    }
  }
  return out;
}

Deno.test("upsertRows() rewrites only the file holding the touched key and inserts new keys", async () => {
  const store = new MemoryStore();
  await keyedTable(store);
  const r = await upsertRows(store, [row(15, "fifteen", "9.99"), row(31, "new")], ["id"], { now });
  assert.equal(r.numFilesRead, 1);
  assert.equal(r.numRemovedFiles, 1);
  assert.equal(r.numUpdatedRows, 1);
  assert.equal(r.numInsertedRows, 1);
  const rows = await contents(store);
  assert.equal(rows.length, 31);
  assert.deepEqual(rows[14], row(15, "fifteen", "9.99"));
  assert.deepEqual(rows[30], row(31, "new"));
  const info = (await readCommit(store, r.version!))[0] as Extract<Action, { commitInfo: unknown }>;
  assert.equal(info.commitInfo.operation, "MERGE");
  assert.equal(info.commitInfo.operationMetrics?.numTargetRowsCopied, "9");
});

Deno.test("upsertRows() writes update pre/post images and inserts to the Change Data Feed", async () => {
  const store = new MemoryStore();
  await keyedTable(store, { cdf: true });
  const r = await upsertRows(store, [row(2, "two"), row(40)], ["id"], { now });
  const changes = (await cdcRows(store, r.version!)).map((x) => `${x._change_type}:${x.id}:${x.name}`).sort();
  assert.deepEqual(changes, ["insert:40:n40", "update_postimage:2:two", "update_preimage:2:n2"]);
});

Deno.test("deleteRows() and deleteByKey() remove rows, rewrite files and write delete changes", async () => {
  const store = new MemoryStore();
  await keyedTable(store, { cdf: true });
  const byKey = await deleteByKey(store, [row(5), row(25)], ["id"], { now });
  assert.equal(byKey.numDeletedRows, 2);
  assert.equal(byKey.numRemovedFiles, 2);
  const changes = (await cdcRows(store, byKey.version!)).map((x) => `${x._change_type}:${x.id}`).sort();
  assert.deepEqual(changes, ["delete:25", "delete:5"]);
  const r = await deleteRows(store, { description: "id > 20", test: (x) => (x.id as bigint) > 20n }, { now });
  assert.equal(r.numDeletedRows, 9);
  assert.equal(r.numAddedFiles, 0);
  assert.deepEqual((await contents(store)).map((x) => Number(x.id)), [
    1,
    2,
    3,
    4,
    6,
    7,
    8,
    9,
    10,
    ...Array.from({ length: 10 }, (_, i) => 11 + i),
  ]);
  const none = await deleteRows(store, { description: "false", test: () => false }, { now });
  assert.equal(none.version, null);
});

Deno.test("deleteRows() refuses an append-only table", async () => {
  const store = new MemoryStore();
  await createTable(store, { schema, properties: { "delta.appendOnly": "true" } }, { now });
  await assert.rejects(deleteRows(store, { description: "true", test: () => true }, { now }), /append-only/);
});
