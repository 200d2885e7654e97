/**
 * Deletion vectors (PROTOCOL.md "Deletion Vector Format"): the rows of a data file that are deleted, stored
 * inline in the log (Z85) or in a `deletion_vector_<uuid>.bin` file, as a 64-bit "portable" Roaring bitmap of
 * row indexes.
 *
 * @module
 */
import type { ObjectStore } from "../storage/object_store.ts";
import type { DeletionVectorDescriptor } from "../log/actions.ts";
import { crc32 } from "./crc32.ts";

/** The Z85 alphabet (ZeroMQ RFC 32), shared with the writer. */
export const Z85_ALPHABET =
  "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";
const Z85_VALUE = new Int16Array(128).fill(-1);
for (let i = 0; i < Z85_ALPHABET.length; i++) Z85_VALUE[Z85_ALPHABET.charCodeAt(i)] = i;

/** The bytes of Z85 text (every 5 characters → 4 big-endian bytes); a SyntaxError for bad input. */
export function decodeZ85(text: string): Uint8Array {
  if (text.length % 5 !== 0) {
    throw new SyntaxError(`Cannot decode Z85 "${text}": length is not a multiple of 5`);
  }
  const out = new Uint8Array((text.length / 5) * 4);
  for (let i = 0, o = 0; i < text.length; i += 5, o += 4) {
    let v = 0;
    for (let j = 0; j < 5; j++) {
      const c = text.charCodeAt(i + j);
      const d = c < 128 ? Z85_VALUE[c] : -1;
      if (d < 0) throw new SyntaxError(`Cannot decode Z85 "${text}": bad character at ${i + j}`);
      v = v * 85 + d;
    }
    if (v > 0xffffffff) throw new SyntaxError(`Cannot decode Z85 "${text}": group at ${i} overflows`);
    out[o] = v >>> 24;
    out[o + 1] = (v >>> 16) & 0xff;
    out[o + 2] = (v >>> 8) & 0xff;
    out[o + 3] = v & 0xff;
  }
  return out;
}

/** Delta's bitmap magic number, and Roaring's cookie of a bitmap without run containers (shared with the writer). */
export const MAGIC = 1681511377;
export const SERIAL_COOKIE_NO_RUNCONTAINER = 12346;
const SERIAL_COOKIE = 12347;
const NO_OFFSET_THRESHOLD = 4;

/**
 * The row indexes in a serialized Delta bitmap (magic number, then the portable 64-bit Roaring layout), sorted
 * ascending. A SyntaxError describes a malformed bitmap.
 */
export function parseDeletionBitmap(bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  const need = (n: number) => {
    if (pos + n > bytes.length) throw new SyntaxError("Cannot parse deletion vector: bitmap is truncated");
  };
  need(12);
  if (view.getUint32(0, true) !== MAGIC) {
    throw new SyntaxError("Cannot parse deletion vector: bad magic number");
  }
  const buckets = Number(view.getBigUint64(4, true));
  pos = 12;
  const rows: number[] = [];
  for (let b = 0; b < buckets; b++) {
    need(4);
    const high = view.getUint32(pos, true) * 2 ** 32;
    pos += 4;
    need(4);
    const cookie = view.getUint32(pos, true);
    pos += 4;
    let size: number;
    let runFlags: Uint8Array | null = null;
    if ((cookie & 0xffff) === SERIAL_COOKIE) {
      size = (cookie >>> 16) + 1;
      const n = Math.ceil(size / 8);
      need(n);
      runFlags = bytes.subarray(pos, pos + n);
      pos += n;
    } else if (cookie === SERIAL_COOKIE_NO_RUNCONTAINER) {
      need(4);
      size = view.getUint32(pos, true);
      pos += 4;
    } else {
      throw new SyntaxError(`Cannot parse deletion vector: unknown Roaring cookie ${cookie}`);
    }
    need(size * 4);
    const keys: number[] = [];
    const cards: number[] = [];
    for (let i = 0; i < size; i++) {
      keys.push(view.getUint16(pos, true));
      cards.push(view.getUint16(pos + 2, true) + 1);
      pos += 4;
    }
    if (!runFlags || size >= NO_OFFSET_THRESHOLD) {
      need(size * 4);
      pos += size * 4; // container offsets: containers follow each other, so they are not needed
    }
    for (let i = 0; i < size; i++) {
      const base = high + keys[i] * 65536;
      if (runFlags && (runFlags[i >> 3] >> (i & 7)) & 1) {
        need(2);
        const runs = view.getUint16(pos, true);
        pos += 2;
        need(runs * 4);
        for (let r = 0; r < runs; r++) {
          const start = view.getUint16(pos, true);
          const length = view.getUint16(pos + 2, true);
          pos += 4;
          for (let v = start; v <= start + length; v++) rows.push(base + v);
        }
      } else if (cards[i] > 4096) {
        need(8192);
        for (let w = 0; w < 2048; w++) {
          let word = view.getUint32(pos + w * 4, true);
          while (word !== 0) {
            const bit = 31 - Math.clz32(word & -word);
            rows.push(base + w * 32 + bit);
            word &= word - 1;
          }
        }
        pos += 8192;
      } else {
        need(cards[i] * 2);
        for (let j = 0; j < cards[i]; j++) rows.push(base + view.getUint16(pos + j * 2, true));
        pos += cards[i] * 2;
      }
    }
  }
  return rows;
}

/** The store key of an on-disk (`u` or `p`) deletion vector file. */
export function deletionVectorKey(dv: DeletionVectorDescriptor, tableUrl: string): string {
  if (dv.storageType === "u") {
    const encoded = dv.pathOrInlineDv;
    if (encoded.length < 20) {
      throw new SyntaxError(`Cannot use deletion vector "${encoded}": too short for a UUID`);
    }
    const prefix = encoded.slice(0, encoded.length - 20);
    const hex = [...decodeZ85(encoded.slice(-20))].map((b) => b.toString(16).padStart(2, "0")).join("");
    const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${
      hex.slice(20)
    }`;
    return `${prefix ? prefix + "/" : ""}deletion_vector_${uuid}.bin`;
  }
  if (dv.storageType === "p") {
    const root = tableUrl.replace(/\/+$/, "") + "/";
    const path = decodeURI(dv.pathOrInlineDv.replace(/^file:(\/\/)?/, ""));
    const absRoot = root.replace(/^file:(\/\/)?/, "");
    if (path.startsWith(absRoot)) return path.slice(absRoot.length);
    throw new Error(
      `Cannot read deletion vector "${dv.pathOrInlineDv}": it is outside the table "${tableUrl}"`,
    );
  }
  throw new TypeError(`Cannot read deletion vector: storage type "${dv.storageType}" is not a file`);
}

/**
 * The deleted row indexes of a file, sorted. On-disk vectors are read as one range and checked against their
 * size and CRC-32; a mismatch is an Error naming the file.
 */
export async function readDeletionVector(
  store: ObjectStore,
  dv: DeletionVectorDescriptor,
): Promise<number[]> {
  let rows: number[];
  if (dv.storageType === "i") {
    rows = parseDeletionBitmap(decodeZ85(dv.pathOrInlineDv));
  } else {
    const key = deletionVectorKey(dv, store.url);
    const offset = dv.offset ?? 1;
    const bytes = await store.get(key, { offset, length: dv.sizeInBytes + 8 });
    const where = `deletion vector "${key}" at offset ${offset}`;
    if (bytes.length < dv.sizeInBytes + 8) throw new Error(`Cannot read ${where}: the file is too short`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const size = view.getUint32(0, false);
    if (size !== dv.sizeInBytes) {
      throw new Error(`Cannot read ${where}: it holds ${size} bytes, the log says ${dv.sizeInBytes}`);
    }
    const bitmap = bytes.subarray(4, 4 + size);
    if (view.getUint32(4 + size, false) !== crc32(bitmap)) {
      throw new Error(`Cannot read ${where}: CRC mismatch`);
    }
    rows = parseDeletionBitmap(bitmap);
  }
  if (rows.length !== dv.cardinality) {
    throw new Error(
      `Cannot use deletion vector "${dv.pathOrInlineDv}": it holds ${rows.length} rows, the log says ${dv.cardinality}`,
    );
  }
  return rows;
}
