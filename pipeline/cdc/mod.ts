/**
 * Change data capture: the normalized change-event model, the Debezium decoder, source positions, quarantine
 * records, and the pluggable sources (Kafka + Debezium, SQLite triggers, in-memory). The SQL Server CDC source
 * lives in `./source/sqlserver/mod.ts` (it loads the mssql driver).
 *
 * @module
 */
export type { ChangeEvent, ChangeOp } from "./change_event.ts";
export type {
  ChangeRecord,
  HeartbeatRecord,
  IgnoredRecord,
  MessageRecord,
  SchemaChangeRecord,
  SourceRecord,
  TombstoneRecord,
  TransactionRecord,
  TruncateRecord,
} from "./source_record.ts";
export {
  DebeziumDecoder,
  type DebeziumDecoderOptions,
  type DebeziumMessage,
  type DecoderStats,
} from "./debezium_decoder.ts";
export {
  comparePositions,
  mysqlPosition,
  normalizeLsn,
  parsePostgresPosition,
  parseSqlitePosition,
  parseSqlServerPosition,
  postgresPosition,
  sqlitePosition,
  sqlServerPosition,
} from "./source_position.ts";
export {
  decodeOrQuarantine,
  type LocatedMessage,
  QUARANTINE_SCHEMA,
  QUARANTINE_TABLE,
  type QuarantineRecord,
  quarantineRecord,
  quarantineRow,
} from "./quarantine.ts";
export { Naming, tableFromTopic, type TableNaming } from "./naming.ts";
export { type Clock, systemClock } from "./clock.ts";
export {
  type ChangeSource,
  emptyBatch,
  mergeCheckpoints,
  type NextOptions,
  type SourceBatch,
  type SourceCheckpoint,
} from "./source/change_source.ts";
export { Backoff, type BackoffOptions, sleep } from "./source/backoff.ts";
export { MEMORY_STREAM, MemoryLog, MemorySource, type MemorySourceOptions } from "./source/memory_source.ts";
export { SQLITE_STREAM, SqliteSource, type SqliteSourceOptions } from "./source/sqlite_source.ts";
export { KafkaSource, type KafkaSourceOptions, type KafkaSourceStats } from "./source/kafka_source.ts";
