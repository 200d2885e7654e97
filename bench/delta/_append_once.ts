/**
 * One timed append for bench/delta/append.ts, in its own process: prints {"seconds", "cpuSeconds", "peak"}.
 *
 * @module
 */
import process from "node:process";
import { LocalStore } from "../../pipeline/delta/storage/local_store.ts";
import { writeTable } from "../../pipeline/delta/write/write_table.ts";
import { orders, ORDERS_SCHEMA, peakRssMiB } from "./_orders.ts";

const [dir, n] = Deno.args;
const rows = orders(0, Number(n));
const cpu = process.cpuUsage();
const t = performance.now();
await writeTable(new LocalStore(dir), rows, { create: { schema: ORDERS_SCHEMA } });
const seconds = (performance.now() - t) / 1000;
const used = process.cpuUsage(cpu);
console.log(
  JSON.stringify({ seconds, cpuSeconds: (used.user + used.system) / 1e6, peak: await peakRssMiB() }),
);
