/**
 * Ordering of values of one Delta type, as Spark orders them: numbers numerically (int64 bigints against numbers
 * too), decimals and timestamps by value, strings and binary by UTF-8 bytes (code points), false before true.
 *
 * @module
 */
import { Decimal, LocalDate, Timestamp, type Value } from "../../value/mod.ts";

/**
 * -1, 0 or 1; null when the two values cannot be ordered against each other (different kinds, NaN, nulls,
 * complex values).
 */
export function compareValues(a: Value, b: Value): number | null {
  if (a === null || b === null) return null;
  if ((typeof a === "number" || typeof a === "bigint") && (typeof b === "number" || typeof b === "bigint")) {
    if (typeof a === "number" && Number.isNaN(a)) return null;
    if (typeof b === "number" && Number.isNaN(b)) return null;
    if (typeof a === typeof b) return a < b ? -1 : a > b ? 1 : 0;
    // bigint against number: compare exactly (a number beyond 2^53 is still an exact integer or fraction).
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof a === "string" && typeof b === "string") return compareCodePoints(a, b);
  if (typeof a === "boolean" && typeof b === "boolean") return a === b ? 0 : a ? 1 : -1;
  if (a instanceof Decimal && b instanceof Decimal) return a.compare(b);
  if (a instanceof Timestamp && b instanceof Timestamp) return a.compare(b);
  if (a instanceof LocalDate && b instanceof LocalDate) return a.compare(b);
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
    return Math.sign(a.length - b.length);
  }
  return null;
}

/** Compares strings by code point (= UTF-8 byte order), unlike `<`, which compares UTF-16 units. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      // Surrogates (code points ≥ U+10000) rank above U+E000…U+FFFF.
      const rx = x >= 0xd800 && x <= 0xdfff ? x + 0x2000 : x >= 0xe000 ? x - 0x800 : x;
      const ry = y >= 0xd800 && y <= 0xdfff ? y + 0x2000 : y >= 0xe000 ? y - 0x800 : y;
      return rx < ry ? -1 : 1;
    }
  }
  return Math.sign(a.length - b.length);
}
