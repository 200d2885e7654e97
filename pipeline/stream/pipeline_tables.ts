/**
 * The processor's own lake tables: `_quarantine` (messages that could not be applied, with their raw bytes)
 * and `_pipeline_metrics` (one row per batch).
 *
 * @module
 */
import { QUARANTINE_SCHEMA, QUARANTINE_TABLE, quarantineRecord, quarantineRow } from "../cdc/quarantine.ts";
import type { EventProblem, OutputTable } from "./operators/mod.ts";
import { field, struct } from "./operators/schema_fields.ts";
import { type Row, toJsonValue } from "../value/mod.ts";

/** `_quarantine`, keyed by where each message came from, so a replayed batch cannot add a row twice. */
export const QUARANTINE: OutputTable = {
  name: QUARANTINE_TABLE,
  key: ["topic", "partition", "offset"],
  schema: QUARANTINE_SCHEMA,
};

/** Name of the metrics table. */
export const PIPELINE_METRICS_TABLE = "_pipeline_metrics";

/**
 * `_pipeline_metrics`: one row per batch. `latency_ms` is the batch's worst end-to-end latency (its oldest
 * source commit to the commit of every table), `lag_ms` how far the lake trails the newest source commit read
 * (to the same commit), `tables` a JSON object `{table: {"in": n, "upserts": n, "deletes": n}}` (events read from
 * a source table, rows written to a lake table; mirrors share their source table's name).
 */
export const PIPELINE_METRICS: OutputTable = {
  name: PIPELINE_METRICS_TABLE,
  key: ["job", "batch_id"],
  schema: struct([
    field("batch_id", "long", false),
    field("job", "string", false),
    field("instance", "string", false),
    field("committed_at", "timestamp", false),
    field("events", "long", false),
    field("rows_out", "long", false),
    field("quarantined", "long", false),
    field("duration_ms", "long", false),
    field("latency_ms", "long", true),
    field("lag_ms", "long", true),
    field("min_source_ts", "timestamp", true),
    field("max_source_ts", "timestamp", true),
    field("tables", "string", false),
    field("replayed", "boolean", false),
  ]),
};

/**
 * The `_quarantine` row of an event the operators rejected: its table and position as topic and offset, the
 * event as JSON (the lake's value encoding) as the value, and the source commit time as the time, so a replay
 * produces the same row.
 */
export function problemRow(p: EventProblem): Row {
  const e = p.event;
  const value = JSON.stringify(toJsonValue({
    table: e.table,
    op: e.op,
    key: e.key,
    before: e.before,
    after: e.after,
    position: e.position,
    commit_ts: e.commitTs,
    tx_id: e.txId,
    snapshot: e.snapshot,
  }));
  return quarantineRow(
    quarantineRecord(
      { topic: `operators:${e.table}`, offset: e.position },
      { key: JSON.stringify(toJsonValue(e.key)), value },
      new TypeError(p.problem),
      e.commitTs,
    ),
  );
}
