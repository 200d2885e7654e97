/**
 * Object keys: validation and the UTF-8 byte order every store lists in.
 *
 * @module
 */

/**
 * Throws a TypeError unless `key` is a valid store key: not empty, relative (no leading `/`), `/`-separated,
 * without empty, `.` or `..` segments.
 */
export function checkKey(url: string, key: string): void {
  if (key === "" || key.startsWith("/") || key.endsWith("/")) {
    throw new TypeError(`Cannot use key "${key}" in "${url}": a key is a relative path to an object`);
  }
  for (const segment of key.split("/")) {
    if (segment === "" || segment === "." || segment === "..") {
      throw new TypeError(
        `Cannot use key "${key}" in "${url}": empty, "." and ".." segments are not allowed`,
      );
    }
  }
}

/**
 * Compares two keys in UTF-8 byte order (= code point order), the order S3 lists in. Plain `<` on JS strings
 * compares UTF-16 code units, which puts U+10000… (surrogate pairs) before U+E000…U+FFFF.
 */
export function compareKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return utf8Rank(x) - utf8Rank(y);
  }
  return a.length - b.length;
}

/** Moves surrogates (parts of code points ≥ U+10000) above U+E000…U+FFFF, keeping order within each group. */
function utf8Rank(unit: number): number {
  if (unit < 0xd800) return unit;
  if (unit <= 0xdfff) return unit + 0x2000;
  return unit - 0x800;
}
