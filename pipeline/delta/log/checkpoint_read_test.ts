import assert from "node:assert/strict";
import { goldenCopy, goldenStore } from "../golden/golden_tables.ts";
import { MemoryStore } from "../storage/memory_store.ts";
import type { Action } from "./actions.ts";
import { listLog } from "./listing.ts";
import { readCheckpoint } from "./checkpoint_read.ts";
import { commitKey, LAST_CHECKPOINT_KEY } from "./log_path.ts";
import { loadSnapshot } from "./snapshot.ts";

Deno.test("loadSnapshot() starts from a classic checkpoint and replays the commits after it", async () => {
  const s = await loadSnapshot(goldenStore("basic-with-inserts-deletes-checkpoint"));
  assert.equal(s.version, 13);
  assert.equal(s.checkpointVersion, 10);
  assert.equal(s.files.length, 7);
  assert.equal(s.numRecords, 41);
});

Deno.test("loadSnapshot() reads a multi-part checkpoint", async () => {
  const s = await loadSnapshot(goldenStore("multi-part-checkpoint"));
  assert.equal(s.checkpointVersion, 1);
  assert.equal(s.files.length, 10);
  assert.equal(s.numRecords, 31);
});

Deno.test("loadSnapshot() reads V2 checkpoints with sidecars", async () => {
  const a = await loadSnapshot(goldenStore("v2-checkpoint-parquet"));
  assert.equal(a.checkpointVersion, 2);
  assert.deepEqual(a.protocol.readerFeatures, ["v2Checkpoint"]);
  assert.equal(a.files.length, 4);
  const b = await loadSnapshot(goldenStore("v2-checkpoints-parquet-with-sidecars"));
  assert.equal(b.version, 6);
  assert.equal(b.checkpointVersion, 6);
  assert.equal(b.numRecords, 1233);
  const older = await loadSnapshot(goldenStore("v2-checkpoints-parquet-with-sidecars"), { version: 3 });
  assert.equal(older.checkpointVersion, 3);
});

Deno.test("loadSnapshot() reads a delta-rs checkpoint with its txns and parsed columns", async () => {
  const s = await loadSnapshot(goldenStore("app-txn-checkpoint"));
  assert.equal(s.checkpointVersion, 1);
  assert.equal(s.txnVersion("my-app"), 3);
  assert.equal(s.txnVersion("my-app2"), 2);
  assert.deepEqual(s.partitionColumns, ["modified"]);
  assert.equal(s.numRecords, 22);
});

Deno.test("loadSnapshot() keeps deletion vectors read from a checkpoint", async () => {
  const s = await loadSnapshot(goldenStore("dv-partitioned-with-checkpoint"));
  assert.equal(s.checkpointVersion, 10);
  assert.equal(s.numRecords, 35);
  assert.ok(s.files.some((f) => f.deletionVector?.storageType === "u"));
});

Deno.test("readCheckpoint() returns the non-file actions of a checkpoint", async () => {
  const store = goldenStore("basic-with-inserts-deletes-checkpoint");
  const listing = await listLog(store, 10);
  const actions = await readCheckpoint(store, listing.checkpoints[0]);
  assert.equal(actions.filter((a) => "protocol" in a).length, 1);
  assert.equal(actions.filter((a) => "metaData" in a).length, 1);
  assert.equal(actions.filter((a) => "add" in a).length, 6);
  const add = actions.find((a) => "add" in a) as { add: { dataChange: boolean; partitionValues: object } };
  assert.deepEqual(add.add.partitionValues, {});
});

Deno.test("loadSnapshot() falls back to the commits when the checkpoint is corrupt", async () => {
  const store = await goldenCopy("basic-with-inserts-deletes-checkpoint");
  await store.put("_delta_log/00000000000000000010.checkpoint.parquet", new TextEncoder().encode("garbage"));
  const s = await loadSnapshot(store);
  assert.equal(s.version, 13);
  assert.equal(s.checkpointVersion, null);
  assert.equal(s.numRecords, 41);
});

Deno.test("loadSnapshot() skips a multi-part checkpoint with a missing part", async () => {
  const store = await goldenCopy("multi-part-checkpoint");
  await store.delete("_delta_log/00000000000000000001.checkpoint.0000000002.0000000002.parquet");
  const s = await loadSnapshot(store);
  assert.equal(s.checkpointVersion, null);
  assert.equal(s.numRecords, 31);
});

Deno.test("loadSnapshot() skips a V2 checkpoint whose sidecar is missing", async () => {
  const store = await goldenCopy("v2-checkpoints-parquet-with-sidecars");
  const sidecars = await Array.fromAsync(store.list("_delta_log/_sidecars/"));
  for (const s of sidecars) await store.delete(s.key);
  const s = await loadSnapshot(store);
  assert.equal(s.checkpointVersion, null);
  assert.equal(s.numRecords, 1233);
});

Deno.test("loadSnapshot() reports a gap after the checkpoint", async () => {
  const store = await goldenCopy("basic-with-inserts-deletes-checkpoint");
  await store.delete(commitKey(12));
  await assert.rejects(loadSnapshot(store), {
    message:
      /Cannot load "memory:\/\/basic-with-inserts-deletes-checkpoint" at version 13: version 12 is missing/,
  });
});

Deno.test("loadSnapshot() works from a checkpoint whose earlier commits were cleaned up", async () => {
  const store = await goldenCopy("basic-with-inserts-deletes-checkpoint");
  for (let v = 0; v < 10; v++) await store.delete(commitKey(v));
  await store.delete(LAST_CHECKPOINT_KEY);
  const s = await loadSnapshot(store);
  assert.equal(s.checkpointVersion, 10);
  assert.equal(s.numRecords, 41);
  await assert.rejects(loadSnapshot(store, { version: 5 }), {
    message: /the log starts at version 10 and has no usable checkpoint at or before 5/,
  });
});

Deno.test("loadSnapshot() says why the only checkpoint was skipped when no commits replace it", async () => {
  const store = await goldenCopy("basic-with-inserts-deletes-checkpoint");
  for (let v = 0; v < 10; v++) await store.delete(commitKey(v));
  await store.put(
    "_delta_log/00000000000000000010.checkpoint.parquet",
    new TextEncoder().encode("not parquet"),
  );
  await assert.rejects(loadSnapshot(store), {
    message: new RegExp(
      '^Cannot load "memory://basic-with-inserts-deletes-checkpoint" at version 13: no usable checkpoint ' +
        '\\(a checkpoint was skipped: Cannot read Parquet file "_delta_log/00000000000000000010\\.checkpoint\\.parquet"',
    ),
  });
});

Deno.test("loadSnapshot() reads a UUID-named JSON V2 checkpoint", async () => {
  const store = new MemoryStore({ url: "memory://v2json" });
  const line = (a: Action) => JSON.stringify(a);
  const protocol: Action = {
    protocol: {
      minReaderVersion: 3,
      minWriterVersion: 7,
      readerFeatures: ["v2Checkpoint"],
      writerFeatures: ["v2Checkpoint"],
    },
  };
  const metaData: Action = {
    metaData: {
      id: "x",
      format: { provider: "parquet", options: {} },
      schemaString: '{"type":"struct","fields":[{"name":"id","type":"long","nullable":true,"metadata":{}}]}',
      partitionColumns: [],
      configuration: { "delta.checkpointPolicy": "v2" },
    },
  };
  const add = (path: string): Action => ({
    add: { path, partitionValues: {}, size: 1, modificationTime: 0, dataChange: false },
  });
  await store.put(
    "_delta_log/00000000000000000001.checkpoint.3a0d65cd-4056-49b8-937b-95f9e3ee90e5.json",
    new TextEncoder().encode(
      [{ checkpointMetadata: { version: 1 } }, protocol, metaData, add("a"), add("b")].map(line).join("\n"),
    ),
  );
  await store.put(commitKey(1), new TextEncoder().encode(line({ commitInfo: {} })));
  await store.put(commitKey(2), new TextEncoder().encode(line(add("c"))));
  const s = await loadSnapshot(store);
  assert.equal(s.checkpointVersion, 1);
  assert.deepEqual(s.files.map((f) => f.path).sort(), ["a", "b", "c"]);
});
