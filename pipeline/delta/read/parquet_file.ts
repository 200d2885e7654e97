/**
 * Parquet bytes to an Arrow table (parquet-wasm decodes, Arrow IPC hands the columns over in bulk).
 *
 * @module
 */
import * as pw from "parquet-wasm";
import { type Table, tableFromIPC } from "apache-arrow";

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
