/**
 * One timed append for bench/delta/append.ts, in its own process: prints {"seconds", "peak"} as JSON.
 *
 * @module
 */
import { LocalStore } from "../../pipeline/delta/storage/local_store.ts";
import { writeTable } from "../../pipeline/delta/write/write_table.ts";
import { orders, ORDERS_SCHEMA, peakRssMiB } from "./_orders.ts";

const [dir, n] = Deno.args;
const rows = orders(0, Number(n));
const t = performance.now();
await writeTable(new LocalStore(dir), rows, { create: { schema: ORDERS_SCHEMA } });
const seconds = (performance.now() - t) / 1000;
console.log(JSON.stringify({ seconds, peak: await peakRssMiB() }));
