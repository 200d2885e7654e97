/**
 * Low-level access to Arrow JS `Data` buffers, for bulk decoding without Arrow's per-row proxies.
 *
 * Arrow JS slicing rules (apache-arrow `Data.slice`): value buffers and offset buffers are sliced (index `i`
 * directly), the validity bitmap and boolean bitmaps are not (bit `offset + i`), struct children are sliced with
 * their parent, and list/map children are not (offsets index into them).
 *
 * @module
 */
import type { Data } from "apache-arrow";

/** Whether row `i` of `data` is non-null. */
export function isValid(data: Data, i: number): boolean {
  const bitmap = data.nullBitmap;
  if (!bitmap || bitmap.length === 0) return true;
  const bit = data.offset + i;
  return ((bitmap[bit >> 3] >> (bit & 7)) & 1) === 1;
}

/** A validity check for every row, fast when the column has no nulls. */
export function validity(data: Data): (i: number) => boolean {
  const bitmap = data.nullBitmap;
  if (!bitmap || bitmap.length === 0 || data.nullCount === 0) return () => true;
  const offset = data.offset;
  return (i) => {
    const bit = offset + i;
    return ((bitmap[bit >> 3] >> (bit & 7)) & 1) === 1;
  };
}

/** Start offsets of a list, map, string or binary column (length + 1 entries), as numbers. */
export function offsetsOf(data: Data): ArrayLike<number> {
  const offsets = data.valueOffsets as Int32Array | BigInt64Array;
  if (offsets instanceof BigInt64Array) return Array.from(offsets, Number);
  return offsets;
}

const decoder = new TextDecoder("utf-8", { fatal: false });

/**
 * Every string of a Utf8/LargeUtf8 column (nulls as null). ASCII-only buffers are decoded once and sliced,
 * which is several times faster than decoding each value. (An invalid byte decodes to one U+FFFD either way.)
 */
export function utf8Values(data: Data): (string | null)[] {
  const valid = validity(data);
  const offsets = offsetsOf(data);
  const bytes = data.values as Uint8Array;
  const out = new Array<string | null>(data.length);
  const start = data.length > 0 ? offsets[0] : 0;
  const end = data.length > 0 ? offsets[data.length] : 0;
  // One decode for the whole buffer; when every byte became one UTF-16 unit (ASCII), values are slices of it.
  const all = decoder.decode(bytes.subarray(start, end));
  if (all.length === end - start) {
    for (let i = 0; i < data.length; i++) {
      out[i] = valid(i) ? all.slice(offsets[i] - start, offsets[i + 1] - start) : null;
    }
  } else {
    for (let i = 0; i < data.length; i++) {
      out[i] = valid(i) ? decoder.decode(bytes.subarray(offsets[i], offsets[i + 1])) : null;
    }
  }
  return out;
}

/** Every value of a Binary/LargeBinary column as a copied Uint8Array (nulls as null). */
export function binaryValues(data: Data): (Uint8Array | null)[] {
  const valid = validity(data);
  const offsets = offsetsOf(data);
  const bytes = data.values as Uint8Array;
  const out = new Array<Uint8Array | null>(data.length);
  for (let i = 0; i < data.length; i++) out[i] = valid(i) ? bytes.slice(offsets[i], offsets[i + 1]) : null;
  return out;
}

/** Every value of a Bool column (nulls as null). */
export function boolValues(data: Data): (boolean | null)[] {
  const valid = validity(data);
  const bits = data.values as Uint8Array;
  const out = new Array<boolean | null>(data.length);
  for (let i = 0; i < data.length; i++) {
    const bit = data.offset + i;
    out[i] = valid(i) ? ((bits[bit >> 3] >> (bit & 7)) & 1) === 1 : null;
  }
  return out;
}

/**
 * The signed integer of a little-endian two's-complement value of `words` 32-bit words (Arrow decimals and
 * fixed-width integers).
 */
export function wordsToBigInt(words: Uint32Array, at: number, count: number): bigint {
  let v = 0n;
  for (let w = count - 1; w >= 0; w--) v = (v << 32n) | BigInt(words[at + w]);
  const bits = BigInt(count * 32);
  return words[at + count - 1] & 0x80000000 ? v - (1n << bits) : v;
}
