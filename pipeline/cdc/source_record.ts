/**
 * What a source hands to the processor: row changes ({@linkcode ChangeEvent}) and the control records that come
 * with them on a Debezium stream (tombstones, truncates, transaction markers, heartbeats, schema changes).
 *
 * @module
 */
import type { JsonValue, Row, Timestamp } from "../value/mod.ts";
import type { ChangeEvent } from "./change_event.ts";

/** A row change. */
export interface ChangeRecord {
  kind: "change";
  event: ChangeEvent;
}

/** Debezium's follow-up to a delete (null value, same key): idempotent with the delete before it. */
export interface TombstoneRecord {
  kind: "tombstone";
  /** Lake table name. */
  table: string;
  /** The deleted key (lake column names); null when the message had no key. */
  key: Row | null;
}

/** PostgreSQL TRUNCATE (`op: "t"`): every row of the table is gone. */
export interface TruncateRecord {
  kind: "truncate";
  table: string;
  position: string;
  commitTs: Timestamp;
  txId: string | null;
}

/** A transaction boundary from the `<prefix>.transaction` topic. */
export interface TransactionRecord {
  kind: "transaction";
  status: "BEGIN" | "END";
  /** Stable transaction id: SQL Server commit LSN; PostgreSQL txId (the part of `"<txId>:<lsn>"` before `:`). */
  id: string;
  /** The id as sent (PostgreSQL's differs between BEGIN, events and END). */
  rawId: string;
  /** Number of events in the transaction (END only). */
  eventCount: number | null;
  /** Events per table (END only); `table` is the lake name, `source` the `data_collection` as sent. */
  dataCollections: { table: string; source: string; eventCount: number }[] | null;
  ts: Timestamp;
}

/** A Debezium heartbeat: the connector is alive; nothing changed. */
export interface HeartbeatRecord {
  kind: "heartbeat";
  ts: Timestamp | null;
}

/** A schema change from the SQL Server schema-change topic (`<prefix>`). */
export interface SchemaChangeRecord {
  kind: "schema_change";
  database: string | null;
  schema: string | null;
  /** Always null for SQL Server. */
  ddl: string | null;
  /** Lake names of the tables changed. */
  tables: string[];
  /** The `tableChanges` array as sent. */
  tableChanges: JsonValue;
}

/** A PostgreSQL logical decoding message (`op: "m"`): not a row change. */
export interface MessageRecord {
  kind: "message";
  prefix: string;
  content: Uint8Array | null;
}

/** A message that is valid but carries nothing for the lake (the internal schema-history topic). */
export interface IgnoredRecord {
  kind: "ignored";
  reason: string;
}

/** Anything a source produces from one message. */
export type SourceRecord =
  | ChangeRecord
  | TombstoneRecord
  | TruncateRecord
  | TransactionRecord
  | HeartbeatRecord
  | SchemaChangeRecord
  | MessageRecord
  | IgnoredRecord;
