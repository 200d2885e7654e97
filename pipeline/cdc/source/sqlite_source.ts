/**
 * The embedded default source: follows the trigger-filled `_changes` table of a SQLite database (format in
 * sql/sqlite/schema.sql) in `seq` order, at least once. Started without a checkpoint it first emits a consistent
 * snapshot (`op: "r"`) of the captured tables, then follows `_changes` after the largest `seq` seen in the same
 * read transaction. Checkpoints: `{"sqlite": <position of the last seq read>}`, or `{"sqlite": "snapshot:…"}`
 * during the snapshot.
 *
 * @module
 */
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { ECOMMERCE_TABLES, type TableDef } from "../../catalog/mod.ts";
import { type Row, Timestamp } from "../../value/mod.ts";
import type { ChangeEvent } from "../change_event.ts";
import { type Clock, systemClock } from "../clock.ts";
import { deltaValue, schemalessRow } from "../delta_value.ts";
import { NeedsLosslessParse, NumberText, parseLossless } from "../lossless_json.ts";
import { Naming, type TableNaming } from "../naming.ts";
import { type QuarantineRecord, quarantineRecord } from "../quarantine.ts";
import { parseSqlitePosition, sqlitePosition } from "../source_position.ts";
import type { ChangeRecord } from "../source_record.ts";
import { Backoff, sleep } from "./backoff.ts";
import {
  type ChangeSource,
  type NextOptions,
  type SourceBatch,
  type SourceCheckpoint,
} from "./change_source.ts";

/** Checkpoint stream of the SQLite source. */
export const SQLITE_STREAM = "sqlite";
/**
 * Prefix of the checkpoint while the initial snapshot is incomplete: `snapshot:<max seq>:<table index>:<rowid>:<sub>`.
 * A restart resumes the snapshot after that row in a new read transaction; rows read then may be newer than
 * `max seq`, and replaying the changes after `max seq` (in order) brings every key to its final state.
 */
export const SNAPSHOT_PREFIX = "snapshot:";
/** Where quarantined SQLite changes say they came from. */
export const SQLITE_TOPIC = "sqlite:_changes";

/** One row of `_changes`. */
export interface SqliteChangeRow {
  seq: bigint | number;
  table_name: string;
  op: string;
  before: string | null;
  after: string | null;
  committed_at: string;
}

/** Options of {@linkcode SqliteSource}. */
export interface SqliteSourceOptions {
  /** Path of the database file. */
  path: string;
  /** Where to resume; null or without the `sqlite` stream: snapshot first. */
  from?: SourceCheckpoint | null;
  /** @default ECOMMERCE_TABLES */
  tables?: readonly TableDef[];
  /** How often to look for new changes while waiting. @default 50 */
  pollIntervalMs?: number;
  clock?: Clock;
  /** Reconnect delays. */
  backoff?: Backoff;
  /**
   * Failed attempts in a row after which `next()` gives up and throws the last error.
   * @default 20
   */
  maxAttempts?: number;
}

function parseImage(text: string, naming: TableNaming, path: string): Row {
  try {
    return schemalessRow(JSON.parse(text), naming, path, "text");
  } catch (e) {
    if (!(e instanceof NeedsLosslessParse)) throw e;
    return schemalessRow(parseLossless(text), naming, path, "text");
  }
}

function keyOf(naming: TableNaming, row: Row): Row {
  const cols = naming.def?.key;
  if (!cols) {
    throw new TypeError(
      `Cannot decode change of "${naming.name}": the table is not in the catalog, so it has no key`,
    );
  }
  const key: Row = {};
  for (const c of cols) {
    const v = row[c];
    if (v === undefined || v === null) {
      throw new TypeError(`Cannot decode change of "${naming.name}": missing key column "${c}"`);
    }
    key[c] = v;
  }
  return key;
}

/**
 * The change event of one `_changes` row (pure): images converted by the catalog's Delta types, the position from
 * `seq`, the commit time from `committed_at`. Throws TypeError/SyntaxError/RangeError on bad rows.
 */
export function sqliteChangeEvent(row: SqliteChangeRow, naming: Naming): ChangeEvent {
  const table = naming.table(row.table_name);
  if (row.op !== "c" && row.op !== "u" && row.op !== "d") {
    throw new TypeError(`Cannot decode change ${row.seq}: unknown operation ${JSON.stringify(row.op)}`);
  }
  const before = row.before === null ? null : parseImage(row.before, table, "before");
  const after = row.after === null ? null : parseImage(row.after, table, "after");
  if (row.op !== "d" && after === null) {
    throw new TypeError(`Cannot decode change ${row.seq}: "${row.op}" without after`);
  }
  if (row.op !== "c" && before === null) {
    throw new TypeError(`Cannot decode change ${row.seq}: "${row.op}" without before`);
  }
  let commitTs: Timestamp;
  try {
    commitTs = Timestamp.parse(row.committed_at).with({ digits: 3 });
  } catch (e) {
    throw new SyntaxError(
      `Cannot decode change ${row.seq}: committed_at ${JSON.stringify(row.committed_at)} is not a time`,
      {
        cause: e,
      },
    );
  }
  return {
    table: table.name,
    op: row.op,
    key: keyOf(table, (after ?? before)!),
    before,
    after,
    position: sqlitePosition(row.seq),
    commitTs,
    txId: null,
    snapshot: false,
  };
}

/** A table row read by the snapshot, converted by the catalog (pure). SQLite integers arrive as bigints. */
export function sqliteSnapshotRow(raw: Record<string, unknown>, naming: TableNaming): Row {
  const row: Row = {};
  for (const k in raw) {
    const col = naming.columnDef(k);
    let v = raw[k];
    // A REAL or INTEGER in a money column is the stored value itself: its shortest text is exact.
    if (col && col.type.startsWith("decimal") && (typeof v === "number" || typeof v === "bigint")) {
      v = new NumberText(String(v));
    }
    if (v instanceof Uint8Array && col?.type !== "binary") v = new TextDecoder().decode(v);
    row[naming.column(k)] = col ? deltaValue(v, col.type, `${naming.name}.${k}`, "text") : (v as Row[string]);
  }
  return row;
}

interface SnapshotState {
  maxSeq: bigint;
  tables: TableDef[];
  table: number;
  /** Rowid of the last row emitted from the current table. */
  rowid: bigint;
  rows: Iterator<unknown> | null;
  sub: number;
  ts: Timestamp;
}

type SnapshotResume = Pick<SnapshotState, "maxSeq" | "table" | "rowid" | "sub">;

const ROWID = "__lakestream_rowid";

function parseSnapshotCheckpoint(text: string): SnapshotResume {
  const m = /^snapshot:(\d+):(\d+):(-?\d+):(\d+)$/.exec(text);
  if (!m) throw new SyntaxError(`Cannot resume SQLite snapshot from "${text}"`);
  return { maxSeq: BigInt(m[1]), table: Number(m[2]), rowid: BigInt(m[3]), sub: Number(m[4]) };
}

function snapshotCheckpoint(s: SnapshotResume): string {
  return `${SNAPSHOT_PREFIX}${s.maxSeq}:${s.table}:${s.rowid}:${s.sub}`;
}

/** Follows a SQLite database's `_changes` table. */
export class SqliteSource implements ChangeSource {
  readonly #path: string;
  readonly #tables: readonly TableDef[];
  readonly #naming: Naming;
  readonly #poll: number;
  readonly #clock: Clock;
  readonly #backoff: Backoff;
  readonly #maxAttempts: number;
  #db: DatabaseSync | null = null;
  #changes: StatementSync | null = null;
  /** Last seq read; null until the snapshot is done. */
  #seq: bigint | null = null;
  #snapshot: SnapshotState | null = null;
  /** Where an interrupted snapshot resumes (from the checkpoint, or after a reconnect). */
  #resume: SnapshotResume | null = null;
  #closed = false;

  constructor(options: SqliteSourceOptions) {
    this.#path = options.path;
    this.#tables = options.tables ?? ECOMMERCE_TABLES;
    this.#naming = new Naming(this.#tables);
    this.#poll = options.pollIntervalMs ?? 50;
    this.#clock = options.clock ?? systemClock;
    this.#backoff = options.backoff ?? new Backoff();
    this.#maxAttempts = options.maxAttempts ?? 20;
    const from = options.from?.[SQLITE_STREAM];
    if (from?.startsWith(SNAPSHOT_PREFIX)) this.#resume = parseSnapshotCheckpoint(from);
    else if (from !== undefined) this.#seq = parseSqlitePosition(from).seq;
  }

  #open(): DatabaseSync {
    if (this.#db === null) {
      const db = new DatabaseSync(this.#path, { readOnly: true });
      try {
        db.exec("PRAGMA busy_timeout = 5000");
        this.#changes = db.prepare(
          "SELECT seq, table_name, op, before, after, committed_at FROM _changes WHERE seq > ? ORDER BY seq LIMIT ?",
        );
        this.#changes.setReadBigInts(true);
      } catch (e) {
        db.close();
        throw new Error(`Cannot read changes from SQLite database "${this.#path}": ${(e as Error).message}`, {
          cause: e,
        });
      }
      this.#db = db;
    }
    return this.#db;
  }

  #disconnect(): void {
    // A snapshot lives in one read transaction: on the new connection it resumes after the last row emitted.
    if (this.#snapshot !== null) this.#resume = this.#snapshot;
    this.#snapshot = null;
    this.#changes = null;
    try {
      this.#db?.close();
    } catch {
      // Already broken: the connection is being replaced anyway.
    }
    this.#db = null;
  }

  async next(options: NextOptions = {}): Promise<SourceBatch> {
    const max = options.maxRecords ?? 10_000;
    const deadline = performance.now() + (options.maxWaitMs ?? 1000);
    for (;;) {
      if (this.#closed) throw new Error(`Cannot read SQLite source "${this.#path}": it is closed`);
      options.signal?.throwIfAborted();
      let batch: SourceBatch;
      try {
        batch = this.#seq === null ? this.#snapshotBatch(max) : this.#changesBatch(max);
        this.#backoff.reset();
      } catch (e) {
        this.#disconnect();
        if (this.#backoff.attempts + 1 >= this.#maxAttempts) {
          throw new Error(
            `Cannot read SQLite source "${this.#path}" after ${this.#maxAttempts} attempts: ${
              (e as Error).message
            }`,
            { cause: e },
          );
        }
        await sleep(this.#backoff.next(), options.signal);
        continue;
      }
      if (batch.records.length > 0 || batch.quarantined.length > 0 || performance.now() >= deadline) {
        return batch;
      }
      await sleep(Math.min(this.#poll, Math.max(0, deadline - performance.now())), options.signal);
    }
  }

  #snapshotBatch(max: number): SourceBatch {
    const db = this.#open();
    if (this.#snapshot === null) {
      db.exec("BEGIN"); // one read transaction: max(seq) and every table row agree
      const maxSeq = this.#resume?.maxSeq ??
        BigInt((db.prepare("SELECT coalesce(max(seq), 0) AS m FROM _changes").get() as { m: number }).m);
      const present = new Set(
        (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((
          r,
        ) => r.name),
      );
      this.#snapshot = {
        maxSeq,
        tables: this.#tables.filter((t) => present.has(t.source)),
        table: this.#resume?.table ?? 0,
        rowid: this.#resume?.rowid ?? -(2n ** 63n),
        rows: null,
        sub: this.#resume?.sub ?? 0,
        ts: this.#clock(),
      };
      this.#resume = null;
    }
    const s = this.#snapshot;
    const records: ChangeRecord[] = [];
    const quarantined: QuarantineRecord[] = [];
    while (records.length + quarantined.length < max && s.table < s.tables.length) {
      const def = s.tables[s.table];
      if (s.rows === null) {
        const st = db.prepare(
          `SELECT _rowid_ AS ${ROWID}, * FROM "${
            def.source.replaceAll('"', '""')
          }" WHERE _rowid_ > ? ORDER BY _rowid_`,
        );
        st.setReadBigInts(true);
        s.rows = st.iterate(s.rowid);
      }
      const next = s.rows.next();
      if (next.done) {
        s.table++;
        s.rowid = -(2n ** 63n);
        s.rows = null;
        continue;
      }
      const { [ROWID]: rowid, ...raw } = next.value as Record<string, unknown>;
      s.rowid = rowid as bigint;
      const naming = this.#naming.table(def.source);
      s.sub++;
      const position = sqlitePosition(s.maxSeq, s.sub);
      try {
        const after = sqliteSnapshotRow(raw, naming);
        records.push({
          kind: "change",
          event: {
            table: naming.name,
            op: "r",
            key: keyOf(naming, after),
            before: null,
            after,
            position,
            commitTs: s.ts,
            txId: null,
            snapshot: true,
          },
        });
      } catch (e) {
        const value = JSON.stringify(raw, (_k, v) => typeof v === "bigint" ? String(v) : v);
        quarantined.push(
          quarantineRecord(
            { topic: `sqlite:${def.source}`, offset: position },
            { key: null, value },
            e,
            this.#clock(),
          ),
        );
      }
    }
    let checkpoint: SourceCheckpoint = { [SQLITE_STREAM]: snapshotCheckpoint(s) };
    if (s.table >= s.tables.length) {
      db.exec("COMMIT");
      this.#snapshot = null;
      this.#seq = s.maxSeq;
      checkpoint = { [SQLITE_STREAM]: sqlitePosition(s.maxSeq) };
    }
    return { records, quarantined, checkpoint };
  }

  #changesBatch(max: number): SourceBatch {
    this.#open();
    const rows = this.#changes!.all(this.#seq!, max) as unknown as SqliteChangeRow[];
    const batch: SourceBatch = { records: [], quarantined: [], checkpoint: {} };
    for (const row of rows) {
      try {
        batch.records.push({ kind: "change", event: sqliteChangeEvent(row, this.#naming) });
      } catch (e) {
        const value = JSON.stringify({ ...row, seq: String(row.seq) });
        batch.quarantined.push(
          quarantineRecord(
            { topic: SQLITE_TOPIC, offset: String(row.seq) },
            { key: null, value },
            e,
            this.#clock(),
          ),
        );
      }
      this.#seq = BigInt(row.seq);
    }
    if (rows.length > 0) batch.checkpoint = { [SQLITE_STREAM]: sqlitePosition(this.#seq!) };
    return batch;
  }

  commit(_checkpoint: SourceCheckpoint): Promise<void> {
    // SQLite has nothing upstream to acknowledge: the caller's checkpoint is the only record of progress.
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.#closed = true;
    if (this.#snapshot !== null) {
      try {
        this.#db?.exec("ROLLBACK");
      } catch {
        // The read transaction ends with the connection anyway.
      }
    }
    this.#disconnect();
    return Promise.resolve();
  }
}
