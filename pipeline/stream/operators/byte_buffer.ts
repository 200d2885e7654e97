/**
 * A growable byte writer and its reader, for operator state snapshots: unsigned integers, float64s and
 * length-prefixed UTF-8 strings, little-endian.
 *
 * @module
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

const CHUNK = 1 << 20;

/**
 * Appends values to a list of 1 MiB chunks (so a large snapshot is never copied while it grows); `finish()`
 * joins them once.
 */
export class ByteWriter {
  readonly #full: Uint8Array[] = [];
  #buf = new Uint8Array(CHUNK);
  #view = new DataView(this.#buf.buffer);
  #pos = 0;
  #size = 0;

  #ensure(extra: number): void {
    if (this.#pos + extra <= this.#buf.length) return;
    this.#full.push(this.#buf.subarray(0, this.#pos));
    this.#size += this.#pos;
    this.#buf = new Uint8Array(Math.max(CHUNK, extra));
    this.#view = new DataView(this.#buf.buffer);
    this.#pos = 0;
  }

  u8(n: number): this {
    this.#ensure(1);
    this.#buf[this.#pos++] = n;
    return this;
  }

  /** An unsigned 32-bit integer. */
  u32(n: number): this {
    if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) {
      throw new RangeError(`Cannot write ${n} as an unsigned 32-bit integer`);
    }
    this.#ensure(4);
    this.#view.setUint32(this.#pos, n, true);
    this.#pos += 4;
    return this;
  }

  f64(n: number): this {
    this.#ensure(8);
    this.#view.setFloat64(this.#pos, n, true);
    this.#pos += 8;
    return this;
  }

  /** A string as its UTF-8 byte length (u32) followed by the bytes. */
  string(s: string): this {
    this.#ensure(4 + s.length * 3);
    const { written } = encoder.encodeInto(s, this.#buf.subarray(this.#pos + 4));
    this.#view.setUint32(this.#pos, written, true);
    this.#pos += 4 + written;
    return this;
  }

  /** A byte string as its length (u32) followed by the bytes. */
  bytes(b: Uint8Array): this {
    this.u32(b.length);
    this.#ensure(b.length);
    this.#buf.set(b, this.#pos);
    this.#pos += b.length;
    return this;
  }

  /** Bytes written so far. */
  get length(): number {
    return this.#size + this.#pos;
  }

  /** All bytes written, in one array. */
  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const c of [...this.#full, this.#buf.subarray(0, this.#pos)]) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

/** Reads what a ByteWriter wrote; reading past the end throws a RangeError naming `what`. */
export class ByteReader {
  readonly #buf: Uint8Array;
  readonly #view: DataView;
  readonly #what: string;
  #pos = 0;

  /** @param what names the data in error messages (e.g. `state of operator "orders"`). */
  constructor(buf: Uint8Array, what: string) {
    this.#buf = buf;
    this.#view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.#what = what;
  }

  #take(n: number): number {
    const at = this.#pos;
    if (at + n > this.#buf.length) {
      throw new RangeError(`Cannot read ${this.#what}: unexpected end of data at byte ${at}`);
    }
    this.#pos += n;
    return at;
  }

  u8(): number {
    return this.#buf[this.#take(1)];
  }

  u32(): number {
    return this.#view.getUint32(this.#take(4), true);
  }

  f64(): number {
    return this.#view.getFloat64(this.#take(8), true);
  }

  string(): string {
    const n = this.u32();
    const at = this.#take(n);
    return decoder.decode(this.#buf.subarray(at, at + n));
  }

  bytes(): Uint8Array {
    const n = this.u32();
    const at = this.#take(n);
    return this.#buf.subarray(at, at + n);
  }

  /** Throws a RangeError when bytes are left over (a snapshot of another format). */
  end(): void {
    if (this.#pos !== this.#buf.length) {
      throw new RangeError(
        `Cannot read ${this.#what}: ${this.#buf.length - this.#pos} unexpected bytes after the end`,
      );
    }
  }
}
