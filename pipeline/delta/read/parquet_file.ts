/**
 * Parquet bytes to an Arrow table (parquet-wasm decodes, Arrow IPC hands the columns over in bulk).
 *
 * @module
 */
import * as pw from "parquet-wasm";
import { type Schema, type Table, tableFromIPC } from "apache-arrow";

const BATCH_ROWS = 1 << 20;

/** Decodes a whole Parquet file; a corrupt or truncated file is an Error naming `source`. */
export function readParquetTable(bytes: Uint8Array, source: string): Table {
  let ipc: Uint8Array;
  try {
    // Large batches: parquet-wasm's default of 1024 rows makes a file hundreds of small chunks to stitch together.
    ipc = pw.readParquet(bytes, { batchSize: BATCH_ROWS }).intoIPCStream();
  } catch (e) {
    throw new Error(`Cannot read Parquet file "${source}": ${e instanceof Error ? e.message : String(e)}`, {
      cause: e,
    });
  }
  return tableFromIPC(ipc);
}

/** The Arrow schema of a Parquet file (its footer only), with field metadata such as `PARQUET:field_id`. */
export function readParquetSchema(bytes: Uint8Array, source: string): Schema {
  try {
    return tableFromIPC(pw.readSchema(bytes).intoIPCStream()).schema;
  } catch (e) {
    throw new Error(`Cannot read Parquet file "${source}": ${e instanceof Error ? e.message : String(e)}`, {
      cause: e,
    });
  }
}

/**
 * Decodes only the named top-level columns (every one must exist; none gives the row count only). Reading a
 * few of many columns this way skips decompressing and decoding the others.
 */
export async function readParquetColumns(
  bytes: Uint8Array,
  source: string,
  columns: string[],
): Promise<Table> {
  let ipc: Uint8Array;
  try {
    const file = await pw.ParquetFile.fromFile(new Blob([bytes as Uint8Array<ArrayBuffer>]));
    try {
      ipc = (await file.read({ columns, batchSize: BATCH_ROWS })).intoIPCStream();
    } finally {
      file.free();
    }
  } catch (e) {
    throw new Error(`Cannot read Parquet file "${source}": ${e instanceof Error ? e.message : String(e)}`, {
      cause: e,
    });
  }
  return tableFromIPC(ipc);
}
