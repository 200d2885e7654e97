/**
 * Parquet's RLE / bit-packing hybrid encoding (definition levels and dictionary indices): runs of 8 or more
 * equal values as RLE runs, everything else bit-packed in groups of 8, LSB first.
 *
 * @module
 */
import { ByteSink } from "./thrift_compact.ts";

/**
 * Appends `values[from, to)` (each below 2^bitWidth, bitWidth 0…24) to `out` in the hybrid encoding, without
 * a length prefix.
 */
export function writeRleHybrid(
  values: ArrayLike<number>,
  from: number,
  to: number,
  bitWidth: number,
  out: ByteSink,
): void {
  const packFrom = writeRuns(values, from, to, bitWidth, out);
  if (to > packFrom) writeBitPacked(values, packFrom, to, bitWidth, out);
}

/**
 * Writes the RLE runs of `values[from, to)` and the values before each bit-packed; returns where the values
 * still to be bit-packed start. The last run is written by the caller, so nothing but the return follows the
 * loop: V8 compiles it on stack replacement during the first page, and code after it, without type feedback
 * then, deoptimized at the end of later pages.
 */
function writeRuns(
  values: ArrayLike<number>,
  from: number,
  to: number,
  bitWidth: number,
  out: ByteSink,
): number {
  const valueBytes = (bitWidth + 7) >> 3;
  let i = from;
  // Start of values waiting to be bit-packed (always a whole number of groups of 8 before a RLE run).
  let packFrom = from;
  while (i < to) {
    const v = values[i];
    let j = i + 1;
    while (j < to && values[j] === v) j++;
    // A run long enough to be worth RLE once the pending values fill whole groups of 8.
    const pending = i - packFrom;
    const fill = (8 - (pending & 7)) & 7;
    if (j - i - fill >= 8) {
      const runStart = i + fill;
      if (runStart > packFrom) writeBitPacked(values, packFrom, runStart, bitWidth, out);
      out.varint((j - runStart) * 2);
      for (let b = 0; b < valueBytes; b++) out.byte((v >>> (8 * b)) & 0xff);
      packFrom = j;
    }
    i = j;
  }
  return packFrom;
}

/** One bit-packed run of `values[from, to)`, the last group padded with zeros. */
function writeBitPacked(
  values: ArrayLike<number>,
  from: number,
  to: number,
  bitWidth: number,
  out: ByteSink,
): void {
  const groups = (to - from + 7) >> 3;
  out.varint(groups * 2 + 1);
  if (bitWidth === 0) return;
  // Reserved first: it may move `out.bytes`.
  const at = out.reserve(groups * bitWidth);
  packBits(values, from, to, from + 8 * groups, bitWidth, out.bytes, at);
}

/**
 * Packs `values[from, to)` then zeros up to `padTo` into `buf` from `o` (bits stay below 8 + 24, so 32-bit
 * integers suffice). The padding is written by the loop itself, so nothing runs after it: V8 compiles this
 * loop on stack replacement during the first page, and code after it, without type feedback then, deoptimized
 * at the end of every later page (~30 times a 1M-row write, `--trace-deopt`).
 */
function packBits(
  values: ArrayLike<number>,
  from: number,
  to: number,
  padTo: number,
  bitWidth: number,
  buf: Uint8Array,
  o: number,
): void {
  let acc = 0;
  let bits = 0;
  for (let k = from; k < padTo; k++) {
    acc |= (k < to ? values[k] : 0) << bits;
    bits += bitWidth;
    while (bits >= 8) {
      buf[o++] = acc & 0xff;
      acc >>>= 8;
      bits -= 8;
    }
  }
}

/** Bits needed for values up to `max` (0 for 0). */
export function bitWidthOf(max: number): number {
  return max === 0 ? 0 : 32 - Math.clz32(max);
}

// The first pages of a column of random dictionary indices have no runs, so V8 compiled the run scan without
// feedback for the RLE branch and deoptimized (and compiled again) at the first run (3 deopts and ~6
// recompilations per fresh process writing the 1M-row bench, `--trace-opt`). A few small encodings with runs
// first (V8 starts collecting a function's feedback only after its first calls) cost well under a millisecond.
const primer = Int32Array.of(1, 2, 3, 4, 5, 6, 7, 0, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 1, 2, 3);
for (let i = 0; i < 10; i++) writeRleHybrid(primer, 0, primer.length, 3, new ByteSink(64));
