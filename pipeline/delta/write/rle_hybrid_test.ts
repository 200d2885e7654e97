import assert from "node:assert/strict";
import { bitWidthOf, writeRleHybrid } from "./rle_hybrid.ts";
import { ByteSink } from "./thrift_compact.ts";

/** Decodes `count` values of the hybrid encoding (the Parquet spec's grammar). */
function decode(bytes: Uint8Array, bitWidth: number, count: number): number[] {
  const out: number[] = [];
  let i = 0;
  while (out.length < count) {
    let header = 0;
    for (let shift = 1;; shift *= 128) {
      const b = bytes[i++];
      header += (b & 0x7f) * shift;
      if (b < 0x80) break;
    }
    if (header % 2 === 0) {
      let v = 0;
      for (let b = 0; b < (bitWidth + 7) >> 3; b++) v |= bytes[i++] << (8 * b);
      for (let k = 0; k < header / 2; k++) out.push(v);
    } else {
      const n = ((header - 1) / 2) * 8;
      for (let k = 0; k < n; k++) {
        let v = 0;
        for (let b = 0; b < bitWidth; b++) {
          const bit = k * bitWidth + b;
          v |= ((bytes[i + (bit >> 3)] >> (bit & 7)) & 1) << b;
        }
        out.push(v);
      }
      i += ((header - 1) / 2) * bitWidth;
    }
  }
  assert.equal(i, bytes.length);
  return out.slice(0, count);
}

Deno.test("writeRleHybrid() mixes runs and bit-packed groups that decode to the values", () => {
  const values = [
    ...Array(20).fill(3),
    1,
    2,
    3,
    ...Array(9).fill(0),
    5,
    6,
    7,
    ...Array.from({ length: 50 }, (_, i) => (i * 7) % 8),
    ...Array(100).fill(7),
    4,
  ];
  for (const width of [3, 4, 11, 20]) {
    const out = new ByteSink();
    writeRleHybrid(values, 0, values.length, width, out);
    assert.deepEqual(decode(out.view(), width, values.length), values, `width ${width}`);
  }
  // Long runs are RLE: 1,000 equal values take a few bytes.
  const out = new ByteSink();
  writeRleHybrid(new Uint8Array(1000).fill(1), 0, 1000, 1, out);
  assert.ok(out.length <= 3);
});

Deno.test("writeRleHybrid() encodes a slice and bitWidthOf() counts bits", () => {
  const values = Int32Array.from({ length: 100 }, (_, i) => i % 13);
  const out = new ByteSink();
  writeRleHybrid(values, 10, 90, bitWidthOf(12), out);
  assert.deepEqual(decode(out.view(), 4, 80), [...values.subarray(10, 90)]);
  assert.deepEqual([0, 1, 2, 3, 255, 256].map(bitWidthOf), [0, 1, 2, 2, 8, 9]);
});
