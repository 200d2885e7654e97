import assert from "node:assert/strict";
import { goldenStore } from "../golden/golden_tables.ts";
import { MemoryStore } from "../storage/memory_store.ts";
import { decodeZ85, deletionVectorKey, parseDeletionBitmap, readDeletionVector } from "./deletion_vector.ts";
import { deletionVectorFile, encodeZ85, serializeDeletionBitmap } from "./deletion_vector_serialize.ts";

Deno.test("encodeZ85() encodes the ZeroMQ test vector and round-trips through decodeZ85()", () => {
  const bytes = new Uint8Array([0x86, 0x4f, 0xd2, 0x6f, 0xb5, 0x59, 0xf7, 0x5b]);
  assert.equal(encodeZ85(bytes), "HelloWorld");
  const all = Uint8Array.from({ length: 256 }, (_, i) => 255 - i);
  assert.deepEqual(decodeZ85(encodeZ85(all)), all);
  assert.throws(() => encodeZ85(new Uint8Array(3)), RangeError);
});

Deno.test("serializeDeletionBitmap() round-trips array and bitmap containers across buckets", () => {
  const cases: number[][] = [
    [],
    [0],
    [0, 9],
    Array.from({ length: 5000 }, (_, i) => i * 3), // a bitmap container (more than 4096 values in 0..65535)
    [1, 65535, 65536, 70000, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 5, 2 ** 40 + 7],
    Array.from({ length: 4096 }, (_, i) => i), // exactly 4096: still an array container
  ];
  for (const rows of cases) assert.deepEqual(parseDeletionBitmap(serializeDeletionBitmap(rows)), rows);
  // Order and duplicates of the input do not matter.
  assert.deepEqual(parseDeletionBitmap(serializeDeletionBitmap([9, 0, 9])), [0, 9]);
  assert.throws(() => serializeDeletionBitmap([-1]), RangeError);
  assert.throws(() => serializeDeletionBitmap([1.5]), RangeError);
});

/** Every on-disk vector of the golden DV tables (Spark-written), with the bitmap bytes it points at. */
async function goldenVectors(name: string) {
  const store = goldenStore(name);
  const out: { file: Uint8Array; rows: number[]; key: string }[] = [];
  for await (const meta of store.list("")) {
    if (!/^deletion_vector_.*\.bin$/.test(meta.key)) continue;
    const file = await store.get(meta.key);
    const size = new DataView(file.buffer, file.byteOffset).getUint32(1, false);
    out.push({ file, rows: parseDeletionBitmap(file.subarray(5, 5 + size)), key: meta.key });
  }
  return out;
}

Deno.test("deletionVectorFile() reproduces the golden DV files written by Spark byte for byte", async () => {
  let n = 0;
  for (const name of ["table-with-dv-small", "dv-partitioned-with-checkpoint"]) {
    for (const { file, rows, key } of await goldenVectors(name)) {
      const uuid = key.slice("deletion_vector_".length, -".bin".length);
      const written = deletionVectorFile([rows], uuid);
      assert.equal(written.key, key);
      assert.deepEqual(written.bytes, file, `${name}/${key}`);
      // The descriptor names the same file again.
      assert.equal(deletionVectorKey(written.descriptors[0], "t"), key);
      n++;
    }
  }
  assert.equal(n, 16);
  // table-with-dv-small's descriptor, as Spark logged it.
  const [small] = await goldenVectors("table-with-dv-small");
  const uuid = small.key.slice(16, -4);
  assert.deepEqual(deletionVectorFile([small.rows], uuid).descriptors[0], {
    storageType: "u",
    pathOrInlineDv: "vBn[lx{q8@P<9BNH/isA",
    offset: 1,
    sizeInBytes: 36,
    cardinality: 2,
  });
});

Deno.test("deletionVectorFile() holds several vectors that readDeletionVector() reads back at their offsets", async () => {
  const vectors = [[3], [0, 1, 2, 70000], Array.from({ length: 6000 }, (_, i) => i * 2)];
  const file = deletionVectorFile(vectors);
  const store = new MemoryStore({ url: "memory://dv" });
  await store.put(file.key, file.bytes);
  assert.equal(file.descriptors[0].offset, 1);
  for (let i = 0; i < vectors.length; i++) {
    assert.equal(deletionVectorKey(file.descriptors[i], store.url), file.key);
    assert.equal(file.descriptors[i].cardinality, vectors[i].length);
    assert.deepEqual(await readDeletionVector(store, file.descriptors[i]), vectors[i]);
  }
  assert.throws(() => deletionVectorFile([[1]], "not-a-uuid"), SyntaxError);
});
