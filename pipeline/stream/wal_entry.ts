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

// 2: the digest hashes table, operation and key (1 hashed positions).
const FORMAT = "lakestream-wal/2";

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

const FNV_OFFSET = 0x811c9dc5;

function fnv1a(text: string, h: number): number {
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  // A separator, so ("ab", "c") and ("a", "bc") differ.
  return Math.imul(h ^ 0xff, 0x01000193);
}

function hashValue(v: unknown, h: number): number {
  // Small integers (the usual keys) are mixed in without making a string.
  if (typeof v === "number" && Number.isInteger(v) && Math.abs(v) < 2 ** 31) {
    return Math.imul((h ^ v) >>> 0, 0x01000193);
  }
  return fnv1a(String(v), h);
}

function hashKey(key: Row | null, h: number): number {
  if (key === null) return h;
  for (const k in key) h = hashValue(key[k], fnv1a(k, h));
  return h;
}

/**
 * The hash of what identifies a record across reads: its table, kind or operation and key. Not its position
 * or commit time: some sources derive those from their own read history (a PostgreSQL snapshot's shared LSN
 * is numbered in arrival order by the decoder; a resumed SQLite snapshot reads in a new transaction at a new
 * time).
 */
function recordHash(r: SourceRecord): number {
  switch (r.kind) {
    case "change":
      return hashKey(r.event.key, fnv1a(r.event.op, fnv1a(r.event.table, fnv1a("c", FNV_OFFSET))));
    case "truncate":
      return fnv1a(r.table, fnv1a("t", FNV_OFFSET));
    case "transaction":
      return fnv1a(r.id, fnv1a(r.status, fnv1a("x", FNV_OFFSET)));
    case "tombstone":
      return hashKey(r.key, fnv1a(r.table, fnv1a("d", FNV_OFFSET)));
    default:
      return fnv1a(r.kind, FNV_OFFSET);
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
    for (const r of records) this.#sum = (this.#sum + (recordHash(r) >>> 0)) >>> 0;
    for (const q of quarantined) {
      const h = fnv1a(q.offset, hashValue(q.partition, fnv1a(q.topic, fnv1a("q", FNV_OFFSET))));
      this.#sum = (this.#sum + (h >>> 0)) >>> 0;
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
