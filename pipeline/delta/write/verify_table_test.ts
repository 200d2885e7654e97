import assert from "node:assert/strict";
import type { StructType } from "../schema/types.ts";
import { MemoryStore } from "../storage/memory_store.ts";
import { verifyTable } from "./verify_table.ts";
import { writeTable } from "./write_table.ts";

const schema: StructType = {
  type: "struct",
  fields: [{ name: "id", type: "long", nullable: true, metadata: {} }],
};

Deno.test("verifyTable() passes a sound table and reports missing and resized data files", async () => {
  const store = new MemoryStore();
  await writeTable(store, [{ id: 1n }], { create: { schema } });
  await writeTable(store, [{ id: 2n }], {});
  const ok = await verifyTable(store);
  assert.deepEqual(ok.problems, []);
  assert.equal(ok.version, 1);
  const [a, b] = (await Array.fromAsync(store.list("part-"))).map((m) => m.key);
  await store.delete(a);
  await store.put(b, new Uint8Array(3));
  const bad = await verifyTable(store);
  assert.equal(bad.problems.length, 2);
  assert.match(bad.problems.join("\n"), /does not exist/);
  assert.match(bad.problems.join("\n"), /is 3 bytes, the log says/);
});
