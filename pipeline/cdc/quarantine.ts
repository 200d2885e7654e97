/**
 * Messages that cannot be decoded never stop the pipeline: each becomes a {@linkcode QuarantineRecord}, which
 * the stream processor appends to the `_quarantine` Delta table ({@linkcode QUARANTINE_SCHEMA}) with the raw
 * bytes, so nothing is lost and the message can be replayed once the decoder is fixed.
 *
 * @module
 */
import type { StructType } from "../delta/schema/types.ts";
import { decodeBase64, encodeBase64, type Row, type Timestamp } from "../value/mod.ts";
import type { DebeziumDecoder } from "./debezium_decoder.ts";
import type { SourceRecord } from "./source_record.ts";

/** Name of the lake table that holds quarantined messages. */
export const QUARANTINE_TABLE = "_quarantine";

/** One undecodable message. */
export interface QuarantineRecord {
  /** Where it came from: a Kafka topic, `sqlite:_changes`, `sqlserver:<capture instance>`, or `stdin`. */
  topic: string;
  /** Kafka partition; 0 for sources without partitions. */
  partition: number;
  /** Kafka offset, SQLite seq or source position, as text (int64 offsets exceed 2^53). */
  offset: string;
  /** The message key's raw bytes, base64; null for a null key. */
  key: string | null;
  /** The message value's raw bytes, base64; null for a null value. */
  value: string | null;
  /** Why it could not be decoded: the error's class and message (`TypeError: Cannot decode "after.amount": …`). */
  error: string;
  /** When it was quarantined. */
  timestamp: Timestamp;
}

/** Schema of the `_quarantine` Delta table. */
export const QUARANTINE_SCHEMA: StructType = {
  type: "struct",
  fields: [
    { name: "topic", type: "string", nullable: false, metadata: {} },
    { name: "partition", type: "integer", nullable: false, metadata: {} },
    { name: "offset", type: "string", nullable: false, metadata: {} },
    { name: "key", type: "binary", nullable: true, metadata: {} },
    { name: "value", type: "binary", nullable: true, metadata: {} },
    { name: "error", type: "string", nullable: false, metadata: {} },
    { name: "timestamp", type: "timestamp", nullable: false, metadata: {} },
  ],
};

const encoder = new TextEncoder();

function rawBase64(raw: Uint8Array | string | null): string | null {
  if (raw === null) return null;
  return encodeBase64(typeof raw === "string" ? encoder.encode(raw) : raw);
}

/** Builds the quarantine record of a message that failed with `error`. */
export function quarantineRecord(
  where: { topic: string; partition?: number; offset: string | number | bigint },
  message: { key: Uint8Array | string | null; value: Uint8Array | string | null },
  error: unknown,
  now: Timestamp,
): QuarantineRecord {
  return {
    topic: where.topic,
    partition: where.partition ?? 0,
    offset: String(where.offset),
    key: rawBase64(message.key),
    value: rawBase64(message.value),
    error: error instanceof Error ? `${error.name}: ${error.message}` : `Error: ${String(error)}`,
    timestamp: now,
  };
}

/** The lake row of a quarantine record (binary columns as bytes). */
export function quarantineRow(record: QuarantineRecord): Row {
  return {
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
    key: record.key === null ? null : decodeBase64(record.key),
    value: record.value === null ? null : decodeBase64(record.value),
    error: record.error,
    timestamp: record.timestamp.zoned ? record.timestamp : record.timestamp.with({ zoned: true }),
  };
}

/** A message as sources read it: where it is, and its raw key and value. */
export interface LocatedMessage {
  topic: string;
  partition?: number;
  offset: string | number | bigint;
  key: Uint8Array | string | null;
  value: Uint8Array | string | null;
}

/**
 * Decodes one message, or quarantines it: whatever the bytes, this returns and never throws, so one bad message
 * never stops a source.
 */
export function decodeOrQuarantine(
  decoder: DebeziumDecoder,
  message: LocatedMessage,
  now: () => Timestamp,
): { record: SourceRecord; quarantine?: undefined } | { record?: undefined; quarantine: QuarantineRecord } {
  try {
    return { record: decoder.decode(message) };
  } catch (e) {
    return { quarantine: quarantineRecord(message, message, e, now()) };
  }
}
