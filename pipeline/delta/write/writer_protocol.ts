/**
 * Which protocol the writer declares for a new table (the lowest the features need, delta-lake.md §10) and
 * whether it may write to an existing one.
 *
 * @module
 */
import type { Metadata, Protocol } from "../log/actions.ts";

/** Writer features this writer honours (legacy writer ≤ 4 features, named for writer 7 tables). */
export const SUPPORTED_WRITER_FEATURES: ReadonlySet<string> = new Set([
  "appendOnly",
  "invariants",
  "changeDataFeed",
]);

/** The lowest protocol for a table with these properties: (1,2), or (1,4) with Change Data Feed. */
export function protocolFor(configuration: Record<string, string>): Protocol {
  const cdf = configuration["delta.enableChangeDataFeed"] === "true";
  return { minReaderVersion: 1, minWriterVersion: cdf ? 4 : 2 };
}

/** Whether Change Data Feed files must be written. */
export function cdfEnabled(metadata: Metadata): boolean {
  return metadata.configuration?.["delta.enableChangeDataFeed"] === "true";
}

/**
 * Throws an Error naming the table when this writer cannot write it safely: a reader protocol above 1
 * (column mapping, deletion vectors…), writer features it does not honour, CHECK constraints or generated
 * columns it would not evaluate, or `delta.appendOnly` for an operation that removes data.
 */
export function checkWritable(
  protocol: Protocol,
  metadata: Metadata,
  tableUrl: string,
  options: { removesData?: boolean } = {},
): void {
  const where = `Cannot write to "${tableUrl}"`;
  if (protocol.minReaderVersion > 1) {
    const features = protocol.readerFeatures?.length ? ` (${protocol.readerFeatures.join(", ")})` : "";
    throw new Error(
      `${where}: it needs reader version ${protocol.minReaderVersion}${features}, this writer writes version 1 tables only`,
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
