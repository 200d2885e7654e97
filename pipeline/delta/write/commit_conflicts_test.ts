import assert from "node:assert/strict";
import type { Action, AddFile } from "../log/actions.ts";
import { findConflict, type TransactionFootprint } from "./commit_conflicts.ts";

const blindAppend: TransactionFootprint = {
  readsData: false,
  readPaths: new Set(),
  removedPaths: new Set(),
  appIds: new Set(),
  domains: new Set(),
  changesMetadata: false,
};
const add = (
  path: string,
  dataChange = true,
  partitionValues: Record<string, string | null> = {},
): Action => ({
  add: { path, partitionValues, size: 1, modificationTime: 0, dataChange } satisfies AddFile,
});
const remove = (path: string, dataChange = true): Action => ({ remove: { path, dataChange } });
const info: Action = { commitInfo: { operation: "WRITE" } };

Deno.test("findConflict() lets blind appends pass concurrent appends, removes and compactions", () => {
  assert.equal(findConflict(blindAppend, [info, add("a"), add("b")]), null);
  assert.equal(findConflict(blindAppend, [remove("x"), add("y", false)]), null);
});

Deno.test("findConflict() fails on concurrent protocol and metadata changes", () => {
  assert.equal(
    findConflict(blindAppend, [{ protocol: { minReaderVersion: 1, minWriterVersion: 4 } }])?.kind,
    "protocol-changed",
  );
  const meta: Action = {
    metaData: {
      id: "t",
      format: { provider: "parquet", options: {} },
      schemaString: "{}",
      partitionColumns: [],
      configuration: {},
    },
  };
  assert.equal(findConflict(blindAppend, [meta])?.kind, "metadata-changed");
});

Deno.test("findConflict() fails a reading transaction on data-changing adds, not on compaction adds", () => {
  const reader = { ...blindAppend, readsData: true, readPaths: new Set(["f1"]) };
  assert.equal(findConflict(reader, [add("new")])?.kind, "concurrent-append");
  assert.equal(findConflict(reader, [add("compacted", false), remove("f2", false)]), null);
  const scoped = { ...reader, readPartitions: [{ day: "2024-01-01" }] };
  assert.equal(findConflict(scoped, [add("other", true, { day: "2024-01-02" })]), null);
  assert.equal(findConflict(scoped, [add("same", true, { day: "2024-01-01" })])?.kind, "concurrent-append");
});

Deno.test("findConflict() fails when a file read or removed was removed concurrently", () => {
  const tx = {
    ...blindAppend,
    readsData: true,
    readPaths: new Set(["f1", "f2"]),
    removedPaths: new Set(["f1"]),
  };
  assert.equal(findConflict(tx, [remove("f1", false)])?.kind, "concurrent-delete-delete");
  assert.equal(findConflict(tx, [remove("f2")])?.kind, "concurrent-delete-read");
  assert.equal(findConflict(tx, [remove("f2", false)]), null);
  assert.equal(findConflict(tx, [remove("f3")]), null);
});

Deno.test("findConflict() fails when the same application committed concurrently", () => {
  const tx = { ...blindAppend, appIds: new Set(["orders-sink"]) };
  assert.equal(
    findConflict(tx, [{ txn: { appId: "orders-sink", version: 7 } }, add("a")])?.kind,
    "concurrent-transaction",
  );
  assert.equal(findConflict(tx, [{ txn: { appId: "other", version: 7 } }]), null);
});

Deno.test("findConflict() fails a metadata change on any concurrent data change", () => {
  const evolve = { ...blindAppend, changesMetadata: true };
  assert.equal(findConflict(evolve, [add("a")])?.kind, "concurrent-append");
});

Deno.test("findConflict() lets a reading transaction pass adds outside its read filter", () => {
  const reader: TransactionFootprint = {
    ...blindAppend,
    readsData: true,
    readFilter: (a) => a.path.startsWith("keys-1"),
  };
  assert.equal(findConflict(reader, [add("keys-2/a")]), null);
  assert.equal(findConflict(reader, [add("keys-1/a")])?.kind, "concurrent-append");
});

Deno.test("findConflict() treats two removes of one file as a conflict whatever their deletion vectors", () => {
  const dv = (id: string) => ({
    storageType: "u" as const,
    pathOrInlineDv: id,
    offset: 1,
    sizeInBytes: 34,
    cardinality: 1,
  });
  // Two deletion-vector updates of one file from the same snapshot: both remove it (with its old vector or
  // none) and re-add it with a vector of their own.
  const tx: TransactionFootprint = { ...blindAppend, removedPaths: new Set(["f"]) };
  const winner: Action[] = [
    { remove: { path: "f", dataChange: true, deletionVector: dv("aaaaaaaaaaaaaaaaaaaa") } },
    {
      add: {
        path: "f",
        partitionValues: {},
        size: 1,
        modificationTime: 0,
        dataChange: true,
        deletionVector: dv("bbbbbbbbbbbbbbbbbbbb"),
      },
    },
  ];
  assert.equal(findConflict(tx, winner)?.kind, "concurrent-delete-delete");
  // A reader of the file conflicts with its re-add with a new vector.
  const reader: TransactionFootprint = { ...blindAppend, readsData: true, readPaths: new Set(["f"]) };
  assert.equal(findConflict(reader, winner)?.kind, "concurrent-delete-read");
});
