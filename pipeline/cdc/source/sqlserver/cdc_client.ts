/**
 * The IO boundary of the SQL Server source: what it asks SQL Server's CDC functions (debezium.md §C.4), as a
 * small interface with the real implementation (`mssql_client.ts`) and an in-memory one over recorded rows
 * (`RecordedCdcClient`) that unit tests and the contract suite run against.
 *
 * @module
 */
import type { ColumnReader, SqlColumn } from "./column_readers.ts";
import { compareLsn, lsnText } from "./lsn.ts";

/** A CDC capture instance (`cdc.change_tables`). */
export interface CaptureInstance {
  /** `dbo_Customers`. */
  name: string;
  sourceSchema: string;
  sourceTable: string;
  /** Source names of the columns of the index CDC uses as key (`cdc.index_columns`), when known. */
  keyColumns?: string[];
  /**
   * The change table's object id, when known: an instance dropped and re-created under the same name (with
   * other columns) gets a new one.
   */
  objectId?: number;
}

/**
 * One row of `cdc.fn_cdc_get_all_changes_<ci>(from, to, N'all update old')`, with the columns as the driver
 * returns them after the casts of their {@linkcode ColumnReader}s (decimals, money, bigint, dates and times as
 * text).
 */
export interface CdcRow {
  /** `__$start_lsn`: the transaction's commit LSN. */
  startLsn: string;
  /** `__$seqval`: order within the transaction. */
  seqval: string;
  /** `__$operation`: 1 delete, 2 insert, 3 update (before), 4 update (after). */
  operation: number;
  /** `sys.fn_cdc_map_lsn_to_time(__$start_lsn)` as ISO-8601 with the server's offset. */
  commitTime: string;
  /** Captured columns by source name. */
  columns: Record<string, unknown>;
}

/**
 * What the source needs from SQL Server. LSNs are Debezium's text form. Guarantees: `changes()` returns rows in
 * `(__$start_lsn, __$seqval, __$operation)` order, both ends inclusive; `tableRows()` reads a table's current rows.
 */
export interface SqlServerCdcClient {
  /** `sys.fn_cdc_get_max_lsn()`; null when the capture job never ran. */
  maxLsn(): Promise<string | null>;
  /**
   * The commit LSN of the `n`-th transaction after `from` (`cdc.lsn_time_mapping`), or null when there are fewer:
   * Debezium's `max.iteration.transactions` bound on one window.
   */
  nthTransactionLsn(from: string, n: number): Promise<string | null>;
  /** `sys.fn_cdc_get_min_lsn(ci)`: the oldest change still retained. */
  minLsn(captureInstance: string): Promise<string>;
  captureInstances(): Promise<CaptureInstance[]>;
  /**
   * The captured columns of `ci` with their SQL types (`cdc.captured_columns` and the change table's
   * `sys.columns`), in ordinal order. A capture instance's columns never change (a schema change needs a new
   * capture instance), so the source asks once per instance.
   */
  capturedColumns(ci: CaptureInstance): Promise<SqlColumn[]>;
  /** The changes of `ci` in `[from, to]`, each captured column selected as its reader says. */
  changes(
    ci: CaptureInstance,
    readers: ReadonlyMap<string, ColumnReader>,
    from: string,
    to: string,
  ): Promise<CdcRow[]>;
  /**
   * The captured columns of a table's rows now (for the initial snapshot), selected as their readers say;
   * ordered by `after.column` when given, and then only those above `after.value` unless it is null (to resume
   * an interrupted snapshot).
   */
  tableRows(
    ci: CaptureInstance,
    readers: ReadonlyMap<string, ColumnReader>,
    after?: { column: string; value: unknown },
  ): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

/**
 * In-memory CDC over recorded rows: append changes, and read them back through the interface. Rows hold what
 * the driver returns for the readers' select list; like SQL Server, reads return exactly the selected columns.
 */
export class RecordedCdcClient implements SqlServerCdcClient {
  readonly instances: CaptureInstance[];
  /** Captured columns per capture instance, as `capturedColumns()` reports them. */
  readonly columns: Map<string, SqlColumn[]>;
  /** Rows per capture instance, in LSN order. */
  readonly rows = new Map<string, CdcRow[]>();
  /** Current table contents per capture instance. */
  readonly tables = new Map<string, Record<string, unknown>[]>();
  /** Low watermark per capture instance (raised by {@linkcode cleanup}). */
  readonly #min = new Map<string, string>();
  /** Fails the next calls with this error, to test reconnects. */
  failNext = 0;
  calls = 0;

  /** @param columns the captured columns of each capture instance, by instance name */
  constructor(instances: CaptureInstance[], columns: Record<string, SqlColumn[]>) {
    this.instances = instances;
    this.columns = new Map(Object.entries(columns));
    for (const ci of instances) {
      this.rows.set(ci.name, []);
      this.tables.set(ci.name, []);
      this.#min.set(ci.name, "00000000:00000000:0000");
    }
  }

  #io<T>(value: T): Promise<T> {
    this.calls++;
    if (this.failNext > 0) {
      this.failNext--;
      return Promise.reject(new Error("Connection lost: ECONNRESET"));
    }
    return Promise.resolve(value);
  }

  /** Appends recorded rows of capture instance `ci` (they must come after the ones already there). */
  append(ci: string, ...rows: CdcRow[]): void {
    this.rows.get(ci)!.push(...rows);
  }

  /** Drops changes older than `lsn`, as SQL Server's cleanup job does. */
  cleanup(ci: string, lsn: string): void {
    this.#min.set(ci, lsn);
    this.rows.set(ci, this.rows.get(ci)!.filter((r) => compareLsn(r.startLsn, lsn) >= 0));
  }

  maxLsn(): Promise<string | null> {
    let max: string | null = null;
    for (const rows of this.rows.values()) {
      for (const r of rows) if (max === null || compareLsn(r.startLsn, max) > 0) max = r.startLsn;
    }
    return this.#io(max);
  }

  nthTransactionLsn(from: string, n: number): Promise<string | null> {
    const lsns = new Set<string>();
    for (const rows of this.rows.values()) {
      for (const r of rows) if (compareLsn(r.startLsn, from) > 0) lsns.add(r.startLsn);
    }
    const sorted = [...lsns].sort(compareLsn);
    return this.#io(sorted.length >= n ? sorted[n - 1] : null);
  }

  minLsn(ci: string): Promise<string> {
    return this.#io(this.#min.get(ci) ?? "00000000:00000000:0000");
  }

  captureInstances(): Promise<CaptureInstance[]> {
    return this.#io(this.instances);
  }

  capturedColumns(ci: CaptureInstance): Promise<SqlColumn[]> {
    const columns = this.columns.get(ci.name);
    if (!columns) return Promise.reject(new Error(`No recorded columns for capture instance "${ci.name}"`));
    return this.#io(columns);
  }

  changes(
    ci: CaptureInstance,
    readers: ReadonlyMap<string, ColumnReader>,
    from: string,
    to: string,
  ): Promise<CdcRow[]> {
    if (compareLsn(from, this.#min.get(ci.name)!) < 0) {
      // What SQL Server answers for a range outside the retained changes (debezium.md §C.4).
      return Promise.reject(
        new Error("An insufficient number of arguments were supplied for the procedure or function"),
      );
    }
    try {
      const rows = this.rows.get(ci.name)!
        .filter((r) => compareLsn(r.startLsn, from) >= 0 && compareLsn(r.startLsn, to) <= 0)
        .map((r) => ({ ...r, columns: selected(r.columns, readers, ci) }));
      return this.#io(rows);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  tableRows(
    ci: CaptureInstance,
    readers: ReadonlyMap<string, ColumnReader>,
    after?: { column: string; value: unknown },
  ): Promise<Record<string, unknown>[]> {
    let rows: Record<string, unknown>[];
    try {
      rows = this.tables.get(ci.name)!.map((r) => selected(r, readers, ci));
    } catch (e) {
      return Promise.reject(e);
    }
    if (after) {
      const k = after.column;
      if (after.value !== null) rows = rows.filter((r) => Number(r[k]) > Number(after.value));
      rows.sort((a, b) => Number(a[k]) - Number(b[k]));
    }
    return this.#io(rows);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** A recorded row's values of the selected columns, in select order, as SQL Server would return them. */
function selected(
  row: Record<string, unknown>,
  readers: ReadonlyMap<string, ColumnReader>,
  ci: CaptureInstance,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of readers.keys()) {
    if (!(name in row)) throw new Error(`Recorded row of "${ci.name}" has no column "${name}"`);
    out[name] = row[name];
  }
  return out;
}

/** The LSN text of a `binary(10)` driver value (mssql gives Buffers). */
export function lsnOf(value: unknown, what: string): string {
  if (value instanceof Uint8Array) return lsnText(value);
  throw new TypeError(`Cannot read ${what}: expected binary(10), got ${typeof value}`);
}
