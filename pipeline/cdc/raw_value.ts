/**
 * Reading scalars out of parsed JSON at any lossless tier (see `lossless_json.ts`): a plain number, a tier-2
 * quoted integer (`"~123…"`), or a tier-3 {@linkcode NumberText}. Errors name the field path and the value.
 *
 * @module
 */
import { Decimal, decodeBase64 } from "../value/mod.ts";
import { NeedsLosslessParse, NumberText } from "./lossless_json.ts";

/** Tier-2 marker put before the digits of a quoted unsafe integer; never the first character of base64. */
export const QUOTED_INTEGER_MARK = "~";

/** Thrown when a number may have lost digits in `JSON.parse`; the quoted-integer tier can recover it. */
export const NEEDS_QUOTED_INTEGERS = new NeedsLosslessParse("an integer needs its exact digits");
/** Thrown when only the number's source text can recover it (long decimals). */
export const NEEDS_SOURCE_TEXT = new NeedsLosslessParse("a number needs its source text");

const INTEGER_TEXT = /^-?\d+$/;

/** A short description of a raw JSON value for error messages. */
export function describe(raw: unknown): string {
  if (raw === null) return "null";
  if (raw instanceof NumberText) return raw.text;
  if (typeof raw === "string") return JSON.stringify(raw.length > 40 ? raw.slice(0, 40) + "…" : raw);
  if (typeof raw === "object") return Array.isArray(raw) ? "an array" : "an object";
  return String(raw);
}

/** A TypeError saying what `path` should hold and what it holds. */
export function typeError(path: string, expected: string, raw: unknown): TypeError {
  return new TypeError(`Cannot decode "${path}": expected ${expected}, got ${describe(raw)}`);
}

/** An exact 64-bit integer from any tier; throws {@linkcode NEEDS_QUOTED_INTEGERS} for an unsafe double. */
export function rawInt64(raw: unknown, path: string): bigint {
  let v: bigint;
  if (typeof raw === "number") {
    if (Number.isSafeInteger(raw)) return BigInt(raw);
    if (Number.isInteger(raw)) throw NEEDS_QUOTED_INTEGERS;
    throw typeError(path, "an integer", raw);
  } else if (typeof raw === "string" && raw.charCodeAt(0) === 126 && INTEGER_TEXT.test(raw.slice(1))) {
    v = BigInt(raw.slice(1));
  } else if (raw instanceof NumberText && raw.isInteger) {
    v = BigInt(raw.text);
  } else if (typeof raw === "bigint") {
    v = raw;
  } else {
    throw typeError(path, "an integer", raw);
  }
  if (v < -(2n ** 63n) || v >= 2n ** 63n) {
    throw new RangeError(`Cannot decode "${path}": ${v} is outside int64`);
  }
  return v;
}

/** A 32-bit-or-smaller integer as a number, checked against `[min, max]`. */
export function rawSmallInt(raw: unknown, path: string, min: number, max: number): number {
  if (typeof raw === "number" && Number.isInteger(raw) && raw >= min && raw <= max) return raw;
  if (raw instanceof NumberText && raw.isInteger) return rawSmallInt(Number(raw.text), path, min, max);
  if (typeof raw === "bigint" && raw >= BigInt(min) && raw <= BigInt(max)) return Number(raw);
  throw typeError(path, `an integer between ${min} and ${max}`, raw);
}

/** A float; accepts the strings Jackson writes for NaN and infinities. */
export function rawFloat(raw: unknown, path: string): number {
  if (typeof raw === "number") return raw;
  if (raw instanceof NumberText) return Number(raw.text);
  if (typeof raw === "string") {
    if (raw === "NaN") return NaN;
    if (raw === "Infinity") return Infinity;
    if (raw === "-Infinity") return -Infinity;
    if (raw.charCodeAt(0) === 126 && INTEGER_TEXT.test(raw.slice(1))) return Number(raw.slice(1));
  }
  throw typeError(path, "a number", raw);
}

/**
 * An exact decimal from a JSON number (`decimal.format=NUMERIC`): a double is exact only when the column has at
 * most 15 digits of precision, else the number's source text is needed.
 */
export function rawDecimalNumber(
  raw: unknown,
  scale: number,
  precision: number | null,
  path: string,
): Decimal {
  let text: string;
  if (typeof raw === "number") {
    if (!Number.isFinite(raw)) throw typeError(path, "a finite decimal", raw);
    if (precision === null || precision > 15) throw NEEDS_SOURCE_TEXT;
    text = String(raw);
  } else if (raw instanceof NumberText) {
    text = raw.text;
  } else if (typeof raw === "string" && raw.charCodeAt(0) === 126) {
    text = raw.slice(1);
  } else {
    throw typeError(path, "a decimal number", raw);
  }
  try {
    return Decimal.parse(text, scale);
  } catch (e) {
    throw new RangeError(`Cannot decode "${path}": ${text} does not fit scale ${scale}`, { cause: e });
  }
}

/** The signed big-endian two's-complement integer in `bytes` (Kafka Connect Decimal's unscaled value). */
export function twosComplement(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  let v = 0n;
  // Eight bytes at a time keeps BigInt work low for the common ≤ 16-byte values.
  let i = 0;
  for (; i + 4 <= bytes.length; i += 4) {
    v = (v << 32n) |
      BigInt(((bytes[i] << 24) | (bytes[i + 1] << 16) | (bytes[i + 2] << 8) | bytes[i + 3]) >>> 0);
  }
  for (; i < bytes.length; i++) v = (v << 8n) | BigInt(bytes[i]);
  if (bytes[0] & 0x80) v -= 1n << BigInt(bytes.length * 8);
  return v;
}

const B64 = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) {
  B64["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".charCodeAt(i)] = i;
}
B64[45] = 62; // "-" and "_": base64-url-safe mode
B64[95] = 63;

/**
 * The unscaled value of a Decimal's base64 text; values of up to 6 bytes (every decimal(14,s) and most money)
 * are computed in a double without allocating, longer ones through the bytes.
 */
export function base64Unscaled(text: string, path: string): bigint {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 61) end--;
  if (end > 8 || end % 4 === 1) {
    try {
      return twosComplement(decodeBase64(text));
    } catch (e) {
      throw new TypeError(`Cannot decode "${path}": ${(e as Error).message}`, { cause: e });
    }
  }
  let acc = 0;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? B64[c] : -1;
    if (v < 0) {
      throw new TypeError(`Cannot decode "${path}": Cannot decode base64 "${text}": bad character at ${i}`);
    }
    acc = acc * 64 + v;
  }
  const bytes = Math.floor((end * 3) / 4);
  if (bytes === 0) return 0n;
  acc = Math.floor(acc / 2 ** (end * 6 - bytes * 8)); // drop the padding bits of the last character
  const range = 2 ** (bytes * 8);
  return BigInt(acc >= range / 2 ? acc - range : acc);
}
