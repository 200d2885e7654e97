/**
 * SQL Server LSNs: `binary(10)` values, written by Debezium as lower-case hex `xxxxxxxx:xxxxxxxx:xxxx`, whose
 * text order is their numeric order.
 *
 * @module
 */
import { normalizeLsn } from "../../source_position.ts";

/** Debezium's text of a 10-byte LSN. */
export function lsnText(bytes: Uint8Array): string {
  if (bytes.length !== 10) throw new RangeError(`Cannot read LSN: ${bytes.length} bytes instead of 10`);
  let hex = "";
  for (const b of bytes) hex += b.toString(16).padStart(2, "0");
  return `${hex.slice(0, 8)}:${hex.slice(8, 16)}:${hex.slice(16)}`;
}

/** The 10 bytes of an LSN text (with or without separators). */
export function lsnBytes(text: string): Uint8Array {
  const hex = normalizeLsn(text).replaceAll(":", "");
  const out = new Uint8Array(10);
  for (let i = 0; i < 10; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** -1, 0 or 1 comparing two LSN texts. */
export function compareLsn(a: string, b: string): number {
  const x = normalizeLsn(a);
  const y = normalizeLsn(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
