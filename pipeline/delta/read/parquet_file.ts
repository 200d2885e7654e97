/**
 * Parquet bytes to an Arrow table (parquet-wasm decodes, Arrow IPC hands the columns over in bulk).
 *
 * @module
 */
import * as pw from "parquet-wasm";
import { type Table, tableFromIPC } from "apache-arrow";

/** Decodes a whole Parquet file; a corrupt or truncated file is an Error naming `source`. */
export function readParquetTable(bytes: Uint8Array, source: string): Table {
  let ipc: Uint8Array;
  try {
    ipc = pw.readParquet(bytes).intoIPCStream();
  } catch (e) {
    throw new Error(`Cannot read Parquet file "${source}": ${e instanceof Error ? e.message : String(e)}`, {
      cause: e,
    });
  }
  return tableFromIPC(ipc);
}
