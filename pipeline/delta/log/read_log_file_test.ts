import assert from "node:assert/strict";
import { MemoryStore } from "../storage/memory_store.ts";
import { NotFoundError } from "../storage/object_store.ts";
import { commitKey } from "./log_path.ts";
import { readLogFile } from "./read_log_file.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

Deno.test("readLogFile() returns the actions of a commit", async () => {
  const store = new MemoryStore({ url: "s3://lake/orders" });
  await store.put(
    commitKey(0),
    bytes('{"commitInfo":{"operation":"WRITE"}}\n{"txn":{"appId":"a","version":1}}\n'),
  );
  assert.deepEqual(await readLogFile(store, commitKey(0)), [
    { commitInfo: { operation: "WRITE" } },
    { txn: { appId: "a", version: 1 } },
  ]);
});

Deno.test("readLogFile() names the table, version, file and line of a broken commit", async () => {
  const store = new MemoryStore({ url: "s3://lake/orders" });
  await store.put(commitKey(3), bytes('{"commitInfo":{}}\n\n{"add":{"path":\n'));
  const error = await readLogFile(store, commitKey(3)).then(() => null, (e: unknown) => e);
  assert.ok(error instanceof SyntaxError);
  assert.match(
    error.message,
    /^Cannot read "s3:\/\/lake\/orders" at version 3: Cannot parse line 3 of "_delta_log\/00000000000000000003\.json": /,
  );
  assert.ok(error.cause instanceof SyntaxError);
  await store.put(commitKey(4), bytes('{"add":{"size":1}}\n'));
  await assert.rejects(readLogFile(store, commitKey(4)), {
    name: "SyntaxError",
    message:
      /^Cannot read "s3:\/\/lake\/orders" at version 4: Cannot use line 1 of "_delta_log\/0+4\.json": /,
  });
});

Deno.test("readLogFile() names the version range of a broken compaction file", async () => {
  const store = new MemoryStore({ url: "memory://t" });
  const key = "_delta_log/00000000000000000002.00000000000000000005.compacted.json";
  await store.put(key, bytes("[1]\n"));
  await assert.rejects(readLogFile(store, key), {
    message:
      `Cannot read "memory://t" at versions 2 to 5: Cannot parse line 1 of "${key}": an action must be a JSON object`,
  });
});

Deno.test("readLogFile() rejects with NotFoundError when the file is missing", async () => {
  const store = new MemoryStore({ url: "memory://t" });
  await assert.rejects(readLogFile(store, commitKey(7)), NotFoundError);
});
