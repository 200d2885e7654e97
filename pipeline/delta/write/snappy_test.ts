import assert from "node:assert/strict";
import { snappyCompress, snappyCompressInto, snappyMaxLength } from "./snappy.ts";

/** A plain Snappy decoder (the format's spec, literal and copy elements), to check what the encoder writes. */
function uncompress(src: Uint8Array): Uint8Array {
  let i = 0;
  let length = 0;
  for (let shift = 1;; shift *= 128) {
    const b = src[i++];
    length += (b & 0x7f) * shift;
    if (b < 0x80) break;
  }
  const out = new Uint8Array(length);
  let o = 0;
  while (i < src.length) {
    const tag = src[i++];
    const kind = tag & 3;
    if (kind === 0) {
      let n = tag >> 2;
      if (n >= 60) {
        const bytes = n - 59;
        n = 0;
        for (let b = 0; b < bytes; b++) n |= src[i++] << (8 * b);
      }
      out.set(src.subarray(i, i + n + 1), o);
      i += n + 1;
      o += n + 1;
      continue;
    }
    let len: number;
    let offset: number;
    if (kind === 1) {
      len = ((tag >> 2) & 7) + 4;
      offset = ((tag >> 5) << 8) | src[i++];
    } else if (kind === 2) {
      len = (tag >> 2) + 1;
      offset = src[i] | (src[i + 1] << 8);
      i += 2;
    } else {
      len = (tag >> 2) + 1;
      offset = src[i] | (src[i + 1] << 8) | (src[i + 2] << 16) | (src[i + 3] << 24);
      i += 4;
    }
    assert.ok(offset > 0 && offset <= o, `copy offset ${offset} at output ${o}`);
    for (let k = 0; k < len; k++, o++) out[o] = out[o - offset];
  }
  assert.equal(o, length);
  return out;
}

function random(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

Deno.test("snappyCompress() output decodes to the input for text, numbers, random and edge lengths", () => {
  const ints = new BigInt64Array(200_000);
  for (let i = 0; i < ints.length; i++) ints[i] = 1_700_000_000_000_000n + BigInt(i) * 1_000_003n;
  const text = new TextEncoder().encode("order pending paid shipped ".repeat(10_000));
  const cases = [
    new Uint8Array(0),
    new Uint8Array([7]),
    new Uint8Array(14),
    new Uint8Array(15).fill(3),
    new Uint8Array(1 << 16).fill(9),
    new Uint8Array(ints.buffer),
    text,
    random(300_000, 1),
    random(70_000, 2),
  ];
  for (const input of cases) {
    const packed = snappyCompress(input);
    assert.ok(packed.length <= snappyMaxLength(input.length));
    assert.deepEqual(uncompress(packed), input, `${input.length} bytes`);
  }
  // Repetitive input shrinks, random input stays within the bound.
  assert.ok(snappyCompress(text).length < text.length / 10);
});

Deno.test("snappyCompressInto() compresses several parts as one stream at an offset", () => {
  const a = new TextEncoder().encode("abcabcabcabcabcabcabc-".repeat(100));
  const b = random(5000, 3);
  const dst = new Uint8Array(10 + snappyMaxLength(a.length + b.length));
  const n = snappyCompressInto([a, b], dst, 10);
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  assert.deepEqual(uncompress(dst.subarray(10, 10 + n)), joined);
});
