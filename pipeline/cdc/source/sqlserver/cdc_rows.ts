/**
 * The pure core of the SQL Server source: CDC rows (`fn_cdc_get_all_changes_<ci>` with `all update old`) to
 * change events the way Debezium forms them (debezium.md §C.5): rows of all capture instances merged in
 * `(start LSN, seqval, operation)` order; operation 1 → `d`, 2 → `c`, 3 + 4 → one `u` (`event_serial_no` 2), or
 * `d` + `c` when the update changed the key; values converted by each column's reader (`column_readers.ts`).
 *
 * @module
 */
import type { Row } from "../../../value/mod.ts";
import { Timestamp } from "../../../value/mod.ts";
import type { ChangeEvent } from "../../change_event.ts";
import type { TableNaming } from "../../naming.ts";
import { sqlServerPosition } from "../../source_position.ts";
import type { CaptureInstance, CdcRow } from "./cdc_client.ts";
import type { ColumnReader } from "./column_readers.ts";
import { compareLsn } from "./lsn.ts";

/** The rows of one capture instance, with how its names map to the lake. */
export interface InstanceRows {
  instance: CaptureInstance;
  naming: TableNaming;
  /** Key columns (lake names): the catalog's, else the capture instance's index columns. */
  key: string[];
  /** How each captured column (source name) is read. */
  readers: ReadonlyMap<string, ColumnReader>;
  rows: CdcRow[];
}

/** A change event, or a row that could not become one. */
export type CdcOutcome =
  | { event: ChangeEvent }
  | { error: unknown; instance: CaptureInstance; row: CdcRow };

/**
 * A row as the driver returned it for the readers' select list → a row of lake names and values. A column no
 * reader knows is an error: every value is read by its SQL type, never guessed.
 */
export function readRow(
  raw: Record<string, unknown>,
  readers: ReadonlyMap<string, ColumnReader>,
  naming: TableNaming,
): Row {
  const row: Row = {};
  for (const k in raw) {
    const reader = readers.get(k);
    if (!reader) {
      throw new TypeError(`Cannot read column "${k}" of "${naming.name}": it is not a captured column`);
    }
    row[naming.column(k)] = reader.read(raw[k]);
  }
  return row;
}

function keyOf(row: Row, key: string[], table: string): Row {
  if (key.length === 0) throw new TypeError(`Cannot decode change of "${table}": the table has no key`);
  const out: Row = {};
  for (const k of key) {
    const v = row[k];
    if (v === undefined || v === null) {
      throw new TypeError(`Cannot decode change of "${table}": missing key column "${k}"`);
    }
    out[k] = v;
  }
  return out;
}

function sameKey(a: Row, b: Row): boolean {
  for (const k in a) if (String(a[k]) !== String(b[k])) return false;
  return true;
}

function commitTime(r: CdcRow): Timestamp {
  try {
    return Timestamp.parse(r.commitTime).with({ digits: 3 });
  } catch (e) {
    throw new SyntaxError(`Cannot read commit time ${JSON.stringify(r.commitTime)} of LSN ${r.startLsn}`, {
      cause: e,
    });
  }
}

/** Rows of all capture instances in Debezium's order: start LSN, seqval, operation. */
export function mergeInstanceRows(instances: InstanceRows[]): { source: InstanceRows; row: CdcRow }[] {
  const all = instances.flatMap((source) => source.rows.map((row) => ({ source, row })));
  return all.sort((a, b) =>
    compareLsn(a.row.startLsn, b.row.startLsn) || compareLsn(a.row.seqval, b.row.seqval) ||
    a.row.operation - b.row.operation
  );
}

/** Change events of merged CDC rows; a bad row becomes an error outcome and the rest go on. */
export function cdcEvents(instances: InstanceRows[]): CdcOutcome[] {
  const merged = mergeInstanceRows(instances);
  const out: CdcOutcome[] = [];
  for (let i = 0; i < merged.length; i++) {
    const { source, row } = merged[i];
    try {
      const naming = source.naming;
      const base = (
        op: ChangeEvent["op"],
        before: Row | null,
        after: Row | null,
        serial: number,
      ): ChangeEvent => ({
        table: naming.name,
        op,
        key: keyOf((after ?? before)!, source.key, naming.name),
        before,
        after,
        position: sqlServerPosition({
          commitLsn: row.startLsn,
          changeLsn: row.seqval,
          eventSerialNo: serial,
        }),
        commitTs: commitTime(row),
        txId: row.startLsn,
        snapshot: false,
      });
      switch (row.operation) {
        case 1:
          out.push({ event: base("d", readRow(row.columns, source.readers, naming), null, 1) });
          break;
        case 2:
          out.push({ event: base("c", null, readRow(row.columns, source.readers, naming), 1) });
          break;
        case 3: {
          const next = merged[i + 1];
          if (
            !next || next.source !== source || next.row.operation !== 4 ||
            next.row.startLsn !== row.startLsn ||
            next.row.seqval !== row.seqval
          ) {
            throw new TypeError(
              `Cannot decode update at LSN ${row.startLsn}/${row.seqval}: its after image (operation 4) is missing`,
            );
          }
          i++;
          const before = readRow(row.columns, source.readers, naming);
          const after = readRow(next.row.columns, source.readers, naming);
          const update = base("u", before, after, 2);
          if (sameKey(keyOf(before, source.key, naming.name), update.key)) {
            out.push({ event: update });
          } else {
            // A key change: Debezium emits a delete of the old key and a create of the new one.
            out.push({ event: base("d", before, null, 1) }, { event: base("c", null, after, 2) });
          }
          break;
        }
        default:
          throw new TypeError(
            `Cannot decode change at LSN ${row.startLsn}: unknown operation ${row.operation}`,
          );
      }
    } catch (e) {
      out.push({ error: e, instance: source.instance, row });
    }
  }
  return out;
}
