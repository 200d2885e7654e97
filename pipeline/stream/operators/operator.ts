/**
 * The contract every stream operator keeps with the engine that runs it.
 *
 * @module
 */
import type { TableDef } from "../../catalog/mod.ts";
import type { ByteReader, ByteWriter } from "./byte_buffer.ts";
import type { ChangeEvent } from "../../cdc/change_event.ts";
import type { StructType } from "../../delta/schema/types.ts";
import type { Row } from "../../value/mod.ts";

/** A lake table an operator writes: its name, its Delta schema and the key columns it is upserted and deleted by. */
export interface OutputTable {
  /** Lake table name, snake_case. */
  readonly name: string;
  readonly schema: StructType;
  /** Columns that identify a row; upserts and deletes match on them. */
  readonly key: readonly string[];
}

/** What one batch changes in one output table. Each key appears at most once, in one of the two lists. */
export interface TableDelta {
  /** Complete rows to insert or to replace the row with the same key. */
  upserts: Row[];
  /** Rows holding only the key columns, of rows to remove; removing an absent key is a no-op. */
  deletes: Row[];
}

/** Output table name → its delta; a table the batch leaves unchanged is absent. */
export type TableChanges = Map<string, TableDelta>;

/**
 * A pure, IO-free stream operator.
 *
 * Contract:
 * - `apply(events)` takes the events of one micro-batch in any order, with duplicates and events older than ones
 *   already applied, and ignores events of tables it does not read. It returns, per output table, the upserts
 *   and deletes that make that table equal to the operator's state once applied in one atomic commit. Every
 *   event is checked first: a bad event throws a TypeError naming the table, position and column, and then no
 *   state has changed.
 * - The final output tables depend only on the set of events applied, never on their order or batch split
 *   (ordering is by source position; two events for one key at one position are the same change).
 * - `snapshotState()` returns the whole state as bytes; `restore(bytes)` replaces the state with it. Restoring
 *   a snapshot and continuing gives the same tables as never stopping.
 */
export interface Operator {
  /** Stable name, used to key the operator's state in a checkpoint. */
  readonly name: string;
  /** Source tables (lake names) whose events it reads. */
  readonly inputs: readonly string[];
  readonly outputs: readonly OutputTable[];
  apply(events: readonly ChangeEvent[]): TableChanges;
  snapshotState(): Uint8Array;
  restore(state: Uint8Array): void;
}

/** Key of {@linkcode CheckedOperator}'s table definitions. */
export const INPUT_DEFS: unique symbol = Symbol("inputDefs");
/** Key of {@linkcode CheckedOperator}'s unchecked apply. */
export const APPLY_CHECKED: unique symbol = Symbol("applyChecked");
/** Keys of {@linkcode CheckedOperator}'s state writer and reader. */
export const WRITE_STATE: unique symbol = Symbol("writeState");
export const READ_STATE: unique symbol = Symbol("readState");
/** Keys of {@linkcode RebuildableOperator}'s writer and reader of the state its table cannot give back. */
export const WRITE_REBUILD_STATE: unique symbol = Symbol("writeRebuildState");
export const READ_REBUILD_STATE: unique symbol = Symbol("readRebuildState");

/**
 * The operators of this folder: they say which table definitions `apply` checks events against, and can apply
 * events already checked against them, so `OperatorSet` checks each event once, before any operator changes
 * state; and they write and read their state to and from a shared writer or reader, so `OperatorSet` builds one
 * checkpoint without copying each operator's. Not part of the public surface.
 */
export interface CheckedOperator extends Operator {
  readonly [INPUT_DEFS]: readonly TableDef[];
  [APPLY_CHECKED](events: readonly ChangeEvent[]): TableChanges;
  /** Writes the whole state, header first. */
  [WRITE_STATE](w: ByteWriter): void;
  /** Replaces the state with one written by WRITE_STATE; reads exactly what it wrote, or throws and keeps it. */
  [READ_STATE](r: ByteReader): void;
}

/**
 * An operator that can rebuild its state from its own table's rows (mirrors, `customers_scd2`), so a checkpoint
 * may leave it out but for the part of its state the table cannot give back (WRITE_REBUILD_STATE: mirror
 * tombstones). After READ_REBUILD_STATE the caller must call `rebuildFromRows` before the next apply.
 */
export interface RebuildableOperator extends CheckedOperator {
  rebuildFromRows(rows: Iterable<Row> | AsyncIterable<Row>): Promise<void>;
  [WRITE_REBUILD_STATE](w: ByteWriter): void;
  [READ_REBUILD_STATE](r: ByteReader): void;
}
