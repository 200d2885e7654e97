/**
 * JSON parsing that never loses the digits of int64 values or long decimals, in three tiers that cost only
 * what a message needs:
 *
 * 1. `JSON.parse`: converters accept its numbers while they are exact (safe integers, ≤ 15 significant digits)
 *    and otherwise throw {@linkcode NeedsLosslessParse}.
 * 2. {@linkcode quoteUnsafeIntegers}: integer tokens beyond ±(2^53−1) become JSON strings marked with a leading
 *    `~` (`"~1531481025340000000"`), so a schema-driven converter (which knows the field is a number) reads their
 *    exact digits, and a marked string can never be mistaken for base64; one native parse.
 * 3. {@linkcode parseLossless}: `JSON.parse` with a reviver that reads each number's source text
 *    (`context.source`, on by default in V8 ≥ 11.4): every long number token becomes a {@linkcode NumberText}.
 *
 * @module
 */

/** The exact source text of a JSON number that a double may not hold exactly (from {@linkcode parseLossless}). */
export class NumberText {
  constructor(readonly text: string) {}

  /** Whether the text is an integer (no fraction, no exponent). */
  get isInteger(): boolean {
    return INTEGER.test(this.text);
  }

  toString(): string {
    return this.text;
  }
}

/**
 * Thrown by converters that met a number whose exact value `JSON.parse` may have lost; the caller parses the
 * message again with a lossless tier. Never escapes the decoder.
 */
export class NeedsLosslessParse extends Error {
  override name = "NeedsLosslessParse";
}

const INTEGER = /^-?\d+$/;
const MAX_SAFE_TEXT = "9007199254740991";
// A value token starts right after ":", "," or "[" (JsonConverter writes no whitespace): anchoring on those
// keeps the regex from trying every digit. Tokens after whitespace stay unquoted, and tier 3 reads them.
const DIGIT_RUN = /[:,[]-?\d{16,}/g;
const TS_NS = '"ts_ns"';

function isUnsafeRun(text: string, start: number, end: number): boolean {
  const len = end - start;
  return len > 16 || text.slice(start, end) > MAX_SAFE_TEXT;
}

/**
 * Puts `"~` … `"` around every integer token of `text` whose magnitude exceeds 2^53−1, except Debezium's `ts_ns`
 * fields (nobody needs them exact and they are in every ≥ 2.6 message). A digit run inside a JSON string is
 * never quoted into a valid document: a quote inserted there ends the string right before `~`, which no JSON
 * allows, so such text fails to parse and the caller falls back to {@linkcode parseLossless}.
 */
export function quoteUnsafeIntegers(text: string): string {
  DIGIT_RUN.lastIndex = 0;
  let out = "";
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = DIGIT_RUN.exec(text)) !== null) {
    const before = m.index;
    const tokenStart = before + 1;
    const start = text.charCodeAt(tokenStart) === 45 ? tokenStart + 1 : tokenStart;
    const end = before + m[0].length;
    if (!isUnsafeRun(text, start, end)) continue;
    const pc = text.charCodeAt(before);
    const nc = text.charCodeAt(end);
    if (nc === 46 || nc === 101 || nc === 69) continue; // ".", "e", "E": a fraction or exponent follows
    if (pc === 58 && text.startsWith(TS_NS, before - TS_NS.length)) continue;
    out += text.slice(last, tokenStart) + '"~' + text.slice(tokenStart, end) + '"';
    last = end;
  }
  return last === 0 ? text : out + text.slice(last);
}

interface ReviverContext {
  source?: string;
}

// Doubles hold every decimal of up to 15 significant digits exactly: shorter tokens need no source text, unless
// an exponent makes them integers beyond 2^53 (`1e300`), which must not pass for exact integers.
function reviver(_key: string, value: unknown, context?: ReviverContext): unknown {
  if (typeof value !== "number" || context?.source === undefined) return value;
  const source = context.source;
  return source.length <= 15 && (Number.isSafeInteger(value) || !Number.isInteger(value))
    ? value
    : new NumberText(source);
}

/**
 * Parses JSON keeping every number token longer than 15 characters, or naming an integer beyond 2^53, as a
 * {@linkcode NumberText}.
 */
export function parseLossless(text: string): unknown {
  return JSON.parse(text, reviver as (key: string, value: unknown) => unknown);
}

/** The exact value of a safe integer token, or null when it needs a lossless parse. */
export function exactInteger(n: number): bigint | null {
  return Number.isSafeInteger(n) ? BigInt(n) : null;
}
