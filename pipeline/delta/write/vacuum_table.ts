/**
 * VACUUM (delta-lake.md §17): deletes files under the table root that no live `add` and no unexpired tombstone
 * references and that are older than the retention: orphans of failed writes, removed files, expired change
 * data, old deletion vector files. A deletion vector file is kept while a live file or an unexpired tombstone
 * names it. `_delta_log/` and other `_`/`.` folders are never touched, except `_change_data`.
 *
 * @module
 */
import type { AddFile, RemoveFile } from "../log/actions.ts";
import { deletionVectorKey } from "../read/deletion_vector.ts";
import type { ObjectStore } from "../storage/object_store.ts";
import { addPathToKey } from "./file_rows.ts";
import { loadSnapshotOrNull } from "./run_commit.ts";
import { deletedFileRetention } from "./table_properties.ts";

/** Options of {@linkcode vacuumTable}. */
export interface VacuumOptions {
  /** Retention in hours. @default the table's delta.deletedFileRetentionDuration (168) */
  retentionHours?: number;
  /** Only report what would be deleted. @default false */
  dryRun?: boolean;
  /** Allow a retention below 168 hours (unsafe with concurrent writers or readers of old versions). */
  allowShortRetention?: boolean;
  /** @default Date.now */
  now?: () => number;
}

/** What VACUUM deleted (or would delete in a dry run). */
export interface VacuumResult {
  deleted: string[];
  dryRun: boolean;
}

function vacuumable(key: string): boolean {
  const segments = key.split("/");
  return segments.slice(0, -1).every((s, i) =>
    !(s.startsWith(".") || (s.startsWith("_") && !(i === 0 && s === "_change_data") && !s.includes("=")))
  ) && !segments[segments.length - 1].startsWith(".") && !segments[segments.length - 1].startsWith("_");
}

/** Deletes unreferenced files older than the retention. */
export async function vacuumTable(store: ObjectStore, options: VacuumOptions = {}): Promise<VacuumResult> {
  const snapshot = await loadSnapshotOrNull(store);
  if (!snapshot) throw new Error(`Cannot vacuum "${store.url}": the table does not exist`);
  const retention = options.retentionHours !== undefined
    ? options.retentionHours * 3_600_000
    : deletedFileRetention(snapshot.properties);
  if (retention < 168 * 3_600_000 && !options.allowShortRetention) {
    throw new RangeError(
      `Cannot vacuum "${store.url}" with a retention of ${
        retention / 3_600_000
      } hours: below the 168-hour safety limit`,
    );
  }
  const now = (options.now ?? Date.now)();
  const horizon = now - retention;
  const keep = new Set<string>();
  const reference = (f: AddFile | RemoveFile) => {
    keep.add(addPathToKey(f.path));
    const dv = f.deletionVector;
    if (dv && dv.storageType !== "i") keep.add(deletionVectorKey(dv, store.url));
  };
  for (const f of snapshot.files) reference(f);
  for (const t of snapshot.tombstones) {
    if ((t.deletionTimestamp ?? 0) > horizon) reference(t);
  }
  const deleted: string[] = [];
  for await (const meta of store.list("")) {
    if (meta.key.startsWith("_delta_log/") || !vacuumable(meta.key)) continue;
    if (keep.has(meta.key) || meta.lastModified > horizon) continue;
    deleted.push(meta.key);
  }
  if (!options.dryRun) {
    for (const key of deleted) await store.delete(key);
  }
  return { deleted, dryRun: options.dryRun ?? false };
}
