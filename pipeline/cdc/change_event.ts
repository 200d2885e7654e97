/**
 * The one change-event model every source produces (Debezium over Kafka, SQL Server CDC, SQLite triggers)
 * and every operator consumes.
 *
 * @module
 */
import type { Row, Timestamp } from "../value/mod.ts";

/** c = insert, u = update, d = delete, r = snapshot read (an upsert of the row as it was when read). */
export type ChangeOp = "c" | "u" | "d" | "r";

/**
 * One row change, with column names already mapped to the lake's snake_case names and values in the shared
 * value model (`pipeline/value`).
 */
export interface ChangeEvent {
  /** Lake table name, snake_case (`order_items`). */
  table: string;
  op: ChangeOp;
  /** Primary-key columns → values; always set, also for deletes. */
  key: Row;
  /** Row image before the change (null for inserts and snapshot reads; may be partial, see the source). */
  before: Row | null;
  /** Row image after the change (null for deletes). */
  after: Row | null;
  /**
   * Source position that totally orders the changes of one source database: fixed-width text that compares
   * lexicographically in commit order (see `source_position.ts`).
   */
  position: string;
  /** Commit time at the source (Debezium `source.ts_ms`). */
  commitTs: Timestamp;
  /** Source transaction id, when known. */
  txId: string | null;
  /** True for rows of an initial or repeated snapshot (`op` is then `r`). */
  snapshot: boolean;
}
