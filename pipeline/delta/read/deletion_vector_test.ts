import assert from "node:assert/strict";
import { goldenStore } from "../golden/golden_tables.ts";
import { MemoryStore } from "../storage/memory_store.ts";
import { crc32 } from "./crc32.ts";
import { decodeZ85, deletionVectorKey, parseDeletionBitmap, readDeletionVector } from "./deletion_vector.ts";

Deno.test("decodeZ85() decodes the ZeroMQ test vector and rejects bad text", () => {
  assert.deepEqual([...decodeZ85("HelloWorld")], [0x86, 0x4f, 0xd2, 0x6f, 0xb5, 0x59, 0xf7, 0x5b]);
  assert.throws(() => decodeZ85("abcd"), SyntaxError);
  assert.throws(() => decodeZ85("abc~e"), SyntaxError);
});

/** A Delta bitmap: magic, one bucket (high 0) holding a 32-bit Roaring bitmap written by hand. */
function bitmap(roaring: number[]): Uint8Array {
  const head = [0xd1, 0xd3, 0x39, 0x64, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  return new Uint8Array([...head, ...roaring]);
}
const u16 = (n: number) => [n & 0xff, n >> 8];
const u32 = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24];

Deno.test("parseDeletionBitmap() reads array containers", () => {
  // cookie 12346, 1 container, key 0 card 3, offset header, values 0 5 9
  const bytes = bitmap([
    ...u32(12346),
    ...u32(1),
    ...u16(0),
    ...u16(2),
    ...u32(16),
    ...u16(0),
    ...u16(5),
    ...u16(9),
  ]);
  assert.deepEqual(parseDeletionBitmap(bytes), [0, 5, 9]);
});

Deno.test("parseDeletionBitmap() reads run containers and keys above 16 bits", () => {
  // cookie 12347 with size 1 (runs), run flag set, key 2 (values 131072+), one run 3..6
  const bytes = bitmap([...u16(12347), ...u16(0), 1, ...u16(2), ...u16(3), ...u16(1), ...u16(3), ...u16(3)]);
  assert.deepEqual(parseDeletionBitmap(bytes), [131075, 131076, 131077, 131078]);
});

Deno.test("parseDeletionBitmap() reads bitmap containers", () => {
  const words = new Uint8Array(8192);
  const rows = Array.from({ length: 5000 }, (_, i) => i * 13);
  for (const r of rows) words[r >> 3] |= 1 << (r & 7);
  const bytes = bitmap([...u32(12346), ...u32(1), ...u16(0), ...u16(4999), ...u32(16), ...words]);
  assert.deepEqual(parseDeletionBitmap(bytes), rows);
});

Deno.test("parseDeletionBitmap() rejects a bad magic number and truncation", () => {
  assert.throws(() => parseDeletionBitmap(new Uint8Array(16)), { message: /bad magic number/ });
  assert.throws(() => parseDeletionBitmap(bitmap([...u32(12346), ...u32(1)])), { message: /truncated/ });
});

Deno.test("deletionVectorKey() turns a u-type descriptor into the file name", () => {
  const dv = {
    storageType: "u" as const,
    pathOrInlineDv: "vBn[lx{q8@P<9BNH/isA",
    offset: 1,
    sizeInBytes: 36,
    cardinality: 2,
  };
  assert.equal(deletionVectorKey(dv, "t"), "deletion_vector_61d16c75-6994-46b7-a15b-8b538852e50e.bin");
  assert.equal(
    deletionVectorKey({ ...dv, pathOrInlineDv: "ab" + dv.pathOrInlineDv }, "t"),
    "ab/deletion_vector_61d16c75-6994-46b7-a15b-8b538852e50e.bin",
  );
  assert.equal(
    deletionVectorKey({ ...dv, storageType: "p", pathOrInlineDv: "file:///lake/t/x/dv.bin" }, "/lake/t"),
    "x/dv.bin",
  );
});

Deno.test("readDeletionVector() reads table-with-dv-small's vector and checks size, CRC and cardinality", async () => {
  const store = goldenStore("table-with-dv-small");
  const dv = {
    storageType: "u" as const,
    pathOrInlineDv: "vBn[lx{q8@P<9BNH/isA",
    offset: 1,
    sizeInBytes: 36,
    cardinality: 2,
  };
  assert.deepEqual(await readDeletionVector(store, dv), [0, 9]);
  await assert.rejects(readDeletionVector(store, { ...dv, cardinality: 3 }), {
    message: /holds 2 rows, the log says 3/,
  });
  await assert.rejects(readDeletionVector(store, { ...dv, sizeInBytes: 35 }), {
    message: /holds 36 bytes, the log says 35/,
  });
  const copy = new MemoryStore({ url: "memory://dv" });
  const key = "deletion_vector_61d16c75-6994-46b7-a15b-8b538852e50e.bin";
  const bytes = await store.get(key);
  bytes[10] ^= 1;
  await copy.put(key, bytes);
  await assert.rejects(readDeletionVector(copy, dv), { message: /CRC mismatch/ });
});

Deno.test("crc32() matches the standard check value", () => {
  assert.equal(crc32(new TextEncoder().encode("123456789")), 0xcbf43926);
});

/** Z85 text of bytes padded to a multiple of 4 (as Delta's Base85Codec pads inline vectors). */
function encodeZ85(bytes: Uint8Array): string {
  const alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";
  const padded = new Uint8Array(Math.ceil(bytes.length / 4) * 4);
  padded.set(bytes);
  let out = "";
  for (let i = 0; i < padded.length; i += 4) {
    let v = ((padded[i] << 24) | (padded[i + 1] << 16) | (padded[i + 2] << 8) | padded[i + 3]) >>> 0;
    let group = "";
    for (let j = 0; j < 5; j++) {
      group = alphabet[v % 85] + group;
      v = Math.floor(v / 85);
    }
    out += group;
  }
  return out;
}

Deno.test("readDeletionVector() decodes an inline (Z85) vector without touching storage", async () => {
  const bitmapBytes = bitmap([
    ...u32(12346),
    ...u32(1),
    ...u16(0),
    ...u16(2),
    ...u32(16),
    ...u16(0),
    ...u16(5),
    ...u16(9),
  ]);
  const dv = {
    storageType: "i" as const,
    pathOrInlineDv: encodeZ85(bitmapBytes),
    sizeInBytes: bitmapBytes.length,
    cardinality: 3,
  };
  assert.deepEqual(await readDeletionVector(new MemoryStore(), dv), [0, 5, 9]);
});
