/**
 * The records of a batch kept in the write-ahead log itself, for ranges the source cannot read again (an
 * initial snapshot reads the tables as they are at that moment, which a later read cannot reproduce). One JSON
 * line per record in a lossless encoding that keeps every value's type.
 *
 * @module
 */
import type { QuarantineRecord } from "../cdc/quarantine.ts";
import type { SourceRecord } from "../cdc/source_record.ts";
import type { JsonValue, Value } from "../value/mod.ts";
import { decodeValue, encodeValue } from "./operators/value_codec.ts";

/** Encodes records and quarantined messages, in order, as JSON lines. */
export function encodeBatchRecords(
  records: readonly SourceRecord[],
  quarantined: readonly QuarantineRecord[],
): Uint8Array {
  const lines: string[] = [];
  for (const r of records) lines.push(JSON.stringify({ r: encodeValue(r as unknown as Value) }));
  for (const q of quarantined) lines.push(JSON.stringify({ q: encodeValue(q as unknown as Value) }));
  return new TextEncoder().encode(lines.join("\n") + "\n");
}

/** Decodes what {@linkcode encodeBatchRecords} wrote; a SyntaxError naming `where` when it is not that. */
export function decodeBatchRecords(
  bytes: Uint8Array,
  where: string,
): { records: SourceRecord[]; quarantined: QuarantineRecord[] } {
  const records: SourceRecord[] = [];
  const quarantined: QuarantineRecord[] = [];
  const lines = new TextDecoder().decode(bytes).split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] === "") continue;
    let line: { r?: JsonValue; q?: JsonValue };
    try {
      line = JSON.parse(lines[i]);
    } catch (e) {
      throw new SyntaxError(`Cannot read batch records "${where}" line ${i + 1}: ${(e as Error).message}`);
    }
    if (line.r !== undefined) records.push(decodeValue(line.r) as unknown as SourceRecord);
    else if (line.q !== undefined) quarantined.push(decodeValue(line.q) as unknown as QuarantineRecord);
    else throw new SyntaxError(`Cannot read batch records "${where}" line ${i + 1}: not a record`);
  }
  return { records, quarantined };
}
