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

  /** Adds one pull's records, quarantined messages and checkpoint. */
  add(pull: SourceBatch, at: number): void {
    for (const r of pull.records) this.records.push(r);
    for (const q of pull.quarantined) this.quarantined.push(q);
    Object.assign(this.checkpoint, pull.checkpoint);
    this.digest.add(pull.records, pull.quarantined);
    if (this.firstAt === null && this.size > 0) this.firstAt = at;
  }

  /** Records plus quarantined messages. */
  get size(): number {
    return this.records.length + this.quarantined.length;
  }
}
