/**
 * Write-ahead entries: before a batch is applied, its exact source range is fixed in
 * `_checkpoints/<job>/offsets/<batch>.json`, so a restart re-reads exactly the same records for it. Pure
 * encoding, parsing and the record digest that checks a re-read.
 *
 * @module
 */
import type { SourceCheckpoint } from "../cdc/source/change_source.ts";
import type { QuarantineRecord } from "../cdc/quarantine.ts";
import type { SourceRecord } from "../cdc/source_record.ts";
import type { Row } from "../value/mod.ts";

const FORMAT = "lakestream-wal/1";

/** The write-ahead entry of one batch. */
export interface WalEntry {
  job: string;
  /** Batch id: 1, 2, … per job. */
  batch: number;
  /** Source checkpoint before the batch (empty: the source's initial position). */
  start: SourceCheckpoint;
  /** Source checkpoint after the batch. */
  end: SourceCheckpoint;
  /** Records plus quarantined messages in the batch. */
  records: number;
  /** {@linkcode recordDigest} of the batch, 8 hex digits. */
  digest: string;
  /** The instance that claimed the batch. */
  instance: string;
  /** When it was claimed, ms since the epoch. */
  createdAt: number;
  /**
   * Key (in the checkpoint folder) of the batch's records kept in the WAL, for a range the source cannot read
   * again (see wal_records.ts); absent when the source re-reads the range.
   */
  stored?: string;
}

/** Fixed-width batch id, so names sort in batch order. */
export function batchName(batch: number): string {
  if (!Number.isSafeInteger(batch) || batch < 0) {
    throw new RangeError(`Cannot name batch ${batch}: not a batch id`);
  }
  return String(batch).padStart(20, "0");
}

/** The batch id at the start of an object name (20 digits), or null. */
export function batchOfName(name: string): number | null {
  return /^\d{20}(?!\d)/.test(name) ? Number(name.slice(0, 20)) : null;
}

/** The batch id of a name made by {@linkcode batchName} followed by `suffix`, or null. */
export function parseBatchName(name: string, suffix: string): number | null {
  if (!name.endsWith(suffix)) return null;
  const digits = name.slice(0, name.length - suffix.length);
  return /^\d{20}$/.test(digits) ? Number(digits) : null;
}

export function encodeWalEntry(entry: WalEntry): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ format: FORMAT, ...entry }) + "\n");
}

function isCheckpoint(v: unknown): v is SourceCheckpoint {
  return typeof v === "object" && v !== null && !Array.isArray(v) &&
    Object.values(v).every((x) => typeof x === "string");
}

/** Parses a WAL entry; a SyntaxError naming `where` when it is not one. */
export function parseWalEntry(bytes: Uint8Array, where: string): WalEntry {
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new SyntaxError(`Cannot read WAL entry "${where}": ${(e as Error).message}`, { cause: e });
  }
  const ok = typeof v === "object" && v !== null && v.format === FORMAT && typeof v.job === "string" &&
    Number.isSafeInteger(v.batch) && isCheckpoint(v.start) && isCheckpoint(v.end) &&
    Number.isSafeInteger(v.records) && typeof v.digest === "string" && typeof v.instance === "string" &&
    typeof v.createdAt === "number" && (v.stored === undefined || typeof v.stored === "string");
  if (!ok) throw new SyntaxError(`Cannot read WAL entry "${where}": not a ${FORMAT} entry`);
  return {
    job: v.job as string,
    batch: v.batch as number,
    start: v.start as SourceCheckpoint,
    end: v.end as SourceCheckpoint,
    records: v.records as number,
    digest: v.digest as string,
    instance: v.instance as string,
    createdAt: v.createdAt as number,
    ...(v.stored === undefined ? {} : { stored: v.stored as string }),
  };
}

/** Whether two checkpoints hold the same streams at the same values. */
export function sameCheckpoint(a: SourceCheckpoint, b: SourceCheckpoint): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

function fnv1a(text: string, h = 0x811c9dc5): number {
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function keyText(key: Row | null): string {
  if (key === null) return "";
  let out = "";
  for (const k in key) out += `${k}=${String(key[k])};`;
  return out;
}

/**
 * What identifies a record across reads: its table, kind or operation and key. Not its position or commit
 * time: some sources derive those from their own read history (a PostgreSQL snapshot's shared LSN is numbered
 * in arrival order by the decoder; a resumed SQLite snapshot reads in a new transaction at a new time).
 */
function recordIdentity(r: SourceRecord): string {
  switch (r.kind) {
    case "change":
      return `c\u0000${r.event.table}\u0000${r.event.op}\u0000${keyText(r.event.key)}`;
    case "truncate":
      return `t\u0000${r.table}`;
    case "transaction":
      return `x\u0000${r.status}\u0000${r.id}`;
    case "tombstone":
      return `d\u0000${r.table}\u0000${keyText(r.key)}`;
    default:
      return r.kind;
  }
}

/**
 * An order-independent digest of a batch's records (sum of per-record hashes of table, operation and key),
 * so a re-read that returns other records for the same range is detected even when partitions interleave
 * differently.
 */
export class RecordDigest {
  #sum = 0;
  #count = 0;

  add(records: readonly SourceRecord[], quarantined: readonly QuarantineRecord[]): void {
    for (const r of records) this.#sum = (this.#sum + fnv1a(recordIdentity(r))) >>> 0;
    for (const q of quarantined) {
      this.#sum = (this.#sum + fnv1a(`q\u0000${q.topic}\u0000${q.partition}\u0000${q.offset}`)) >>> 0;
    }
    this.#count += records.length + quarantined.length;
  }

  get count(): number {
    return this.#count;
  }

  get value(): string {
    return this.#sum.toString(16).padStart(8, "0");
  }
}
