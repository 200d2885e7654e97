/**
 * Snappy compression (the raw format Parquet pages use, not the framing format), after Google's reference
 * `CompressFragment`: 64 KiB blocks, a hash table of 4-byte sequences, literals and copies with 1- or 2-byte
 * offsets. Output is valid Snappy that any decoder reads; the ratio is the reference's on the same input.
 *
 * Written here rather than taken from npm: on int64 page data the pure-JS package (snappyjs) measured ~210 MB/s,
 * the Rust-to-WebAssembly one (snappy-wasm) 250–360 MB/s including its copies in and out of wasm memory, and
 * this one ~250 MB/s writing straight into the caller's buffer, with no dependency and no wasm instance.
 *
 * @module
 */

const BLOCK = 1 << 16;
const HASH_BITS = 14;
const HASH_SIZE = 1 << HASH_BITS;
/** The reference leaves 15 bytes at the end of a block to literals, so 4-byte loads never overrun. */
const INPUT_MARGIN = 15;

const table = new Uint16Array(HASH_SIZE);

/** The most bytes {@linkcode snappyCompress} can write for `length` input bytes (the reference's bound). */
export function snappyMaxLength(length: number): number {
  return 32 + length + Math.floor(length / 6);
}

function hash(v: number): number {
  return Math.imul(v, 0x1e35a7bd) >>> (32 - HASH_BITS);
}

function emitLiteral(src: Uint8Array, from: number, to: number, dst: Uint8Array, o: number): number {
  const n = to - from - 1;
  if (n < 60) dst[o++] = n << 2;
  else if (n < 0x100) {
    dst[o++] = 60 << 2;
    dst[o++] = n;
  } else if (n < 0x10000) {
    dst[o++] = 61 << 2;
    dst[o++] = n & 0xff;
    dst[o++] = n >>> 8;
  } else {
    // Blocks are at most 64 KiB, so three length bytes always suffice.
    dst[o++] = 62 << 2;
    dst[o++] = n & 0xff;
    dst[o++] = (n >>> 8) & 0xff;
    dst[o++] = n >>> 16;
  }
  if (to - from < 16) {
    for (let i = from; i < to; i++) dst[o++] = src[i];
    return o;
  }
  dst.set(src.subarray(from, to), o);
  return o + (to - from);
}

function emitCopy(offset: number, length: number, dst: Uint8Array, o: number): number {
  // Copies of up to 64 bytes each; the reference keeps the last one at least 4 bytes long.
  while (length >= 68) {
    dst[o++] = (63 << 2) | 2;
    dst[o++] = offset & 0xff;
    dst[o++] = offset >>> 8;
    length -= 64;
  }
  if (length > 64) {
    dst[o++] = (59 << 2) | 2;
    dst[o++] = offset & 0xff;
    dst[o++] = offset >>> 8;
    length -= 60;
  }
  if (length < 12 && offset < 2048) {
    dst[o++] = 1 | ((length - 4) << 2) | ((offset >>> 8) << 5);
    dst[o++] = offset & 0xff;
  } else {
    dst[o++] = 2 | ((length - 1) << 2);
    dst[o++] = offset & 0xff;
    dst[o++] = offset >>> 8;
  }
  return o;
}

/** Compresses one block `src[start, end)` (at most 64 KiB) into `dst` at `o`; returns the new end of `dst`. */
function compressBlock(
  src: Uint8Array,
  view: DataView,
  start: number,
  end: number,
  dst: Uint8Array,
  o: number,
): number {
  let nextEmit = start;
  if (end - start >= INPUT_MARGIN) {
    table.fill(0);
    const limit = end - INPUT_MARGIN;
    let ip = start + 1;
    let nextHash = hash(view.getInt32(ip, true));
    outer: for (;;) {
      // Look for a 4-byte match, probing sparser the longer nothing matched (incompressible data goes fast).
      let skip = 32;
      let nextIp = ip;
      let candidate = 0;
      do {
        ip = nextIp;
        const h = nextHash;
        nextIp = ip + (skip++ >> 5);
        if (nextIp > limit) break outer;
        nextHash = hash(view.getInt32(nextIp, true));
        candidate = start + table[h];
        table[h] = ip - start;
      } while (view.getInt32(ip, true) !== view.getInt32(candidate, true));
      o = emitLiteral(src, nextEmit, ip, dst, o);
      // Copies, as long as the byte after each one starts another match.
      do {
        const base = ip;
        let a = candidate + 4;
        let b = ip + 4;
        while (b <= end - 4 && view.getInt32(a, true) === view.getInt32(b, true)) {
          a += 4;
          b += 4;
        }
        while (b < end && src[a] === src[b]) {
          a++;
          b++;
        }
        o = emitCopy(base - candidate, b - base, dst, o);
        ip = b;
        nextEmit = ip;
        if (ip >= limit) break outer;
        table[hash(view.getInt32(ip - 1, true))] = ip - 1 - start;
        const h = hash(view.getInt32(ip, true));
        candidate = start + table[h];
        table[h] = ip - start;
      } while (view.getInt32(ip, true) === view.getInt32(candidate, true));
      nextHash = hash(view.getInt32(++ip, true));
    }
  }
  if (nextEmit < end) o = emitLiteral(src, nextEmit, end, dst, o);
  return o;
}

/**
 * Compresses the concatenation of `parts` into `dst` from offset `at` (room for {@linkcode snappyMaxLength}
 * of their total length is needed); returns the number of bytes written. Blocks never span two parts, so the
 * parts need not be copied together first.
 */
export function snappyCompressInto(parts: readonly Uint8Array[], dst: Uint8Array, at: number): number {
  let o = at;
  // Preamble: the uncompressed length as a varint.
  let n = 0;
  for (const p of parts) n += p.length;
  while (n >= 0x80) {
    dst[o++] = (n & 0x7f) | 0x80;
    n = Math.floor(n / 128);
  }
  dst[o++] = n;
  for (const src of parts) {
    const view = new DataView(src.buffer, src.byteOffset, src.byteLength);
    for (let start = 0; start < src.length; start += BLOCK) {
      o = compressBlock(src, view, start, Math.min(start + BLOCK, src.length), dst, o);
    }
  }
  return o - at;
}

/** `src` compressed with Snappy (raw format). */
export function snappyCompress(src: Uint8Array): Uint8Array {
  const dst = new Uint8Array(snappyMaxLength(src.length));
  return dst.slice(0, snappyCompressInto([src], dst, 0));
}

/**
 * A small input whose compression takes every path of {@linkcode compressBlock}: literals of each length class,
 * short and long copies, near and far offsets, a block tail. It starts with a few short literals and copies:
 * V8 gives a function its feedback vector only after its first calls, so the rarer paths come after.
 */
function primer(): Uint8Array {
  let seed = 1;
  const random = (n: number) =>
    Array.from({ length: n }, () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24);
  const head = random(100);
  const short = Array.from({ length: 16 }, () => [...random(3), 0, 0, 0, 0, 0, 0]).flat();
  return Uint8Array.from([
    ...short,
    ...head,
    ...head.slice(0, 80),
    ...random(5),
    ...head.slice(0, 10),
    ...random(300),
    ...random(2100),
    ...head.slice(0, 20),
    ...random(20),
  ]);
}

// V8 compiles the block loop on stack replacement while the first block runs, before the code after the loop
// has ever run; lacking type feedback there, that code deoptimized at the end of every later block (~30 times
// a 1M-row write, `--trace-deopt`). One small compression first gives every path its feedback.
snappyCompress(primer());
