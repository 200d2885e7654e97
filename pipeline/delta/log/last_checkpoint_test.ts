import assert from "node:assert/strict";
import { MemoryStore } from "../storage/memory_store.ts";
import { LAST_CHECKPOINT_KEY } from "./log_path.ts";
import { parseLastCheckpoint, readLastCheckpoint } from "./last_checkpoint.ts";

Deno.test("parseLastCheckpoint() keeps version, size and parts and ignores other keys", () => {
  assert.deepEqual(parseLastCheckpoint('{"version":10,"size":13,"sizeInBytes":14800,"checksum":"x"}'), {
    version: 10,
    size: 13,
  });
  // delta-rs 0.17 wrote snake-case keys (app-txn-checkpoint).
  assert.deepEqual(parseLastCheckpoint('{"size":8,"size_in_bytes":21857,"version":1}'), {
    version: 1,
    size: 8,
  });
  assert.deepEqual(parseLastCheckpoint('{"version":1,"size":12,"parts":2}'), {
    version: 1,
    size: 12,
    parts: 2,
  });
});

Deno.test("parseLastCheckpoint() returns null for a corrupt hint", () => {
  for (const text of ["", "{", "[]", "null", '{"version":-1}', '{"version":"10"}', '{"size":3}']) {
    assert.equal(parseLastCheckpoint(text), null, text);
  }
});

Deno.test("readLastCheckpoint() returns null when the file is missing", async () => {
  const store = new MemoryStore();
  assert.equal(await readLastCheckpoint(store), null);
  await store.put(LAST_CHECKPOINT_KEY, new TextEncoder().encode('{"version":4,"size":2}'));
  assert.deepEqual(await readLastCheckpoint(store), { version: 4, size: 2 });
});
