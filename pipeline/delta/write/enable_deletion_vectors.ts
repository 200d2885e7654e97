/**
 * Turning deletion vectors on for an existing table (Spark's `ALTER TABLE … SET TBLPROPERTIES
 * (delta.enableDeletionVectors = true)`): one commit that upgrades the protocol to (3,7) with the
 * `deletionVectors` feature, keeping every feature the table has, and sets the property.
 *
 * @module
 */
import type { Action, Metadata } from "../log/actions.ts";
import type { ObjectStore } from "../storage/object_store.ts";
import { loadSnapshotOrNull, runCommit, type WriterOptions } from "./run_commit.ts";
import { footprint } from "./write_table.ts";
import { checkWritable, deletionVectorsEnabled, protocolUpgrade } from "./writer_protocol.ts";

/**
 * Enables deletion vectors on the table in `store`; resolves to the committed version, or null when they were
 * already enabled. From the next write on, merges, upserts and deletes write deletion vectors, and readers need
 * reader version 3 with the `deletionVectors` feature. Conflicts with any concurrent commit that changes data
 * or metadata (CommitConflictError): the caller reloads and tries again.
 */
export async function enableDeletionVectors(
  store: ObjectStore,
  options: WriterOptions = {},
): Promise<number | null> {
  const snapshot = await loadSnapshotOrNull(store);
  if (!snapshot) {
    throw new Error(`Cannot enable deletion vectors on "${store.url}": the table does not exist`);
  }
  checkWritable(snapshot.protocol, snapshot.metadata, store.url);
  if (deletionVectorsEnabled(snapshot.protocol, snapshot.metadata)) return null;
  const property = { "delta.enableDeletionVectors": "true" };
  const metadata: Metadata = {
    ...snapshot.metadata,
    configuration: { ...snapshot.metadata.configuration, ...property },
  };
  const protocol = protocolUpgrade(snapshot.protocol, metadata.configuration, snapshot.schema);
  const actions: Action[] = [...(protocol ? [{ protocol }] : []), { metaData: metadata }];
  const { version } = await runCommit(
    store,
    {
      readVersion: snapshot.version,
      actions,
      operation: "SET TBLPROPERTIES",
      operationParameters: { properties: JSON.stringify(property) },
      footprint: footprint({ readsData: true, changesMetadata: true }),
      isBlindAppend: false,
    },
    [],
    options,
    metadata.configuration,
  );
  return version;
}
