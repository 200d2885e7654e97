/**
 * Source databases: the dialect-neutral connection (`SourceDb`, three implementations), and `runSetup`, which
 * creates the schema from sql/, enables change capture, seeds the catalog and registers the Debezium connector.
 *
 * @module
 */
export { type Dialect, DIALECTS, type SourceDb, type SqlRow, type SqlValue } from "./db/source_db.ts";
export { openSqlite, type SqliteSourceDb } from "./db/sqlite_source_db.ts";
export {
  openPostgres,
  parsePostgresUrl,
  type PostgresConfig,
  type PostgresSourceDb,
  type TransactionsResult,
} from "./db/postgres_source_db.ts";
export { openSqlServer, parseSqlServerUrl, type SqlServerConfig } from "./db/sqlserver_source_db.ts";
export {
  DEFAULT_SQLITE_PATH,
  describeSource,
  openSourceDb,
  resolveSource,
  type SourceOptions,
  type SourceTarget,
} from "./db/open_source_db.ts";
export { formatStep, runSetup, type SetupOptions, type SetupReport } from "./setup.ts";
export type { StepReport } from "./step_report.ts";
export { compareWithCatalog, introspectSchema, type LiveSchema } from "./schema.ts";
export { syncKeySequences } from "./key_sequences.ts";
export { keyColumn } from "./sqlite_capture.ts";
export {
  cents,
  customerAddresses,
  customerEmail,
  DEFAULT_SEED,
  phoneNumber,
  REGIONS,
  seedCatalog,
  type SeedData,
  seededFaker,
  type SeedRow,
  STATUS,
} from "./seed_catalog.ts";
export { deleteConnector, postgresConnector, sqlServerConnector } from "./connector.ts";
