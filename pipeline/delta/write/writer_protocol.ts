/**
 * Which protocol the writer declares for a new table (the lowest the features need, delta-lake.md §10) and
 * whether it may write to an existing one.
 *
 * @module
 */
import type { Metadata, Protocol } from "../log/actions.ts";
import type { DataType } from "../schema/types.ts";

/** Writer features this writer honours (legacy writer ≤ 4 features, named for writer 7 tables). */
export const SUPPORTED_WRITER_FEATURES: ReadonlySet<string> = new Set([
  "appendOnly",
  "invariants",
  "changeDataFeed",
  "timestampNtz",
  "deletionVectors",
]);

/** Reader features of tables this writer may write (a writer reads, so it must also implement them). */
const WRITABLE_READER_FEATURES: ReadonlySet<string> = new Set(["timestampNtz", "deletionVectors"]);

/** Whether `type` is or contains (in a struct, array or map) a `timestamp_ntz`. */
export function usesTimestampNtz(type: DataType): boolean {
  if (typeof type === "string") return type === "timestamp_ntz";
  switch (type.type) {
    case "struct":
      return type.fields.some((f) => usesTimestampNtz(f.type));
    case "array":
      return usesTimestampNtz(type.elementType);
    case "map":
      return usesTimestampNtz(type.keyType) || usesTimestampNtz(type.valueType);
  }
}

/**
 * The lowest protocol for a table with these properties and schema: (1,2), or (1,4) with Change Data Feed;
 * (3,7) when a column is `timestamp_ntz` (feature `timestampNtz`) or `delta.enableDeletionVectors` is "true"
 * (feature `deletionVectors`, opt-in: reader version 3 is beyond some readers). A (3,7) table names every
 * writer feature explicitly, so it lists the legacy ones the table would otherwise have had: appendOnly and
 * invariants (writer 2) and changeDataFeed when it is enabled.
 */
export function protocolFor(configuration: Record<string, string>, schema: DataType): Protocol {
  const cdf = configuration["delta.enableChangeDataFeed"] === "true";
  const ntz = usesTimestampNtz(schema);
  const dv = configuration["delta.enableDeletionVectors"] === "true";
  if (!ntz && !dv) return { minReaderVersion: 1, minWriterVersion: cdf ? 4 : 2 };
  const features = [...(ntz ? ["timestampNtz"] : []), ...(dv ? ["deletionVectors"] : [])];
  return {
    minReaderVersion: 3,
    minWriterVersion: 7,
    readerFeatures: features,
    writerFeatures: ["appendOnly", "invariants", ...(cdf ? ["changeDataFeed"] : []), ...features],
  };
}

/**
 * The protocol an existing (writable) table needs once its schema becomes `schema` and its properties
 * `configuration` (a `timestamp_ntz` column, deletion vectors enabled), or null when `current` already covers
 * it. Features are never removed: an upgrade keeps every feature `current` lists. Legacy features implied by a
 * writer version up to 4 that the table does not use (CHECK constraints, generated columns:
 * {@linkcode checkWritable} refuses tables that have them) are not listed.
 */
export function protocolUpgrade(
  current: Protocol,
  configuration: Record<string, string>,
  schema: DataType,
): Protocol | null {
  const needed = protocolFor(configuration, schema);
  if (needed.minReaderVersion < 3) return null;
  const covered = needed.readerFeatures!.every((f) =>
    current.readerFeatures?.includes(f) && current.writerFeatures?.includes(f)
  );
  if (covered) return null;
  const reader = new Set([...current.readerFeatures ?? [], ...needed.readerFeatures!]);
  const writer = new Set([...current.writerFeatures ?? [], ...needed.writerFeatures!]);
  return {
    minReaderVersion: 3,
    minWriterVersion: 7,
    readerFeatures: [...reader],
    writerFeatures: [...writer],
  };
}

/**
 * Whether row removals from existing files are written as deletion vectors: the table has the
 * `deletionVectors` feature and `delta.enableDeletionVectors` is "true" (writers may create vectors only then;
 * a table with the feature but the property off still gets its existing vectors honoured, by copy-on-write).
 */
export function deletionVectorsEnabled(protocol: Protocol, metadata: Metadata): boolean {
  return metadata.configuration?.["delta.enableDeletionVectors"] === "true" &&
    (protocol.writerFeatures ?? []).includes("deletionVectors") &&
    (protocol.readerFeatures ?? []).includes("deletionVectors");
}

/** Whether Change Data Feed files must be written. */
export function cdfEnabled(metadata: Metadata): boolean {
  return metadata.configuration?.["delta.enableChangeDataFeed"] === "true";
}

/**
 * Throws an Error naming the table when this writer cannot write it safely: a reader protocol or reader feature
 * it does not implement for writing (column mapping…), writer features it does not honour, CHECK constraints or generated
 * columns it would not evaluate, or `delta.appendOnly` for an operation that removes data.
 */
export function checkWritable(
  protocol: Protocol,
  metadata: Metadata,
  tableUrl: string,
  options: { removesData?: boolean } = {},
): void {
  const where = `Cannot write to "${tableUrl}"`;
  if (protocol.minReaderVersion === 3) {
    for (const f of protocol.readerFeatures ?? []) {
      if (!WRITABLE_READER_FEATURES.has(f)) {
        throw new Error(`${where}: reader feature "${f}" is not supported by this writer`);
      }
    }
  } else if (protocol.minReaderVersion > 1) {
    throw new Error(
      `${where}: it needs reader version ${protocol.minReaderVersion}, this writer writes reader version 1 and 3 (timestampNtz, deletionVectors) tables only`,
    );
  }
  if (protocol.minWriterVersion === 7) {
    for (const f of protocol.writerFeatures ?? []) {
      if (!SUPPORTED_WRITER_FEATURES.has(f)) {
        throw new Error(`${where}: writer feature "${f}" is not supported`);
      }
    }
  } else if (protocol.minWriterVersion > 4) {
    throw new Error(
      `${where}: it needs writer version ${protocol.minWriterVersion}, this writer supports up to 4`,
    );
  }
  const config = metadata.configuration ?? {};
  const constraint = Object.keys(config).find((k) => k.startsWith("delta.constraints."));
  if (constraint) {
    throw new Error(`${where}: CHECK constraint "${constraint.slice(18)}" is not enforced by this writer`);
  }
  if (metadata.schemaString.includes("delta.generationExpression")) {
    throw new Error(`${where}: generated columns are not supported by this writer`);
  }
  if (metadata.schemaString.includes("delta.invariants")) {
    throw new Error(`${where}: column invariants are not enforced by this writer`);
  }
  if (options.removesData && config["delta.appendOnly"] === "true") {
    throw new Error(`${where}: the table is append-only (delta.appendOnly=true)`);
  }
}
