/**
 * Strict reading of compact JSON (as Kafka Connect's `JsonConverter` writes it: no whitespace) straight from
 * UTF-8 bytes, for the schema-directed payload scanner (`payload_scanner.ts`). It accepts only text that
 * `JSON.parse` accepts too and reads values exactly as `JSON.parse` would; anything else (whitespace, an
 * unexpected byte, invalid UTF-8, a `__proto__` key, numbers the decoder's lossless tiers might read differently)
 * throws {@linkcode SCAN_BAIL}, and the caller decodes the message the generic way.
 *
 * @module
 */
import { ByteRun } from "./byte_run.ts";
import { twosComplement } from "./raw_value.ts";

/** Thrown (always this one object, so bailing costs no stack trace) when the scanner cannot read the input. */
export const SCAN_BAIL: Error = new Error("The payload scanner cannot read this message");

/**
 * The last value one field had, with its bytes: most fields repeat from message to message (connector, table,
 * version), and bytes equal to ones already read are neither checked nor converted again.
 */
export interface ValueMemo {
  /**
   * The bytes last read (the value, and the next key when the memo is used with one) in `bytes[0, length)`,
   * refilled in place: a field whose value changes every few messages (a transaction's timestamp) costs no
   * allocation per change. `length` -1: nothing remembered.
   */
  bytes: Uint8Array;
  length: number;
  value: unknown;
  /** Times the value repeated, and changed: a field that keeps changing (a timestamp) is no longer remembered. */
  hits: number;
  misses: number;
}

/** An empty {@linkcode ValueMemo}. */
export function valueMemo(): ValueMemo {
  return { bytes: new Uint8Array(32), length: -1, value: undefined, hits: 0, misses: 0 };
}

// A field stops being remembered once it changed this many times more often than it repeated.
const MEMO_GIVE_UP = 16;

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const CLOSE_OBJECT = 125;
const CLOSE_ARRAY = 93;
const utf8Fatal = new TextDecoder("utf-8", { fatal: true });
const fromCharCode = String.fromCharCode;

// Bytes that end the plain-ASCII run of a string: the quote, a backslash, control characters, non-ASCII.
const STRING_STOP = new Uint8Array(256);
for (let c = 0; c < 256; c++) STRING_STOP[c] = c < 32 || c === QUOTE || c === BACKSLASH || c >= 128 ? 1 : 0;

// Bytes that may follow a value in compact JSON.
const FOLLOWS_VALUE = new Uint8Array(256);
FOLLOWS_VALUE[COMMA] = FOLLOWS_VALUE[CLOSE_OBJECT] = FOLLOWS_VALUE[CLOSE_ARRAY] = 1;

const B64 = new Int8Array(256).fill(-1);
for (let i = 0; i < 64; i++) {
  B64["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".charCodeAt(i)] = i;
}
B64[45] = 62; // "-" and "_": base64-url-safe mode, as decodeBase64 and base64Unscaled accept them
B64[95] = 63;

// Argument arrays for String.fromCharCode by length, reused: one call makes a flat string, where appending
// pieces makes a rope that the first charCodeAt or Map lookup has to flatten (~160 ns for a 22-byte LSN).
const SHORT_TEXT = 48;
const CHAR_CODES: number[][] = Array.from({ length: SHORT_TEXT + 1 }, (_, n) => new Array<number>(n).fill(0));
const utf8 = new TextDecoder();

/** Text of the ASCII bytes `b[start..end)`. */
export function asciiText(b: Uint8Array, start: number, end: number): string {
  const n = end - start;
  switch (n) {
    case 0:
      return "";
    case 1:
      return fromCharCode(b[start]);
    case 2:
      return fromCharCode(b[start], b[start + 1]);
    case 3:
      return fromCharCode(b[start], b[start + 1], b[start + 2]);
  }
  if (n > SHORT_TEXT) return utf8.decode(b.subarray(start, end)); // native beyond ~50 bytes
  const codes = CHAR_CODES[n];
  for (let i = 0; i < n; i++) codes[i] = b[start + i];
  return fromCharCode.apply(null, codes);
}

// What each single-character escape (`\n`, `\"`, …) stands for; 0 for the others (`\u` included).
const ESCAPED = new Uint8Array(256);
ESCAPED[QUOTE] = QUOTE;
ESCAPED[BACKSLASH] = BACKSLASH;
ESCAPED[47] = 47; // "/"
ESCAPED[98] = 8; // b
ESCAPED[102] = 12; // f
ESCAPED[110] = 10; // n
ESCAPED[114] = 13; // r
ESCAPED[116] = 9; // t
const ESCAPED_CODES = new Uint16Array(SHORT_TEXT);

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  throw SCAN_BAIL;
}

/**
 * A cursor over the bytes of one JSON document. Methods read one value at the cursor, check that the byte after
 * it may follow a value (`,` `}` `]` or the end), move past it, and throw {@linkcode SCAN_BAIL} on anything
 * unexpected.
 */
export class JsonBytes {
  b: Uint8Array = new Uint8Array(0);
  #view: DataView = new DataView(new ArrayBuffer(0));
  /** Position of the next byte to read. */
  pos = 0;
  // The last number token read by #scanNumber.
  #numStart = 0;
  #numInteger = false;
  #numValue = 0;

  /** Starts reading `bytes` from its first byte. */
  reset(bytes: Uint8Array): this {
    this.b = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    this.pos = 0;
    return this;
  }

  /** Whether every byte has been read. */
  get done(): boolean {
    return this.pos === this.b.length;
  }

  /** Consumes the byte `c`. */
  byte(c: number): void {
    if (this.b[this.pos] !== c) throw SCAN_BAIL;
    this.pos++;
  }

  /** Consumes exactly the bytes of `token` (a key such as `,"after":`). */
  token(token: ByteRun): void {
    if (!token.at(this.b, this.#view, this.pos)) throw SCAN_BAIL;
    this.pos += token.length;
  }

  /**
   * Consumes the value the field had last time (and the `next` key token, when the memo holds it too) and
   * returns it, or returns `undefined` if it changed.
   */
  #same(memo: ValueMemo, next: ByteRun | null): unknown {
    const n = memo.length;
    if (n < 0) return undefined;
    const b = this.b;
    const at = this.pos;
    const end = at + n;
    // The same bytes must also end there: `12` is not the value of `123`. Bytes that hold the next key end
    // with it, and its `,` already ends the value.
    let same = end <= b.length && (next !== null || end === b.length || FOLLOWS_VALUE[b[end]] === 1);
    const m = memo.bytes;
    for (let i = 0; same && i < n; i++) same = b[at + i] === m[i];
    if (!same) {
      memo.misses++;
      return undefined;
    }
    this.pos = end;
    memo.hits++;
    return memo.value;
  }

  #remember(memo: ValueMemo, start: number, value: unknown): void {
    if (memo.misses - memo.hits > MEMO_GIVE_UP) {
      memo.length = -1; // keeps changing: comparing costs more than it saves
      return;
    }
    const n = this.pos - start;
    if (n > memo.bytes.length) memo.bytes = new Uint8Array(Math.max(n, 2 * memo.bytes.length));
    const m = memo.bytes;
    const b = this.b;
    for (let i = 0; i < n; i++) m[i] = b[start + i];
    memo.length = n;
    memo.value = value;
  }

  /**
   * Skips one value, like {@linkcode skip}, remembering its bytes in `memo`; then consumes the `next` key token
   * if given (a memo always used with the same `next` remembers it too: one comparison for both).
   */
  skipSame(memo: ValueMemo, next: ByteRun | null = null): void {
    if (this.#same(memo, next) !== undefined) return;
    const start = this.pos;
    this.skip();
    if (next !== null) this.token(next);
    this.#remember(memo, start, null);
  }

  /**
   * {@linkcode string} or {@linkcode value}(`longIntegers`) as the token says, remembering it in `memo`; then
   * the `next` key token as {@linkcode skipSame} reads it.
   */
  valueSame(memo: ValueMemo, longIntegers: boolean, next: ByteRun | null = null): unknown {
    const same = this.#same(memo, next);
    if (same !== undefined) return same;
    const start = this.pos;
    const v = this.b[start] === QUOTE ? this.string() : this.value(longIntegers);
    if (next !== null) this.token(next);
    this.#remember(memo, start, v);
    return v;
  }

  /** A string, remembered in `memo`. */
  stringSame(memo: ValueMemo): string {
    const same = this.#same(memo, null);
    if (same !== undefined) return same as string;
    const start = this.pos;
    const v = this.string();
    this.#remember(memo, start, v);
    return v;
  }

  #afterValue(i: number): void {
    const b = this.b;
    if (i < b.length) {
      const c = b[i];
      if (c !== COMMA && c !== CLOSE_OBJECT && c !== CLOSE_ARRAY) throw SCAN_BAIL;
    }
    this.pos = i;
  }

  #literal(a: number, b1: number, c: number, d: number, e: number): boolean {
    const b = this.b;
    const i = this.pos;
    if (b[i] !== a || b[i + 1] !== b1 || b[i + 2] !== c || b[i + 3] !== d) return false;
    if (e < 0) {
      this.#afterValue(i + 4);
    } else {
      if (b[i + 4] !== e) return false;
      this.#afterValue(i + 5);
    }
    return true;
  }

  /** Consumes `null` and returns true, or returns false when the next value is not null. */
  null(): boolean {
    return this.b[this.pos] === 110 && this.#literal(110, 117, 108, 108, -1);
  }

  /** A `true` or `false`. */
  bool(): boolean {
    if (this.#literal(116, 114, 117, 101, -1)) return true;
    if (this.#literal(102, 97, 108, 115, 101)) return false;
    throw SCAN_BAIL;
  }

  /** Scans a number token (strict JSON grammar); the integer part's value is kept while exact. */
  #scanNumber(): void {
    const b = this.b;
    let i = this.pos;
    this.#numStart = i;
    const neg = b[i] === 45;
    if (neg) i++;
    let c = b[i];
    let v = 0;
    if (c === 48) {
      c = b[++i];
    } else if (c >= 49 && c <= 57) {
      do {
        v = v * 10 + (c - 48);
        c = b[++i];
      } while (c >= 48 && c <= 57);
    } else {
      throw SCAN_BAIL;
    }
    let integer = true;
    if (c === 46) {
      integer = false;
      c = b[++i];
      if (!isDigit(c)) throw SCAN_BAIL;
      do c = b[++i]; while (isDigit(c));
    }
    if (c === 101 || c === 69) {
      integer = false;
      c = b[++i];
      if (c === 43 || c === 45) c = b[++i];
      if (!isDigit(c)) throw SCAN_BAIL;
      do c = b[++i]; while (isDigit(c));
    }
    this.#afterValue(i);
    this.#numInteger = integer;
    this.#numValue = neg ? -v : v;
  }

  /** Length of the last number token. */
  get #numLength(): number {
    return this.pos - this.#numStart;
  }

  /** The last number token's value, exactly as `JSON.parse` reads it. */
  #numberValue(): number {
    const v = this.#numValue;
    // A sum of digits stays exact while it is a safe integer; beyond, only a correctly rounded parse is.
    if (this.#numInteger && Number.isSafeInteger(v)) return v;
    return Number(asciiText(this.b, this.#numStart, this.pos));
  }

  /** Any JSON number, as `JSON.parse` reads it. */
  number(): number {
    this.#scanNumber();
    return this.#numberValue();
  }

  /** An integer token (no fraction or exponent) between `min` and `max` (both safe integers). */
  int(min: number, max: number): number {
    this.#scanNumber();
    const v = this.#numValue;
    if (!this.#numInteger || !(v >= min && v <= max)) throw SCAN_BAIL;
    return v;
  }

  /** An integer token as an exact 64-bit integer. */
  int64(): bigint {
    this.#scanNumber();
    if (!this.#numInteger) throw SCAN_BAIL;
    const v = this.#numValue;
    if (Number.isSafeInteger(v)) return BigInt(v);
    const b = this.b;
    const start = b[this.#numStart] === 45 ? this.#numStart + 1 : this.#numStart;
    const digits = this.pos - start;
    if (digits > 19) throw SCAN_BAIL;
    // Split into a high part and the last 9 digits, both exact in a double.
    let hi = 0;
    let lo = 0;
    const cut = this.pos - 9;
    for (let i = start; i < cut; i++) hi = hi * 10 + (b[i] - 48);
    for (let i = cut; i < this.pos; i++) lo = lo * 10 + (b[i] - 48);
    const abs = BigInt(hi) * 1_000_000_000n + BigInt(lo);
    const r = start === this.#numStart ? abs : -abs;
    if (r < -(2n ** 63n) || r >= 2n ** 63n) throw SCAN_BAIL;
    return r;
  }

  /**
   * A number for a reader that may also see it parsed by a lossless tier: only tokens every tier reads as the
   * same value. No integer beyond 2^53 (tier 2 quotes those), and at most 15 characters (tier 3 keeps longer
   * tokens as text) unless `longIntegers` and the token is a plain integer (read exactly at every tier).
   */
  #tierSafeNumber(longIntegers: boolean): number {
    this.#scanNumber();
    const v = this.#numberValue();
    if (Number.isInteger(v) && !Number.isSafeInteger(v)) throw SCAN_BAIL;
    if (this.#numLength > 15 && !(longIntegers && this.#numInteger)) throw SCAN_BAIL;
    return v;
  }

  /** Index of the closing quote of the string starting at `pos` (a `"`), or -1 if it has escapes or non-ASCII. */
  #asciiStringEnd(): number {
    const b = this.b;
    let i = this.pos;
    if (b[i] !== QUOTE) throw SCAN_BAIL;
    const n = b.length;
    for (i++; i < n; i++) {
      if (STRING_STOP[b[i]] === 0) continue;
      return b[i] === QUOTE ? i : -1;
    }
    throw SCAN_BAIL;
  }

  /** A string. */
  string(): string {
    const text = this.#string();
    this.#afterValue(this.pos);
    return text;
  }

  /** An object key and its `:`. */
  #key(): string {
    const key = this.#string();
    if (this.b[this.pos++] !== 58) throw SCAN_BAIL; // ":"
    return key;
  }

  /** Reads a string and moves past its closing quote. */
  #string(): string {
    const end = this.#asciiStringEnd();
    if (end < 0) return this.#shortEscapedString() ?? this.#escapedString();
    const text = asciiText(this.b, this.pos + 1, end);
    this.pos = end + 1;
    return text;
  }

  /** Moves past a string, checking it. */
  #skipString(): void {
    const end = this.#asciiStringEnd();
    if (end >= 0) this.pos = end + 1;
    else this.#escapedString();
  }

  /**
   * A short ASCII string with single-character escapes (PostgreSQL's `sequence` holds quotes) as one flat
   * string, or undefined (nothing consumed) for any other: appending its pieces would make a rope that every
   * later read has to flatten.
   */
  #shortEscapedString(): string | undefined {
    const b = this.b;
    const codes = ESCAPED_CODES;
    let i = this.pos + 1;
    let n = 0;
    for (;;) {
      if (i >= b.length || n === SHORT_TEXT) return undefined;
      let c = b[i];
      if (c === QUOTE) break;
      if (c < 32 || c >= 128) return undefined;
      if (c === BACKSLASH) {
        c = ESCAPED[b[i + 1]];
        if (c === 0) return undefined;
        i += 2;
      } else {
        i++;
      }
      codes[n++] = c;
    }
    const args = CHAR_CODES[n];
    for (let k = 0; k < n; k++) args[k] = codes[k];
    this.pos = i + 1;
    return fromCharCode.apply(null, args);
  }

  /** A string with escapes or non-ASCII characters; invalid UTF-8 and raw control characters bail. */
  #escapedString(): string {
    const b = this.b;
    let i = this.pos + 1;
    let run = i;
    let out = "";
    for (;;) {
      if (i >= b.length) throw SCAN_BAIL;
      const c = b[i];
      if (c === QUOTE) break;
      if (c < 32) throw SCAN_BAIL;
      if (c !== BACKSLASH) {
        i++;
        continue;
      }
      if (i > run) out += this.#utf8(run, i);
      const e = b[i + 1];
      switch (e) {
        case QUOTE:
        case BACKSLASH:
        case 47: // "/"
          out += fromCharCode(e);
          break;
        case 98:
          out += "\b";
          break;
        case 102:
          out += "\f";
          break;
        case 110:
          out += "\n";
          break;
        case 114:
          out += "\r";
          break;
        case 116:
          out += "\t";
          break;
        case 117: // \uXXXX; lone surrogates stay, as JSON.parse keeps them
          out += fromCharCode(
            (hexValue(b[i + 2]) << 12) | (hexValue(b[i + 3]) << 8) | (hexValue(b[i + 4]) << 4) |
              hexValue(b[i + 5]),
          );
          i += 4;
          break;
        default:
          throw SCAN_BAIL;
      }
      i += 2;
      run = i;
    }
    if (i > run) out += this.#utf8(run, i);
    this.pos = i + 1;
    return out;
  }

  #utf8(start: number, end: number): string {
    const b = this.b;
    for (let i = start; i < end; i++) if (b[i] >= 128) return this.#fatalUtf8(start, end);
    return asciiText(b, start, end);
  }

  #fatalUtf8(start: number, end: number): string {
    try {
      return utf8Fatal.decode(this.b.subarray(start, end));
    } catch {
      throw SCAN_BAIL;
    }
  }

  /**
   * The unscaled value of a Kafka Connect Decimal written as base64 (big-endian two's complement), read from the
   * string's bytes without making a string; same result as `base64Unscaled` of its text.
   */
  base64Unscaled(): bigint {
    const end = this.#asciiStringEnd();
    if (end < 0) throw SCAN_BAIL;
    const b = this.b;
    const start = this.pos + 1;
    let stop = end;
    while (stop > start && b[stop - 1] === 61) stop--; // "=", as base64Unscaled strips it
    const n = stop - start;
    let r: bigint;
    if (n > 8 || n % 4 === 1) {
      r = twosComplement(this.#base64(start, stop));
    } else {
      let acc = 0;
      for (let i = start; i < stop; i++) {
        const v = B64[b[i]];
        if (v < 0) throw SCAN_BAIL;
        acc = acc * 64 + v;
      }
      const bytes = Math.floor((n * 3) / 4);
      if (bytes === 0) {
        r = 0n;
      } else {
        acc = Math.floor(acc / 2 ** (n * 6 - bytes * 8)); // drop the padding bits of the last character
        const range = 2 ** (bytes * 8);
        r = BigInt(acc >= range / 2 ? acc - range : acc);
      }
    }
    this.#afterValue(end + 1);
    return r;
  }

  /** Bytes of a base64 string; same result as `decodeBase64` of its text. */
  base64Bytes(): Uint8Array {
    const end = this.#asciiStringEnd();
    if (end < 0) throw SCAN_BAIL;
    const b = this.b;
    const start = this.pos + 1;
    let stop = end;
    while (stop > start && b[stop - 1] === 61) stop--;
    const out = this.#base64(start, stop);
    this.#afterValue(end + 1);
    return out;
  }

  /** Decodes base64 characters `b[start..stop)` (padding already removed). */
  #base64(start: number, stop: number): Uint8Array {
    const n = stop - start;
    if (n % 4 === 1) throw SCAN_BAIL;
    const b = this.b;
    const out = new Uint8Array(Math.floor((n * 3) / 4));
    let bits = 0;
    let acc = 0;
    let o = 0;
    for (let i = start; i < stop; i++) {
      const v = B64[b[i]];
      if (v < 0) throw SCAN_BAIL;
      acc = ((acc << 6) | v) & 0xffffff;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out[o++] = (acc >> bits) & 0xff;
      }
    }
    return out;
  }

  /**
   * Any JSON value as `JSON.parse` reads it, for fields a generic converter reads. Numbers that a lossless tier
   * could read otherwise bail (see #tierSafeNumber; `longIntegers` for fields read only through `optionalInt64`).
   */
  value(longIntegers = false): unknown {
    const c = this.b[this.pos];
    switch (c) {
      case QUOTE:
        return this.string();
      case 123: { // "{"
        const o: Record<string, unknown> = {};
        this.pos++;
        if (this.b[this.pos] === CLOSE_OBJECT) {
          this.#afterValue(this.pos + 1);
          return o;
        }
        for (;;) {
          const key = this.#key();
          if (key === "__proto__") throw SCAN_BAIL; // JSON.parse makes it an own property; assignment would not
          o[key] = this.value(longIntegers);
          const next = this.b[this.pos++];
          if (next === CLOSE_OBJECT) break;
          if (next !== COMMA) throw SCAN_BAIL;
        }
        this.#afterValue(this.pos);
        return o;
      }
      case 91: { // "["
        const a: unknown[] = [];
        this.pos++;
        if (this.b[this.pos] === CLOSE_ARRAY) {
          this.#afterValue(this.pos + 1);
          return a;
        }
        for (;;) {
          a.push(this.value(longIntegers));
          const next = this.b[this.pos++];
          if (next === CLOSE_ARRAY) break;
          if (next !== COMMA) throw SCAN_BAIL;
        }
        this.#afterValue(this.pos);
        return a;
      }
      case 116:
      case 102:
        return this.bool();
      case 110:
        if (this.null()) return null;
        throw SCAN_BAIL;
      default:
        return this.#tierSafeNumber(longIntegers);
    }
  }

  /** Skips one value, checking it is valid JSON (strings included: escapes and UTF-8). */
  skip(): void {
    const c = this.b[this.pos];
    switch (c) {
      case QUOTE:
        this.#skipString();
        this.#afterValue(this.pos);
        return;
      case 123:
      case 91: {
        const close = c === 123 ? CLOSE_OBJECT : CLOSE_ARRAY;
        this.pos++;
        if (this.b[this.pos] === close) {
          this.#afterValue(this.pos + 1);
          return;
        }
        for (;;) {
          if (close === CLOSE_OBJECT) {
            this.#skipString();
            if (this.b[this.pos++] !== 58) throw SCAN_BAIL;
          }
          this.skip();
          const next = this.b[this.pos++];
          if (next === close) break;
          if (next !== COMMA) throw SCAN_BAIL;
        }
        this.#afterValue(this.pos);
        return;
      }
      case 116:
      case 102:
        this.bool();
        return;
      case 110:
        if (!this.null()) throw SCAN_BAIL;
        return;
      default:
        this.#scanNumber();
    }
  }
}
