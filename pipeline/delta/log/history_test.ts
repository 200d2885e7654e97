import assert from "node:assert/strict";
import { goldenStore } from "../golden/golden_tables.ts";
import { MemoryStore } from "../storage/memory_store.ts";
import type { Action } from "./actions.ts";
import { history } from "./history.ts";
import { commitKey } from "./log_path.ts";

Deno.test("history() lists commits newest first with their operations", async () => {
  const h = await history(goldenStore("cdf-table"));
  assert.deepEqual(h.map((e) => [e.version, e.operation]), [[3, "DELETE"], [2, "UPDATE"], [1, "UPDATE"], [
    0,
    "WRITE",
  ]]);
  assert.equal(h[0].readVersion, 2);
  assert.equal(h[0].isBlindAppend, false);
  assert.equal(h[3].engineInfo, "Apache-Spark/3.5.0 Delta-Lake/3.0.0");
  assert.equal(typeof h[1].operationParameters.predicate, "string");
  const limited = await history(goldenStore("cdf-table"), { limit: 2 });
  assert.deepEqual(limited.map((e) => e.version), [3, 2]);
});

Deno.test("history() dates commits by in-commit timestamp where enabled", async () => {
  const h = await history(goldenStore("cdc_ict_table"));
  assert.deepEqual(h.map((e) => e.timestamp), [1783874213881, 1783874212175, 1683874206883, 1783874203271]);
});

Deno.test("history() dates commits by monotonised file time and tolerates commits without commitInfo", async () => {
  const clock = { now: 5000 };
  const store = new MemoryStore({ now: () => clock.now });
  const put = (v: number, actions: Action[]) =>
    store.putIfAbsent(
      commitKey(v),
      new TextEncoder().encode(actions.map((a) => JSON.stringify(a)).join("\n")),
    );
  await put(0, [
    { protocol: { minReaderVersion: 1, minWriterVersion: 2 } },
    {
      metaData: {
        id: "x",
        format: { provider: "parquet", options: {} },
        schemaString: '{"type":"struct","fields":[]}',
        partitionColumns: [],
        configuration: {},
      },
    },
  ]);
  clock.now = 4000;
  await put(1, [{ commitInfo: { operation: "WRITE" } }]);
  const h = await history(store);
  assert.deepEqual(h.map((e) => [e.version, e.timestamp, e.operation]), [[1, 5001, "WRITE"], [
    0,
    5000,
    null,
  ]]);
  assert.equal(h[1].commitInfo, null);
});
