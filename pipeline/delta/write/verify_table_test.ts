import assert from "node:assert/strict";
import type { StructType } from "../schema/types.ts";
import { MemoryStore } from "../storage/memory_store.ts";
import { deleteByKey } from "./delete_rows.ts";
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

Deno.test("verifyTable() checks deletion vector files: present, size, CRC and cardinality", async () => {
  const store = new MemoryStore();
  await writeTable(store, [{ id: 1n }, { id: 2n }, { id: 3n }], {
    create: { schema, enableDeletionVectors: true },
  });
  await deleteByKey(store, [{ id: 2n }], ["id"]);
  assert.deepEqual((await verifyTable(store)).problems, []);
  const [dv] = (await Array.fromAsync(store.list("deletion_vector_"))).map((m) => m.key);
  const bytes = await store.get(dv);
  bytes[bytes.length - 6] ^= 1;
  await store.put(dv, bytes);
  assert.match((await verifyTable(store)).problems.join("\n"), /deletion vector .* CRC mismatch/);
  await store.delete(dv);
  assert.equal((await verifyTable(store)).problems.length, 1);
});
