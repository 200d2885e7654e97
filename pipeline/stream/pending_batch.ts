/**
 * The records of one batch as they are gathered from several pulls, with the checkpoint they reach and their
 * digest.
 *
 * @module
 */
import type { QuarantineRecord } from "../cdc/quarantine.ts";
import type { SourceBatch, SourceCheckpoint } from "../cdc/source/change_source.ts";
import type { SourceRecord } from "../cdc/source_record.ts";
import { RecordDigest } from "./wal_entry.ts";

/** A batch being gathered. */
export class PendingBatch {
  readonly records: SourceRecord[] = [];
  readonly quarantined: QuarantineRecord[] = [];
  /** Checkpoint delta of the pulls (merged in pull order, later ones winning per stream). */
  readonly checkpoint: SourceCheckpoint = {};
  readonly digest: RecordDigest = new RecordDigest();
  /** Clock time (ms) when the first record arrived; null while empty. */
  firstAt: number | null = null;
  /**
   * Per stream, the newest source commit time (ms since the epoch) of the batch's change events: from the
   * pull's `streams` when the source names each record's stream, else for every stream the pull's checkpoint
   * names. Streams without change events in the batch are absent.
   */
  readonly newestCommitMs: Map<string, number> = new Map();

  /** Adds one pull's records, quarantined messages and checkpoint. */
  add(pull: SourceBatch, at: number): void {
    let unattributed = -Infinity;
    for (let i = 0; i < pull.records.length; i++) {
      const r = pull.records[i];
      this.records.push(r);
      if (r.kind !== "change") continue;
      const ms = r.event.commitTs.epochMillis;
      const stream = pull.streams?.[i];
      if (stream === undefined) unattributed = Math.max(unattributed, ms);
      else this.#newest(stream, ms);
    }
    if (unattributed > -Infinity) {
      for (const stream in pull.checkpoint) {
        this.#newest(stream, unattributed);
      }
    }
    for (const q of pull.quarantined) this.quarantined.push(q);
    Object.assign(this.checkpoint, pull.checkpoint);
    this.digest.add(pull.records, pull.quarantined);
    if (this.firstAt === null && this.size > 0) this.firstAt = at;
  }

  #newest(stream: string, ms: number): void {
    const seen = this.newestCommitMs.get(stream);
    if (seen === undefined || ms > seen) this.newestCommitMs.set(stream, ms);
  }

  /** Records plus quarantined messages. */
  get size(): number {
    return this.records.length + this.quarantined.length;
  }
}
