/**
 * Whether this reader can read a table (PROTOCOL.md "Reader Requirements"): a table that needs a feature we do
 * not implement must fail loudly before any data is returned.
 *
 * @module
 */
import type { Protocol } from "./actions.ts";

/** Reader features implemented by this engine. */
export const SUPPORTED_READER_FEATURES: ReadonlySet<string> = new Set([
  "columnMapping",
  "deletionVectors",
  "timestampNtz",
  "v2Checkpoint",
  "vacuumProtocolCheck",
]);

/** Highest `minReaderVersion` this reader implements. */
export const MAX_READER_VERSION = 3;

/**
 * Throws an Error naming the table, the version and the feature when `protocol` needs something this reader
 * does not implement.
 */
export function checkReadable(protocol: Protocol, tableUrl: string, version: number): void {
  const where = `"${tableUrl}" at version ${version}`;
  const rv = protocol.minReaderVersion;
  if (!Number.isInteger(rv) || rv < 1 || rv > MAX_READER_VERSION) {
    throw new Error(
      `Cannot read ${where}: it needs reader version ${rv}, this reader supports 1 to ${MAX_READER_VERSION}`,
    );
  }
  if (rv < 3) return;
  const features = protocol.readerFeatures;
  if (!Array.isArray(features)) {
    throw new Error(`Cannot read ${where}: reader version 3 requires readerFeatures, the protocol has none`);
  }
  for (const feature of features) {
    if (!SUPPORTED_READER_FEATURES.has(feature)) {
      throw new Error(`Cannot read ${where}: it needs reader feature "${feature}", which this reader lacks`);
    }
  }
}
