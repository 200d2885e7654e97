/**
 * SQL Server CDC read directly, without Kafka or Debezium: LSN windows over `fn_cdc_get_all_changes_<ci>` the
 * way Debezium polls (debezium.md §C.5), resuming inside a transaction by position, with an initial snapshot.
 * All SQL Server IO goes through {@linkcode SqlServerCdcClient}; everything else is the pure core in
 * `cdc_rows.ts`, tested over recorded rows.
 *
 * @module
 */
import { ECOMMERCE_TABLES, type TableDef } from "../../../catalog/mod.ts";
import type { Row } from "../../../value/mod.ts";
import { type Clock, systemClock } from "../../clock.ts";
import { Naming, type TableNaming } from "../../naming.ts";
import { type QuarantineRecord, quarantineRecord } from "../../quarantine.ts";
import { parseSqlServerPosition, sqlServerPosition } from "../../source_position.ts";
import type { SourceRecord } from "../../source_record.ts";
import { Backoff, sleep } from "../backoff.ts";
import type { ChangeSource, NextOptions, SourceBatch, SourceCheckpoint } from "../change_source.ts";
import type { CaptureInstance, SqlServerCdcClient } from "./cdc_client.ts";
import { cdcEvents, type InstanceRows, readRow } from "./cdc_rows.ts";
import { type ColumnReader, columnReaders, ColumnTypeError } from "./column_readers.ts";
import { compareLsn } from "./lsn.ts";

/** Checkpoint stream of the SQL Server source. */
export const SQLSERVER_STREAM = "sqlserver";
/**
 * Prefix of the checkpoint while the initial snapshot is being delivered:
 * `snapshot:<max LSN>:<capture instance index>:<rows so far>:<last key as JSON>`. A restart resumes the snapshot
 * after that key (tables with a one-column key; others are read again from their first row).
 */
export const SQLSERVER_SNAPSHOT = "snapshot:";

interface SnapshotResume {
  maxLsn: string;
  instance: number;
  rows: number;
  lastKey: unknown;
}

function parseSnapshotCheckpoint(text: string): SnapshotResume {
  const m = /^snapshot:([0-9a-f:]{22}):(\d+):(\d+):(.*)$/.exec(text);
  if (!m) throw new SyntaxError(`Cannot resume SQL Server snapshot from "${text}"`);
  return { maxLsn: m[1], instance: Number(m[2]), rows: Number(m[3]), lastKey: JSON.parse(m[4]) };
}

const LAST_IN_LSN = { changeLsn: "ffffffff:ffffffff:ffff", eventSerialNo: 9_999_999_999 };

/** The changes the source needs were removed by SQL Server's cleanup job: take a new snapshot. */
export class RetentionGapError extends Error {
  override name = "RetentionGapError";
}

/** Options of {@linkcode SqlServerSource}. */
export interface SqlServerSourceOptions {
  /** Opens a client (called again after a lost connection). */
  connect: () => Promise<SqlServerCdcClient>;
  from?: SourceCheckpoint | null;
  /** @default ECOMMERCE_TABLES */
  tables?: readonly TableDef[];
  /** How often to poll `fn_cdc_get_max_lsn()` while waiting (Debezium's poll.interval.ms). @default 500 */
  pollIntervalMs?: number;
  clock?: Clock;
  backoff?: Backoff;
  /** @default 20 */
  maxAttempts?: number;
  /**
   * Transactions read per window at most (Debezium's `max.iteration.transactions`): bounds memory when the
   * source is far behind.
   * @default 500
   */
  maxTransactionsPerWindow?: number;
}

type Item = ({ record: SourceRecord } | { quarantine: QuarantineRecord }) & {
  position: string;
  /** The checkpoint after this item while it belongs to the snapshot. */
  snapshotCheckpoint?: string;
};

/** Reads SQL Server CDC change tables by LSN windows. */
export class SqlServerSource implements ChangeSource {
  readonly #connect: () => Promise<SqlServerCdcClient>;
  readonly #tables: readonly TableDef[];
  readonly #naming: Naming;
  readonly #poll: number;
  readonly #clock: Clock;
  readonly #backoff: Backoff;
  readonly #maxAttempts: number;
  readonly #maxTransactions: number;
  #client: SqlServerCdcClient | null = null;
  /** Readers per capture instance (name and change table), learnt from SQL Server when first seen. */
  readonly #readers = new Map<string, ReadonlyMap<string, ColumnReader>>();
  /** Position of the last item handed out (or the snapshot's end); null before the snapshot. */
  #last: string | null = null;
  /** Items read but not yet handed out (a window can hold more than a batch). */
  #pending: Item[] = [];
  #snapshotEnd: string | null = null;
  #resume: SnapshotResume | null = null;
  #closed = false;

  constructor(options: SqlServerSourceOptions) {
    this.#connect = options.connect;
    this.#tables = options.tables ?? ECOMMERCE_TABLES;
    this.#naming = new Naming(this.#tables);
    this.#poll = options.pollIntervalMs ?? 500;
    this.#clock = options.clock ?? systemClock;
    this.#backoff = options.backoff ?? new Backoff();
    this.#maxAttempts = options.maxAttempts ?? 20;
    this.#maxTransactions = options.maxTransactionsPerWindow ?? 500;
    const from = options.from?.[SQLSERVER_STREAM];
    if (from?.startsWith(SQLSERVER_SNAPSHOT)) {
      this.#resume = parseSnapshotCheckpoint(from);
    } else if (from !== undefined) {
      parseSqlServerPosition(from); // reject a malformed checkpoint now, not at the first poll
      this.#last = from;
    }
  }

  /**
   * How a capture instance maps to the lake and how its columns are read: the column types come from SQL
   * Server once per instance (they never change), the catalog's types override them for catalog tables.
   */
  async #instance(
    client: SqlServerCdcClient,
    ci: CaptureInstance,
  ): Promise<{ naming: TableNaming; key: string[]; readers: ReadonlyMap<string, ColumnReader> }> {
    const naming = this.#naming.table(ci.sourceTable);
    const key = naming.def?.key ?? (ci.keyColumns ?? []).map((c) => naming.column(c));
    const id = `${ci.name}:${ci.objectId ?? ""}`;
    let readers = this.#readers.get(id);
    if (!readers) {
      readers = columnReaders(
        `${ci.sourceSchema}.${ci.sourceTable}`,
        await client.capturedColumns(ci),
        (c) => naming.columnDef(c),
      );
      this.#readers.set(id, readers);
    }
    return { naming, key, readers };
  }

  async next(options: NextOptions = {}): Promise<SourceBatch> {
    const max = options.maxRecords ?? 10_000;
    const deadline = performance.now() + (options.maxWaitMs ?? 1000);
    for (;;) {
      if (this.#closed) throw new Error("Cannot read SQL Server source: it is closed");
      options.signal?.throwIfAborted();
      if (this.#pending.length > 0) return this.#take(max);
      try {
        this.#client ??= await this.#connect();
        if (this.#last === null) await this.#snapshot(this.#client);
        else await this.#window(this.#client, this.#last);
        this.#backoff.reset();
      } catch (e) {
        // Neither is cured by reconnecting: lost changes, or a column that cannot be read exactly.
        if (e instanceof RetentionGapError || e instanceof ColumnTypeError) throw e;
        await this.#disconnect();
        if (this.#backoff.attempts + 1 >= this.#maxAttempts) {
          throw new Error(
            `Cannot read SQL Server CDC after ${this.#maxAttempts} attempts: ${(e as Error).message}`,
            {
              cause: e,
            },
          );
        }
        await sleep(this.#backoff.next(), options.signal);
        continue;
      }
      if (this.#pending.length > 0) return this.#take(max);
      if (performance.now() >= deadline) return { records: [], quarantined: [], checkpoint: {} };
      await sleep(Math.min(this.#poll, Math.max(0, deadline - performance.now())), options.signal);
    }
  }

  #take(max: number): SourceBatch {
    const items = this.#pending.splice(0, max);
    const batch: SourceBatch = { records: [], quarantined: [], checkpoint: {} };
    for (const item of items) {
      if ("record" in item) batch.records.push(item.record);
      else batch.quarantined.push(item.quarantine);
    }
    if (this.#snapshotEnd !== null) {
      if (this.#pending.length > 0) {
        batch.checkpoint = { [SQLSERVER_STREAM]: items[items.length - 1].snapshotCheckpoint! };
        return batch;
      }
      this.#last = this.#snapshotEnd;
      this.#snapshotEnd = null;
    } else {
      this.#last = items[items.length - 1].position;
    }
    batch.checkpoint = { [SQLSERVER_STREAM]: this.#last };
    return batch;
  }

  /**
   * Initial snapshot: every captured table's rows as reads at the max LSN (serial numbers order them); streaming
   * continues after that LSN, so changes made while the tables are read are replayed after their rows.
   */
  async #snapshot(client: SqlServerCdcClient): Promise<void> {
    const resume = this.#resume;
    const maxLsn = resume?.maxLsn ?? (await client.maxLsn()) ?? "00000000:00000000:0000";
    const ts = this.#clock();
    const items: Item[] = [];
    let serial = resume?.rows ?? 0;
    const instances = await client.captureInstances();
    for (let n = resume?.instance ?? 0; n < instances.length; n++) {
      const ci = instances[n];
      const { naming, key, readers } = await this.#instance(client, ci);
      // The key's name as SQL Server spells it (the rows are keyed by it), whatever the catalog's spelling.
      const keySource = key.length === 1
        ? [...readers.keys()].find((c) => naming.column(c) === key[0])
        : undefined;
      // Read in key order, so an interrupted snapshot can resume after the last key it delivered.
      const after = keySource === undefined
        ? undefined
        : { column: keySource, value: resume && n === resume.instance ? resume.lastKey : null };
      for (const raw of await client.tableRows(ci, readers, after)) {
        const position = sqlServerPosition({ commitLsn: maxLsn, changeLsn: null, eventSerialNo: ++serial });
        const snapshotCheckpoint = `${SQLSERVER_SNAPSHOT}${maxLsn}:${n}:${serial}:${
          JSON.stringify(keySource === undefined ? null : raw[keySource] ?? null)
        }`;
        try {
          const row = readRow(raw, readers, naming);
          const keyRow: Row = {};
          for (const k of key) {
            if (row[k] === undefined || row[k] === null) {
              throw new TypeError(`Cannot snapshot "${naming.name}": missing key column "${k}"`);
            }
            keyRow[k] = row[k];
          }
          const event = {
            table: naming.name,
            op: "r" as const,
            key: keyRow,
            before: null,
            after: row,
            position,
            commitTs: ts,
            txId: null,
            snapshot: true,
          };
          items.push({ record: { kind: "change", event }, position, snapshotCheckpoint });
        } catch (e) {
          const value = JSON.stringify(raw, (_k, v) => typeof v === "bigint" ? String(v) : v);
          items.push({
            quarantine: quarantineRecord(
              { topic: `sqlserver:${ci.name}`, offset: position },
              { key: null, value },
              e,
              ts,
            ),
            position,
            snapshotCheckpoint,
          });
        }
      }
    }
    this.#resume = null;
    this.#pending = items;
    this.#snapshotEnd = sqlServerPosition({ commitLsn: maxLsn, ...LAST_IN_LSN });
    if (items.length === 0) {
      this.#last = this.#snapshotEnd;
      this.#snapshotEnd = null;
    }
  }

  /** One LSN window: from the last commit LSN (inclusive: we may have stopped inside it) to the max LSN. */
  async #window(client: SqlServerCdcClient, last: string): Promise<void> {
    let maxLsn = await client.maxLsn();
    const lastCommit = parseSqlServerPosition(last).commitLsn;
    if (maxLsn === null || compareLsn(maxLsn, lastCommit) < 0) return;
    // The window also holds the last commit LSN's own transaction, which may be partly read already.
    const bound = await client.nthTransactionLsn(lastCommit, this.#maxTransactions);
    if (bound !== null && compareLsn(bound, maxLsn) < 0) maxLsn = bound;
    const instances: InstanceRows[] = [];
    for (const ci of await client.captureInstances()) {
      const minLsn = await client.minLsn(ci.name);
      if (compareLsn(lastCommit, minLsn) < 0) {
        throw new RetentionGapError(
          `Cannot resume SQL Server CDC of "${ci.name}" at ${lastCommit}: changes before ${minLsn} were cleaned up`,
        );
      }
      const { naming, key, readers } = await this.#instance(client, ci);
      const rows = await client.changes(ci, readers, lastCommit, maxLsn);
      instances.push({ instance: ci, naming, key, readers, rows });
    }
    const now = this.#clock();
    for (const out of cdcEvents(instances)) {
      if ("event" in out) {
        if (out.event.position > last) {
          this.#pending.push({ record: { kind: "change", event: out.event }, position: out.event.position });
        }
      } else {
        const position = sqlServerPosition({
          commitLsn: out.row.startLsn,
          changeLsn: out.row.seqval,
          eventSerialNo: out.row.operation,
        });
        if (position > last) {
          const value = JSON.stringify(out.row, (_k, v) => typeof v === "bigint" ? String(v) : v);
          this.#pending.push({
            quarantine: quarantineRecord(
              { topic: `sqlserver:${out.instance.name}`, offset: position },
              { key: null, value },
              out.error,
              now,
            ),
            position,
          });
        }
      }
    }
  }

  async #disconnect(): Promise<void> {
    const c = this.#client;
    this.#client = null;
    try {
      await c?.close();
    } catch {
      // The connection is already broken; a new one replaces it.
    }
  }

  commit(_checkpoint: SourceCheckpoint): Promise<void> {
    // CDC keeps changes until its cleanup job runs; nothing to acknowledge.
    return Promise.resolve();
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#disconnect();
  }
}
