import assert from "node:assert/strict";
import { MemoryStore } from "../storage/memory_store.ts";
import type { Action, Metadata } from "./actions.ts";
import { commitKey, LAST_CHECKPOINT_KEY } from "./log_path.ts";
import { loadSnapshot } from "./snapshot.ts";
import { TableNotFoundError } from "./table_not_found_error.ts";

const SCHEMA = JSON.stringify({
  type: "struct",
  fields: [{ name: "id", type: "long", nullable: true, metadata: {} }],
});
const metadata = (configuration: Record<string, string> = {}): Metadata => ({
  id: "t",
  format: { provider: "parquet", options: {} },
  schemaString: SCHEMA,
  partitionColumns: [],
  configuration,
  createdTime: 0,
});
const protocol: Action = { protocol: { minReaderVersion: 1, minWriterVersion: 2 } };
const add = (path: string): Action => ({
  add: { path, partitionValues: {}, size: 10, modificationTime: 0, dataChange: true },
});
const text = (actions: Action[]) =>
  new TextEncoder().encode(actions.map((a) => JSON.stringify(a)).join("\n") + "\n");

/** A store whose clock the test sets, so commit file times are known. */
function storeWithClock() {
  const clock = { now: 1_000_000 };
  const store = new MemoryStore({ url: "memory://t", now: () => clock.now });
  const commit = async (version: number, actions: Action[], at?: number) => {
    if (at !== undefined) clock.now = at;
    await store.putIfAbsent(commitKey(version), text(actions));
  };
  return { store, clock, commit };
}

Deno.test("loadSnapshot() replays commits to the latest version", async () => {
  const { store, commit } = storeWithClock();
  await commit(0, [{ commitInfo: { operation: "CREATE" } }, protocol, { metaData: metadata() }]);
  await commit(1, [add("a"), add("b")]);
  await commit(2, [{ remove: { path: "a", dataChange: true } }, { txn: { appId: "s", version: 7 } }]);
  const s = await loadSnapshot(store);
  assert.equal(s.version, 2);
  assert.deepEqual(s.files.map((f) => f.path), ["b"]);
  assert.deepEqual(s.tombstones.map((f) => f.path), ["a"]);
  assert.equal(s.txnVersion("s"), 7);
  assert.equal(s.txnVersion("other"), undefined);
  assert.deepEqual(s.schema.fields.map((f) => f.name), ["id"]);
  assert.equal(s.sizeInBytes, 10);
  assert.equal(s.checkpointVersion, null);
});

Deno.test("loadSnapshot() loads an older version on request", async () => {
  const { store, commit } = storeWithClock();
  await commit(0, [protocol, { metaData: metadata() }, add("a")]);
  await commit(1, [add("b")]);
  const s = await loadSnapshot(store, { version: 0 });
  assert.equal(s.version, 0);
  assert.deepEqual(s.files.map((f) => f.path), ["a"]);
  await assert.rejects(loadSnapshot(store, { version: 2 }), {
    name: "RangeError",
    message: /version 2: the latest version is 1/,
  });
  await assert.rejects(loadSnapshot(store, { version: -1 }), RangeError);
});

Deno.test("loadSnapshot() fails with TableNotFoundError where there is no log", async () => {
  const store = new MemoryStore({ url: "memory://empty" });
  await store.put("part-0.parquet", new Uint8Array(1));
  await assert.rejects(loadSnapshot(store), TableNotFoundError);
});

Deno.test("loadSnapshot() names the missing version when the log has a gap", async () => {
  const { store, commit } = storeWithClock();
  await commit(0, [protocol, { metaData: metadata() }]);
  await commit(2, [add("a")]);
  await assert.rejects(loadSnapshot(store), {
    message: /Cannot load "memory:\/\/t" at version 2: version 1 is missing from the log/,
  });
});

Deno.test("loadSnapshot() fails when the log has no protocol or metaData", async () => {
  const { store, commit } = storeWithClock();
  await commit(0, [{ metaData: metadata() }]);
  await assert.rejects(loadSnapshot(store), { message: /at version 0: the log has no protocol/ });
});

Deno.test("loadSnapshot() refuses an unknown reader feature, naming table, version and feature", async () => {
  const { store, commit } = storeWithClock();
  await commit(0, [protocol, { metaData: metadata() }]);
  await commit(1, [{
    protocol: {
      minReaderVersion: 3,
      minWriterVersion: 7,
      readerFeatures: ["deletionVectors", "fancyNewThing"],
      writerFeatures: ["deletionVectors", "fancyNewThing"],
    },
  }]);
  await assert.rejects(loadSnapshot(store), {
    message: /Cannot read "memory:\/\/t" at version 1: it needs reader feature "fancyNewThing"/,
  });
  assert.equal((await loadSnapshot(store, { version: 0 })).version, 0);
  await commit(2, [{ protocol: { minReaderVersion: 99, minWriterVersion: 7 } }]);
  await assert.rejects(loadSnapshot(store), { message: /needs reader version 99/ });
});

Deno.test("loadSnapshot() names the table and version of a broken commit", async () => {
  const { store, commit } = storeWithClock();
  await commit(0, [protocol, { metaData: metadata() }, add("a")]);
  await store.putIfAbsent(commitKey(1), new TextEncoder().encode('{"commitInfo":{}}\n{"add":{"path":"b",\n'));
  await commit(2, [add("c")]);
  await assert.rejects(loadSnapshot(store), {
    name: "SyntaxError",
    message:
      /^Cannot read "memory:\/\/t" at version 1: Cannot parse line 2 of "_delta_log\/00000000000000000001\.json"/,
  });
  assert.equal((await loadSnapshot(store, { version: 0 })).files.length, 1);
});

Deno.test("loadSnapshot() ignores temp files and a corrupt or stale _last_checkpoint", async () => {
  const { store, commit } = storeWithClock();
  await commit(0, [protocol, { metaData: metadata() }, add("a")]);
  await commit(1, [add("b")]);
  await store.put("_delta_log/.tmp/00000000000000000002.json", text([add("junk")]));
  await store.put("_delta_log/.00000000000000000002.json.crc", new Uint8Array(3));
  await store.put(LAST_CHECKPOINT_KEY, new TextEncoder().encode("{not json"));
  assert.equal((await loadSnapshot(store)).version, 1);
  // A hint pointing at a checkpoint that does not exist falls back to the commits.
  await store.put(LAST_CHECKPOINT_KEY, new TextEncoder().encode('{"version":1,"size":3}'));
  const s = await loadSnapshot(store);
  assert.equal(s.version, 1);
  assert.deepEqual(s.files.map((f) => f.path).sort(), ["a", "b"]);
});

Deno.test("loadSnapshot() uses a compaction file in place of the commits it covers", async () => {
  const { store, commit } = storeWithClock();
  await commit(0, [protocol, { metaData: metadata() }, add("a")]);
  await commit(1, [add("b")]);
  await commit(2, [add("c")]);
  // The compaction file says something the commits do not, so the test sees which was used.
  await store.put(
    "_delta_log/00000000000000000000.00000000000000000001.compacted.json",
    text([protocol, { metaData: metadata() }, add("from-compaction")]),
  );
  const s = await loadSnapshot(store);
  assert.deepEqual(s.files.map((f) => f.path).sort(), ["c", "from-compaction"]);
  // A compaction file reaching past the target version is not used.
  assert.deepEqual((await loadSnapshot(store, { version: 0 })).files.map((f) => f.path), ["a"]);
});

Deno.test("loadSnapshot() travels by timestamp using monotonised file times", async () => {
  const { store, commit } = storeWithClock();
  await commit(0, [protocol, { metaData: metadata() }, add("a")], 10_000);
  await commit(1, [add("b")], 20_000);
  await commit(2, [add("c")], 15_000); // clock went backwards: treated as 20_001
  assert.equal((await loadSnapshot(store, { timestamp: 10_000 })).version, 0);
  assert.equal((await loadSnapshot(store, { timestamp: 19_999 })).version, 0);
  assert.equal((await loadSnapshot(store, { timestamp: 20_000 })).version, 1);
  assert.equal((await loadSnapshot(store, { timestamp: 20_000.5 })).version, 1);
  assert.equal((await loadSnapshot(store, { timestamp: new Date(20_001) })).version, 2);
  assert.equal((await loadSnapshot(store, { timestamp: 99_999 })).version, 2);
  await assert.rejects(loadSnapshot(store, { timestamp: 9_999 }), {
    name: "RangeError",
    message: /the earliest commit \(version 0\) is at 1970-01-01T00:00:10.000Z/,
  });
  await assert.rejects(loadSnapshot(store, { version: 1, timestamp: 1 }), TypeError);
});

Deno.test("loadSnapshot() uses in-commit timestamps from their enablement version", async () => {
  const { store, commit } = storeWithClock();
  const ict = (t: number): Action => ({ commitInfo: { inCommitTimestamp: t, timestamp: t } });
  await commit(0, [protocol, { metaData: metadata() }], 5_000);
  await commit(1, [
    ict(50_000),
    {
      metaData: metadata({
        "delta.enableInCommitTimestamps": "true",
        "delta.inCommitTimestampEnablementVersion": "1",
      }),
    },
  ], 900_000);
  await commit(2, [ict(60_000), add("a")], 800_000);
  await commit(3, [ict(70_000), add("b")], 700_000);
  const latest = await loadSnapshot(store);
  assert.equal(latest.timestamp, 70_000);
  assert.equal((await loadSnapshot(store, { version: 0 })).timestamp, 5_000);
  assert.equal((await loadSnapshot(store, { timestamp: 6_000 })).version, 0);
  assert.equal((await loadSnapshot(store, { timestamp: 50_000 })).version, 1);
  assert.equal((await loadSnapshot(store, { timestamp: 65_000 })).version, 2);
  assert.equal((await loadSnapshot(store, { timestamp: 70_000 })).version, 3);
});

Deno.test("Snapshot.numRecords sums file stats and is null when a file has none or unreadable ones", async () => {
  const { store, commit } = storeWithClock();
  const withStats = (path: string, stats: string | null): Action => ({
    add: { path, partitionValues: {}, size: 1, modificationTime: 0, dataChange: true, stats },
  });
  await commit(0, [
    protocol,
    { metaData: metadata() },
    withStats("a", '{"numRecords":3}'),
    withStats("b", '{"numRecords":4}'),
  ]);
  assert.equal((await loadSnapshot(store)).numRecords, 7);
  await commit(1, [withStats("c", "{broken")]);
  assert.equal((await loadSnapshot(store)).numRecords, null);
});
