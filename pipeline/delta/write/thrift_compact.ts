/**
 * The Thrift compact protocol, write side only: what the Parquet footer and page headers need (structs of i32,
 * i64, binary, bool, lists and nested structs). Values are built as small descriptors and serialized at once.
 *
 * @module
 */

/** A growable byte buffer with the compact protocol's varints. */
export class ByteSink {
  bytes: Uint8Array;
  length = 0;

  constructor(capacity = 256) {
    this.bytes = new Uint8Array(capacity);
  }

  #room(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    const next = new Uint8Array(Math.max(this.length + n, this.bytes.length * 2));
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
  }

  /** Makes room for `n` more bytes and counts them as written; returns where they start (to be filled in). */
  reserve(n: number): number {
    this.#room(n);
    const at = this.length;
    this.length += n;
    return at;
  }

  byte(b: number): void {
    this.#room(1);
    this.bytes[this.length++] = b;
  }

  write(b: Uint8Array): void {
    this.#room(b.length);
    this.bytes.set(b, this.length);
    this.length += b.length;
  }

  /** Unsigned varint of a non-negative integer below 2^53. */
  varint(n: number): void {
    this.#room(8);
    if (n < 0x80) {
      this.bytes[this.length++] = n;
      return;
    }
    while (n >= 0x80) {
      this.bytes[this.length++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.bytes[this.length++] = n;
  }

  /** Zigzag varint of an integer within ±2^52 (enough for sizes, offsets and counts). */
  zigzag(n: number): void {
    this.varint(n >= 0 ? n * 2 : -n * 2 - 1);
  }

  /** The bytes written so far (a view). */
  view(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }
}

/** A Thrift value: its compact type id and how to write it. */
export interface ThriftValue {
  readonly type: number;
  write(out: ByteSink): void;
}

const I32 = 5;
const I64 = 6;
const BINARY = 8;
const LIST = 9;
const STRUCT = 12;

const textEncoder = new TextEncoder();

/** A Thrift i32 (also enums). */
export function i32(n: number): ThriftValue {
  return { type: I32, write: (out) => out.zigzag(n) };
}

/** A Thrift i64 (sizes and offsets stay far below 2^52). */
export function i64(n: number): ThriftValue {
  return { type: I64, write: (out) => out.zigzag(n) };
}

/** A Thrift binary or string (strings as UTF-8). */
export function binary(b: Uint8Array | string): ThriftValue {
  const bytes = typeof b === "string" ? textEncoder.encode(b) : b;
  return {
    type: BINARY,
    write: (out) => {
      out.varint(bytes.length);
      out.write(bytes);
    },
  };
}

/** A Thrift bool struct field (its value lives in the field header; not for list elements). */
export function bool(v: boolean): ThriftValue {
  return { type: v ? 1 : 2, write: () => {} };
}

/** A Thrift struct from `[field id, value]` pairs in increasing id order; undefined values are left out. */
export function struct(fields: readonly (readonly [number, ThriftValue | undefined])[]): ThriftValue {
  return {
    type: STRUCT,
    write: (out) => {
      let last = 0;
      for (const [id, v] of fields) {
        if (v === undefined) continue;
        const delta = id - last;
        if (delta > 0 && delta <= 15) out.byte((delta << 4) | v.type);
        else {
          out.byte(v.type);
          out.zigzag(id);
        }
        v.write(out);
        last = id;
      }
      out.byte(0);
    },
  };
}

/** A Thrift list of values of one type (`elementType` names it for empty lists). */
export function list(items: readonly ThriftValue[], elementType = items[0]?.type ?? STRUCT): ThriftValue {
  return {
    type: LIST,
    write: (out) => {
      if (items.length < 15) out.byte((items.length << 4) | elementType);
      else {
        out.byte(0xf0 | elementType);
        out.varint(items.length);
      }
      for (const v of items) v.write(out);
    },
  };
}

/** A list of i32 (enums). */
export function i32List(ns: readonly number[]): ThriftValue {
  return list(ns.map(i32), I32);
}
