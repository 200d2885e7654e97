/**
 * The Delta write side: data files with exact stats, transactions (create, append, overwrite, delete, upsert)
 * with idempotent `txn` batches and optimistic concurrency, Change Data Feed files, checkpoints, OPTIMIZE,
 * VACUUM, log cleanup and verification.
 *
 * Deletion vectors are opt-in per table: a table created with `enableDeletionVectors: true` (or the property
 * `delta.enableDeletionVectors: "true"`) gets protocol (3,7) with the `deletionVectors` reader and writer
 * feature; every other table stays at reader version 1 ({@linkcode enableDeletionVectors} turns them on for an
 * existing table). On such a table (ours or Spark's), merge, upsert and
 * delete keep the files they remove rows from and give them a deletion vector (one `deletion_vector_<uuid>.bin`
 * per commit) instead of rewriting them; replaced rows go to new files, and the Change Data Feed is the same as
 * copy-on-write. OPTIMIZE purges files whose vector deletes at least 20 % of their rows; VACUUM keeps the vector
 * files that live files and unexpired tombstones name.
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
export {
  MAX_DELETED_ROWS_RATIO,
  type OptimizeOptions,
  type OptimizeResult,
  optimizeTable,
} from "./optimize_table.ts";
export { deletionVectorsEnabled, protocolFor } from "./writer_protocol.ts";
export { enableDeletionVectors } from "./enable_deletion_vectors.ts";
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
