import assert from "node:assert/strict";
import { loadSnapshot, readCommit } from "../log/snapshot.ts";
import { scanAll } from "../read/scan.ts";
import type { StructType } from "../schema/types.ts";
import { MemoryStore } from "../storage/memory_store.ts";
import { deleteByKey } from "./delete_rows.ts";
import { enableDeletionVectors } from "./enable_deletion_vectors.ts";
import { writeTable } from "./write_table.ts";

const schema: StructType = {
  type: "struct",
  fields: [
    { name: "id", type: "long", nullable: false, metadata: {} },
    { name: "local", type: "timestamp_ntz", nullable: true, metadata: {} },
  ],
};

Deno.test("enableDeletionVectors() upgrades a (1,4) CDF table to (3,7) and later deletes write vectors", async () => {
  const store = new MemoryStore();
  const plain: StructType = { type: "struct", fields: [schema.fields[0]] };
  await writeTable(store, [{ id: 1n }, { id: 2n }, { id: 3n }], {
    create: { schema: plain, enableChangeDataFeed: true, properties: { custom: "kept" } },
  });
  assert.equal(await enableDeletionVectors(store), 1);
  const s = await loadSnapshot(store);
  assert.deepEqual(s.protocol, {
    minReaderVersion: 3,
    minWriterVersion: 7,
    readerFeatures: ["deletionVectors"],
    writerFeatures: ["appendOnly", "invariants", "changeDataFeed", "deletionVectors"],
  });
  assert.deepEqual(s.metadata.configuration, {
    custom: "kept",
    "delta.enableChangeDataFeed": "true",
    "delta.enableDeletionVectors": "true",
  });
  assert.equal(await enableDeletionVectors(store), null, "already enabled: nothing to commit");
  await deleteByKey(store, [{ id: 2n }], ["id"]);
  const after = await loadSnapshot(store);
  assert.equal(after.files.filter((f) => f.deletionVector).length, 1);
  assert.deepEqual((await scanAll(store, after)).map((r) => r.id), [1n, 3n]);
});

Deno.test("enableDeletionVectors() keeps the features of a (3,7) table", async () => {
  const store = new MemoryStore();
  await writeTable(store, [{ id: 1n, local: null }], { create: { schema } });
  await enableDeletionVectors(store);
  const actions = await readCommit(store, 1);
  const protocol = actions.find((a) => "protocol" in a);
  assert.deepEqual(protocol && "protocol" in protocol ? protocol.protocol : null, {
    minReaderVersion: 3,
    minWriterVersion: 7,
    readerFeatures: ["timestampNtz", "deletionVectors"],
    writerFeatures: ["appendOnly", "invariants", "timestampNtz", "deletionVectors"],
  });
});
