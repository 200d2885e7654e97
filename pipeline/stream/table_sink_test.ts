import assert from "node:assert/strict";
import { MemoryStore } from "../delta/storage/memory_store.ts";
import type { ObjectMeta } from "../delta/storage/object_store.ts";
import type { OutputTable } from "./operators/operator.ts";
import { TableSink } from "./table_sink.ts";

const TABLE: OutputTable = {
  name: "t",
  schema: { type: "struct", fields: [{ name: "id", type: "long", nullable: false, metadata: {} }] },
  key: ["id"],
};

/** A memory store counting its listings, failing them while `failLists` is set. */
class ListingStore extends MemoryStore {
  lists = 0;
  failLists = false;
  override list(prefix: string, options?: { startAfter?: string }): AsyncIterable<ObjectMeta> {
    this.lists++;
    if (this.failLists) throw new Error("listing refused");
    return super.list(prefix, options);
  }
}

Deno.test("TableSink.preload() loads the table once, for the first commit; a batch already held is skipped", async () => {
  const store = new ListingStore();
  const sink = new TableSink(store, TABLE, { appId: "job", changeDataFeed: false });
  sink.preload();
  sink.preload();
  const first = await sink.commit(1, { upserts: [{ id: 1n }], deletes: [] });
  assert.equal(first.version, 0);
  assert.equal(store.lists, 1, "one load, shared by both preloads and the commit");
  const again = await sink.commit(1, { upserts: [{ id: 1n }], deletes: [] });
  assert.ok(again.skipped);
});

Deno.test("TableSink: a failed preload fails the first commit, and the next commit loads again", async () => {
  const store = new ListingStore();
  const sink = new TableSink(store, TABLE, { appId: "job", changeDataFeed: false });
  store.failLists = true;
  sink.preload();
  await assert.rejects(sink.commit(1, { upserts: [{ id: 1n }], deletes: [] }), /listing refused/);
  store.failLists = false;
  const r = await sink.commit(1, { upserts: [{ id: 1n }], deletes: [] });
  assert.equal(r.version, 0);
});

Deno.test("TableSink with deletionVectors creates the table with them, upgrades a table without, and marks replaced rows", async () => {
  const fresh = new MemoryStore();
  const sink = new TableSink(fresh, TABLE, { appId: "job", changeDataFeed: true, deletionVectors: true });
  await sink.commit(1, { upserts: [{ id: 1n }, { id: 2n }, { id: 3n }], deletes: [] });
  assert.deepEqual(sink.snapshot?.protocol.readerFeatures, ["deletionVectors"]);
  await sink.commit(2, { upserts: [], deletes: [{ id: 2n }] });
  const [file] = sink.snapshot!.files;
  assert.equal(sink.snapshot!.files.length, 1, "the file stays, with a vector");
  assert.equal(file.deletionVector?.cardinality, 1);
  assert.deepEqual(
    (await Array.fromAsync(fresh.list(""))).filter((m) => m.key.startsWith("deletion_vector_")).length,
    1,
  );

  // A table written copy-on-write is upgraded by its first commit with deletion vectors.
  const old = new MemoryStore();
  await new TableSink(old, TABLE, { appId: "job", changeDataFeed: false }).commit(1, {
    upserts: [{ id: 1n }, { id: 2n }],
    deletes: [],
  });
  const upgraded = new TableSink(old, TABLE, { appId: "job", changeDataFeed: false, deletionVectors: true });
  const r = await upgraded.commit(2, { upserts: [], deletes: [{ id: 1n }] });
  assert.equal(r.version, 2, "version 1 turned deletion vectors on");
  assert.equal(upgraded.snapshot?.metadata.configuration?.["delta.enableDeletionVectors"], "true");
  assert.equal(upgraded.snapshot?.files[0].deletionVector?.cardinality, 1);
});
