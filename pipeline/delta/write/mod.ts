/**
 * The Delta write side: data files with exact stats, transactions (create, append, overwrite, delete, upsert)
 * with idempotent `txn` batches and optimistic concurrency, Change Data Feed files, checkpoints, OPTIMIZE,
 * VACUUM, log cleanup and verification.
 *
 * @module
 */
export {
  createTable,
  type NewTableOptions,
  type WriteResult,
  writeTable,
  type WriteTableOptions,
} from "./write_table.ts";
export {
  batchToRows,
  type ColumnBatch,
  type ColumnValues,
  type ColumnVector,
  type DictionaryStrings,
  type WriteInput,
} from "./column_batch.ts";
export { deleteByKey, type DeleteResult, deleteRows, type RowPredicate } from "./delete_rows.ts";
export { type UpsertResult, upsertRows } from "./upsert_rows.ts";
export { type MergeResult, mergeRows, type MergeRowsOptions } from "./merge_rows.ts";
export { type OptimizeOptions, type OptimizeResult, optimizeTable } from "./optimize_table.ts";
export { type VacuumOptions, type VacuumResult, vacuumTable } from "./vacuum_table.ts";
export { type CheckpointInfo, writeCheckpoint } from "./checkpoint_write.ts";
export { cleanupExpiredLogs } from "./log_cleanup.ts";
export { type VerifyReport, verifyTable } from "./verify_table.ts";
export { CommitConflictError, type ConflictKind } from "./commit_conflict_error.ts";
export { findConflict, type TransactionFootprint } from "./commit_conflicts.ts";
export { type CommitRequest, type CommitResult, commitTransaction } from "./commit.ts";
export type { WriterOptions } from "./run_commit.ts";
export { computeStats, type StatsOptions } from "./file_stats.ts";
export { encodeParquet, type ParquetCompression } from "./parquet_file.ts";
export { mergeSchemas } from "./schema_merge.ts";
