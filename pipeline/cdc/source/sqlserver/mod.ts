/**
 * SQL Server CDC read directly (no Kafka, no Debezium): the source, its IO interface with the mssql and the
 * recorded implementations, and the pure core.
 *
 * @module
 */
export {
  RetentionGapError,
  SQLSERVER_STREAM,
  SqlServerSource,
  type SqlServerSourceOptions,
} from "./sqlserver_source.ts";
export {
  type CaptureInstance,
  type CdcRow,
  RecordedCdcClient,
  type SqlServerCdcClient,
} from "./cdc_client.ts";
export { connectMssql, type MssqlConfig } from "./mssql_client.ts";
export { cdcEvents, type InstanceRows, readRow } from "./cdc_rows.ts";
export {
  type ColumnReader,
  columnReaders,
  ColumnTypeError,
  selectList,
  type SqlColumn,
} from "./column_readers.ts";
export { compareLsn, lsnBytes, lsnText } from "./lsn.ts";
