import assert from "node:assert/strict";
import type { Row } from "../../value/mod.ts";
import { goldenCopy, goldenStore } from "../golden/golden_tables.ts";
import { commitKey } from "../log/log_path.ts";
import { readChanges } from "./changes.ts";

async function collect(iter: AsyncIterable<Row[]>): Promise<Row[]> {
  const out: Row[] = [];
  for await (const rows of iter) out.push(...rows);
  return out;
}

Deno.test("readChanges() turns a deletion-vector update into exactly the deleted rows", async () => {
  // table-with-dv-small v1 removes the file and re-adds it with a DV of rows 0 and 9; enable CDF in a copy.
  const store = await goldenCopy("table-with-dv-small");
  const v0 = new TextDecoder().decode(await store.get(commitKey(0)));
  await store.put(
    commitKey(0),
    new TextEncoder().encode(
      v0.replace('"configuration":{', '"configuration":{"delta.enableChangeDataFeed":"true",'),
    ),
  );
  const rows = await collect(readChanges(store, { fromVersion: 0 }));
  const summary = rows.map((r) => `${r._commit_version}:${r._change_type}:${r.value}`).sort();
  assert.deepEqual(
    summary,
    [
      ...Array.from({ length: 10 }, (_, i) => `0:insert:${i}`),
      "1:delete:0",
      "1:delete:9",
    ].sort(),
  );
});

Deno.test("readChanges() refuses versions without Change Data Feed, naming the version", async () => {
  await assert.rejects(collect(readChanges(goldenStore("basic_append"), { fromVersion: 0 })), {
    message: /"[^"]*basic_append\/delta" at version 0: Change Data Feed is not enabled/,
  });
});

Deno.test("readChanges() checks its range", async () => {
  const store = goldenStore("cdf-table");
  await assert.rejects(collect(readChanges(store, { fromVersion: 2, toVersion: 1 })), RangeError);
  await assert.rejects(collect(readChanges(store, { fromVersion: 0, toVersion: 9 })), {
    name: "RangeError",
    message: /the latest version is 3/,
  });
  await assert.rejects(collect(readChanges(store, {})), TypeError);
});

Deno.test("readChanges() with a time window keeps the commits inside it", async () => {
  const store = goldenStore("cdc_ict_table");
  const rows = await collect(readChanges(store, {
    fromTimestamp: new Date("2026-07-12T16:36:52.175Z"),
    toTimestamp: new Date("2026-07-12T16:36:52.175Z"),
  }));
  assert.deepEqual(rows.map((r) => `${r._commit_version}:${r._change_type}:${r.name}`).sort(), [
    "2:delete:Dan",
    "2:delete:Dave",
  ]);
});
