/**
 * Builds the upsert benchmark's table in its own process (so its garbage does not land in the timed upsert):
 * `deno run -A bench/delta/_orders_table.ts <dir> <rows> <rows per file> [dv]`, files written in key order;
 * `dv` creates it with deletion vectors enabled.
 *
 * @module
 */
import { LocalStore } from "../../pipeline/delta/storage/local_store.ts";
import { createTable, writeTable } from "../../pipeline/delta/write/write_table.ts";
import { orders, ORDERS_SCHEMA } from "./_orders.ts";

const [dir, rows, perFile] = Deno.args.slice(0, 3).map((a, i) => (i === 0 ? a : Number(a))) as [
  string,
  number,
  number,
];
const store = new LocalStore(dir);
await createTable(store, { schema: ORDERS_SCHEMA, enableDeletionVectors: Deno.args[3] === "dv" });
for (let from = 0; from < rows; from += perFile) await writeTable(store, orders(from, perFile));
