import assert from "node:assert/strict";
import type { Action, AddFile, Metadata, RemoveFile } from "./actions.ts";
import {
  applyActions,
  cloneState,
  dvUniqueId,
  emptyState,
  fileKey,
  firstOccurrences,
  parseActions,
  replay,
} from "./replay.ts";

const meta = (id: string): Metadata => ({
  id,
  format: { provider: "parquet", options: {} },
  schemaString: '{"type":"struct","fields":[]}',
  partitionColumns: [],
  configuration: {},
});
const add = (path: string, extra: Partial<AddFile> = {}): Action => ({
  add: { path, partitionValues: {}, size: 1, modificationTime: 0, dataChange: true, ...extra },
});
const remove = (path: string, extra: Partial<RemoveFile> = {}): Action => ({
  remove: { path, dataChange: true, deletionTimestamp: 5, ...extra },
});
const dv = {
  storageType: "u" as const,
  pathOrInlineDv: "vBn[lx{q8@P<9BNH/isA",
  offset: 1,
  sizeInBytes: 36,
  cardinality: 2,
};

Deno.test("replay() keeps the last protocol and metaData", () => {
  const state = replay([
    [{ protocol: { minReaderVersion: 1, minWriterVersion: 2 } }, { metaData: meta("a") }],
    [{ metaData: meta("b") }],
    [{ protocol: { minReaderVersion: 1, minWriterVersion: 4 } }],
  ]);
  assert.deepEqual(state.metadata?.id, "b");
  assert.deepEqual(state.protocol?.minWriterVersion, 4);
});

Deno.test("replay() keeps the newest txn per appId", () => {
  const state = replay([
    [{ txn: { appId: "a", version: 1 } }],
    [{ txn: { appId: "a", version: 3 } }, { txn: { appId: "b", version: 2 } }],
  ]);
  assert.deepEqual([...state.txns.values()].map((t) => [t.appId, t.version]), [["a", 3], ["b", 2]]);
});

Deno.test("replay() drops domain metadata marked removed", () => {
  const state = replay([
    [{ domainMetadata: { domain: "x", configuration: "{}", removed: false } }],
    [{ domainMetadata: { domain: "y", configuration: "1", removed: false } }],
    [{ domainMetadata: { domain: "x", configuration: "{}", removed: true } }],
  ]);
  assert.deepEqual([...state.domains.keys()], ["y"]);
});

Deno.test("replay() turns removed files into tombstones and re-adds revive them", () => {
  const state = replay([[add("a"), add("b")], [remove("a")]]);
  assert.deepEqual([...state.files.keys()], ["b"]);
  assert.deepEqual([...state.tombstones.keys()], ["a"]);
  applyActions(state, [add("a")]);
  assert.deepEqual([...state.files.keys()].sort(), ["a", "b"]);
  assert.deepEqual(state.tombstones.size, 0);
});

Deno.test("applyActions() applies removes before adds for the deletion-vector update pattern", () => {
  // table-with-dv-small v1: remove(path, no DV) and add(path, DV) in one commit, add listed first.
  const state = replay([[add("f")], [add("f", { deletionVector: dv }), remove("f")]]);
  assert.deepEqual([...state.files.keys()], [fileKey("f", dv)]);
  assert.deepEqual(state.files.get(fileKey("f", dv))?.deletionVector?.cardinality, 2);
  assert.deepEqual([...state.tombstones.keys()], ["f"]);
});

Deno.test("dvUniqueId() joins storage type, path and offset", () => {
  assert.deepEqual(dvUniqueId(dv), "uvBn[lx{q8@P<9BNH/isA@1");
  assert.deepEqual(dvUniqueId({ ...dv, offset: undefined }), "uvBn[lx{q8@P<9BNH/isA");
  assert.deepEqual(dvUniqueId(null), null);
});

Deno.test("cloneState() copies so that changes do not reach the original", () => {
  const a = replay([[add("x")]]);
  const b = cloneState(a);
  applyActions(b, [remove("x")]);
  assert.deepEqual(a.files.size, 1);
  assert.deepEqual(b.files.size, 0);
  assert.deepEqual(emptyState().files.size, 0);
});

Deno.test("parseActions() skips blank lines and unknown actions", () => {
  const text = [
    JSON.stringify({ commitInfo: { operation: "WRITE" } }),
    "",
    JSON.stringify({ somethingNew: { a: 1 } }),
    JSON.stringify(add("p")),
    "",
  ].join("\n");
  const actions = parseActions(text, "v.json");
  assert.deepEqual(actions.length, 2);
  assert.deepEqual("commitInfo" in actions[0], true);
  assert.deepEqual("add" in actions[1], true);
});

Deno.test("parseActions() names the file and line of bad JSON", () => {
  assert.throws(
    () => parseActions('{"add":{}}\n{"add":{"path":"x","size":1,"partitionValues":{}}}\n{oops', "00.json"),
    { name: "SyntaxError", message: /line 1 of "00\.json": add has no path/ },
  );
  assert.throws(() => parseActions('{"commitInfo":{}}\n{oops', "00.json"), {
    name: "SyntaxError",
    message: /line 2 of "00\.json"/,
  });
  assert.throws(() => parseActions("[1]", "00.json"), {
    name: "SyntaxError",
    message: /must be a JSON object/,
  });
});

Deno.test("firstOccurrences() keeps the newest action per key of a newest-first compaction file", () => {
  const actions = firstOccurrences([
    add("f", { deletionVector: dv }),
    remove("f"),
    add("f"),
    { txn: { appId: "a", version: 9 } },
    { txn: { appId: "a", version: 1 } },
    { metaData: meta("new") },
    { metaData: meta("old") },
  ]);
  assert.equal(actions.length, 4);
  const state = replay([actions]);
  assert.deepEqual([...state.files.keys()], [fileKey("f", dv)]);
  assert.equal(state.txns.get("a")?.version, 9);
  assert.equal(state.metadata?.id, "new");
});
