/**
 * Writing deletion vectors (PROTOCOL.md "Deletion Vector Format"), the inverse of deletion_vector.ts: row
 * indexes to a Delta bitmap (magic number + portable 64-bit Roaring with array and bitmap containers), Z85 text,
 * and one `deletion_vector_<uuid>.bin` file holding several vectors with their descriptors.
 *
 * @module
 */
import type { DeletionVectorDescriptor } from "../log/actions.ts";
import { crc32 } from "./crc32.ts";
import { MAGIC, SERIAL_COOKIE_NO_RUNCONTAINER, Z85_ALPHABET } from "./deletion_vector.ts";

/** Roaring stores a container of more than this many values as a 65536-bit bitmap, else as sorted u16s. */
const ARRAY_MAX = 4096;

/** Z85 text of `bytes` (every 4 big-endian bytes → 5 characters); a RangeError unless the length is a multiple of 4. */
export function encodeZ85(bytes: Uint8Array): string {
  if (bytes.length % 4 !== 0) {
    throw new RangeError(`Cannot encode ${bytes.length} bytes as Z85: length is not a multiple of 4`);
  }
  let out = "";
  for (let i = 0; i < bytes.length; i += 4) {
    let v = ((bytes[i] << 24) | (bytes[i + 1] << 16) | (bytes[i + 2] << 8) | bytes[i + 3]) >>> 0;
    let group = "";
    for (let j = 0; j < 5; j++) {
      group = Z85_ALPHABET[v % 85] + group;
      v = Math.floor(v / 85);
    }
    out += group;
  }
  return out;
}

/** One Roaring container: its 16-bit key and the low 16 bits of its values, ascending. */
interface Container {
  key: number;
  values: number[];
}

/**
 * The Delta bitmap of `rows` (0-based row indexes, any order, duplicates allowed): u32 magic, u64 bucket count,
 * then per bucket of equal high 32 bits its key and a 32-bit Roaring bitmap without run containers (cookie
 * 12346), all little-endian. A RangeError for an index that is not a non-negative safe integer.
 */
export function serializeDeletionBitmap(rows: Iterable<number>): Uint8Array {
  const sorted = [...new Set(rows)].sort((a, b) => a - b);
  const buckets = new Map<number, Container[]>();
  for (const r of sorted) {
    if (!Number.isSafeInteger(r) || r < 0) {
      throw new RangeError(`Cannot write deletion vector: row index ${r} is not a non-negative integer`);
    }
    const high = Math.floor(r / 2 ** 32);
    const low = r % 2 ** 32;
    let containers = buckets.get(high);
    if (!containers) buckets.set(high, containers = []);
    const key = low >>> 16;
    let last = containers[containers.length - 1];
    if (!last || last.key !== key) containers.push(last = { key, values: [] });
    last.values.push(low & 0xffff);
  }
  let size = 12;
  for (const containers of buckets.values()) {
    size += 12 + containers.length * 8;
    for (const c of containers) size += c.values.length > ARRAY_MAX ? 8192 : c.values.length * 2;
  }
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setBigUint64(4, BigInt(buckets.size), true);
  let pos = 12;
  for (const [high, containers] of buckets) {
    view.setUint32(pos, high, true);
    pos += 4;
    const start = pos; // container offsets count from the 32-bit bitmap's cookie
    view.setUint32(pos, SERIAL_COOKIE_NO_RUNCONTAINER, true);
    view.setUint32(pos + 4, containers.length, true);
    pos += 8;
    for (const c of containers) {
      view.setUint16(pos, c.key, true);
      view.setUint16(pos + 2, c.values.length - 1, true);
      pos += 4;
    }
    let offset = pos + containers.length * 4 - start;
    for (const c of containers) {
      view.setUint32(pos, offset, true);
      pos += 4;
      offset += c.values.length > ARRAY_MAX ? 8192 : c.values.length * 2;
    }
    for (const c of containers) {
      if (c.values.length > ARRAY_MAX) {
        for (const v of c.values) out[pos + (v >> 3)] |= 1 << (v & 7);
        pos += 8192;
      } else {
        for (const v of c.values) {
          view.setUint16(pos, v, true);
          pos += 2;
        }
      }
    }
  }
  return out;
}

/** A deletion vector file and the descriptors of the vectors in it, in input order. */
export interface DeletionVectorFile {
  /** The store key, relative to the table root: `deletion_vector_<uuid>.bin`. */
  key: string;
  bytes: Uint8Array;
  descriptors: DeletionVectorDescriptor[];
}

/**
 * One `deletion_vector_<uuid>.bin` file holding a vector per entry of `vectors` (row indexes): format version
 * byte 1, then per vector its bitmap's size (u32 big-endian), the bitmap and its CRC-32 (u32 big-endian). The
 * descriptors are `u` type (Z85 of the UUID's 16 bytes, no prefix) with the offset of each size field.
 */
export function deletionVectorFile(
  vectors: readonly (readonly number[])[],
  uuid: string = crypto.randomUUID(),
): DeletionVectorFile {
  const hex = uuid.replaceAll("-", "");
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new SyntaxError(`Cannot name a deletion vector file by "${uuid}"`);
  const id = new Uint8Array(16);
  for (let i = 0; i < 16; i++) id[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  const pathOrInlineDv = encodeZ85(id);
  const bitmaps = vectors.map((v) => serializeDeletionBitmap(v));
  const bytes = new Uint8Array(1 + bitmaps.reduce((n, b) => n + b.length + 8, 0));
  const view = new DataView(bytes.buffer);
  bytes[0] = 1;
  let pos = 1;
  const descriptors = bitmaps.map((bitmap, i): DeletionVectorDescriptor => {
    const offset = pos;
    view.setUint32(pos, bitmap.length, false);
    bytes.set(bitmap, pos + 4);
    view.setUint32(pos + 4 + bitmap.length, crc32(bitmap), false);
    pos += bitmap.length + 8;
    return {
      storageType: "u",
      pathOrInlineDv,
      offset,
      sizeInBytes: bitmap.length,
      cardinality: new Set(vectors[i]).size,
    };
  });
  return { key: `deletion_vector_${uuid.toLowerCase()}.bin`, bytes, descriptors };
}
