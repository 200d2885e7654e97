/**
 * The job's checkpoint folder `<lake>/_checkpoints/<job>/`: the write-ahead log of batch ranges, commit
 * markers and operator state snapshots.
 *
 * Layout (batch ids as 20 digits, so listings are in batch order):
 * - `offsets/<b>.json`: the WAL entry of batch b, written with put-if-absent before b is applied. It fixes
 *   b's source range forever and is the fencing point: of two instances only one can claim b.
 * - `state/<b>.bin`: operator state after batch b plus the source checkpoint after it (one object, written
 *   once every lake table holds b), and `state/_latest` pointing at the newest one.
 * - `commits/<b>.json`: commit markers written by earlier versions (recovery never needed them: a replayed
 *   batch is skipped by every table that holds it); {@linkcode CheckpointLog.prune} still removes them.
 *
 * @module
 */
import type { SourceCheckpoint } from "../cdc/source/change_source.ts";
import { AlreadyExistsError, NotFoundError, type ObjectStore } from "../delta/storage/object_store.ts";
import { FencedError } from "./fenced_error.ts";
import {
  batchName,
  batchOfName,
  encodeWalEntry,
  parseBatchName,
  parseWalEntry,
  sameCheckpoint,
  type WalEntry,
} from "./wal_entry.ts";

const STATE_FORMAT = "lakestream-state/1";
const LATEST = "state/_latest";

/** An operator state snapshot with the position it belongs to. */
export interface SavedState {
  /** The last batch applied to the state (0: before any batch). */
  batch: number;
  /** Source checkpoint after that batch. */
  checkpoint: SourceCheckpoint;
  /** The operators' state bytes. */
  state: Uint8Array;
  /** Operators the state leaves out: they are rebuilt from their own tables on restore. */
  rebuild: string[];
  instance: string;
  createdAt: number;
}

/** Reads and writes one job's checkpoint folder. */
export class CheckpointLog {
  readonly store: ObjectStore;
  readonly job: string;

  constructor(store: ObjectStore, job: string) {
    this.store = store;
    this.job = job;
  }

  /**
   * Claims `entry.batch` by writing its WAL entry with put-if-absent. Throws {@linkcode FencedError} when
   * another instance claimed it (or this instance claimed it with another range, which means it lost track).
   * Claiming again with the same entry succeeds, so a write whose outcome was unknown can be retried.
   */
  async claim(entry: WalEntry): Promise<void> {
    const key = `offsets/${batchName(entry.batch)}.json`;
    try {
      await this.store.putIfAbsent(key, encodeWalEntry(entry));
      return;
    } catch (e) {
      if (!(e instanceof AlreadyExistsError)) throw e;
    }
    const held = parseWalEntry(await this.store.get(key), `${this.store.url}/${key}`);
    const same = held.instance === entry.instance && held.records === entry.records &&
      held.stored === entry.stored &&
      held.digest === entry.digest && sameCheckpoint(held.start, entry.start) &&
      sameCheckpoint(held.end, entry.end);
    if (!same) throw new FencedError(this.job, entry.batch, held.instance, entry.instance);
  }

  /**
   * The WAL entries after `batch`, in order. Throws an Error naming the job when they are not contiguous
   * (`batch + 1`, `batch + 2`, …) or belong to another job.
   */
  async entriesAfter(batch: number): Promise<WalEntry[]> {
    const entries: WalEntry[] = [];
    for await (
      const meta of this.store.list("offsets/", { startAfter: `offsets/${batchName(batch)}.json` })
    ) {
      const b = parseBatchName(meta.key.slice("offsets/".length), ".json");
      if (b === null || b <= batch) continue; // records kept in the WAL are read through their entry
      const entry = parseWalEntry(await this.store.get(meta.key), `${this.store.url}/${meta.key}`);
      const expected = batch + entries.length + 1;
      if (entry.batch !== b || b !== expected || entry.job !== this.job) {
        throw new Error(
          `Cannot recover job "${this.job}" from "${this.store.url}": expected WAL entry ${expected}, found ${meta.key} for batch ${entry.batch} of job "${entry.job}"`,
        );
      }
      entries.push(entry);
    }
    return entries;
  }

  /**
   * Keeps a batch's records in the WAL (before claiming it) and returns the key to put in its entry. The key
   * names the instance, so an instance that loses the claim never overwrites the winner's records.
   */
  async storeRecords(batch: number, instance: string, bytes: Uint8Array): Promise<string> {
    const key = `offsets/${batchName(batch)}.${instance.replace(/[^A-Za-z0-9_-]/g, "_")}.records`;
    await this.store.put(key, bytes);
    return key;
  }

  /** The bytes {@linkcode storeRecords} kept under `key`. */
  async readRecords(key: string): Promise<Uint8Array> {
    return await this.store.get(key);
  }

  /** Writes a state snapshot (one object), then points `state/_latest` at it. */
  async saveState(saved: SavedState): Promise<void> {
    const key = `state/${batchName(saved.batch)}.bin`;
    await this.store.put(key, encodeState(this.job, saved));
    const pointer = JSON.stringify({ batch: saved.batch, key }) + "\n";
    await this.store.put(LATEST, new TextEncoder().encode(pointer));
  }

  /**
   * The newest state snapshot `state/_latest` points at; when the pointer or its object is missing (a crash
   * between the two writes), the highest one listed. An older snapshot than the newest written is still
   * correct to recover from: the WAL entries after it are replayed. Null when there is none.
   */
  async latestState(): Promise<SavedState | null> {
    let key: string | null = null;
    try {
      const p = JSON.parse(new TextDecoder().decode(await this.store.get(LATEST)));
      if (typeof p?.key === "string" && await this.store.head(p.key)) key = p.key;
    } catch (e) {
      if (!(e instanceof NotFoundError) && !(e instanceof SyntaxError)) throw e;
    }
    if (key === null) {
      for await (const meta of this.store.list("state/")) {
        if (parseBatchName(meta.key.slice("state/".length), ".bin") !== null) key = meta.key;
      }
    }
    if (key === null) return null;
    return decodeState(await this.store.get(key), this.job, `${this.store.url}/${key}`);
  }

  /**
   * Deletes WAL entries, commit markers and state snapshots of batches below `batch`; returns how many
   * objects were deleted.
   */
  async prune(batch: number): Promise<number> {
    let n = 0;
    for (const folder of ["offsets/", "commits/", "state/"]) {
      const old: string[] = [];
      for await (const meta of this.store.list(folder)) {
        const b = batchOfName(meta.key.slice(folder.length));
        if (b === null) continue;
        if (b >= batch) break;
        old.push(meta.key);
      }
      for (const key of old) await this.store.delete(key);
      n += old.length;
    }
    return n;
  }
}

/** State object: 4-byte big-endian header length, the JSON header, then the operator state bytes. */
export function encodeState(job: string, saved: SavedState): Uint8Array {
  const header = new TextEncoder().encode(JSON.stringify({
    format: STATE_FORMAT,
    job,
    batch: saved.batch,
    checkpoint: saved.checkpoint,
    rebuild: saved.rebuild,
    instance: saved.instance,
    createdAt: saved.createdAt,
  }));
  const out = new Uint8Array(4 + header.length + saved.state.length);
  new DataView(out.buffer).setUint32(0, header.length);
  out.set(header, 4);
  out.set(saved.state, 4 + header.length);
  return out;
}

/** Reads a state object; a SyntaxError naming `where` when it is not one of `job`. */
export function decodeState(bytes: Uint8Array, job: string, where: string): SavedState {
  const fail = (why: string) => new SyntaxError(`Cannot read state snapshot "${where}": ${why}`);
  if (bytes.length < 4) throw fail("it is truncated");
  const n = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0);
  if (4 + n > bytes.length) throw fail("it is truncated");
  let h: Record<string, unknown>;
  try {
    h = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + n)));
  } catch (e) {
    throw fail((e as Error).message);
  }
  if (h?.format !== STATE_FORMAT) throw fail(`not a ${STATE_FORMAT} object`);
  if (h.job !== job) throw fail(`it belongs to job "${h.job}", not "${job}"`);
  if (!Number.isSafeInteger(h.batch) || typeof h.checkpoint !== "object" || h.checkpoint === null) {
    throw fail("the header has no batch or checkpoint");
  }
  const rebuild = h.rebuild ?? [];
  if (!Array.isArray(rebuild) || rebuild.some((n) => typeof n !== "string")) throw fail("bad rebuild list");
  return {
    batch: h.batch as number,
    checkpoint: h.checkpoint as SourceCheckpoint,
    state: bytes.slice(4 + n),
    rebuild: rebuild as string[],
    instance: String(h.instance),
    createdAt: Number(h.createdAt),
  };
}
