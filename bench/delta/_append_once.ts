/**
 * One timed append for bench/delta/append.ts, in its own process:
 * `deno run -A bench/delta/_append_once.ts <dir> <rows> [rows|batch]` prints {"seconds", "cpuSeconds", "peak"}.
 * `rows` writes Row objects, `batch` a column batch (the default).
 *
 * @module
 */
import process from "node:process";
import { LocalStore } from "../../pipeline/delta/storage/local_store.ts";
import { writeTable } from "../../pipeline/delta/write/write_table.ts";
import { orders, ORDERS_SCHEMA, ordersBatch, peakRssMiB } from "./_orders.ts";

const [dir, n, input = "batch"] = Deno.args;
if (input !== "rows" && input !== "batch") {
  throw new TypeError(`Unknown input "${input}": expected rows or batch`);
}
const data = input === "rows" ? orders(0, Number(n)) : ordersBatch(0, Number(n));
// The generator's garbage is collected before the clock starts (run with --v8-flags=--expose-gc), so V8's
// concurrent marking and sweeping of it is not counted as the write's CPU time.
(globalThis as { gc?: () => void }).gc?.();
const cpu = process.cpuUsage();
const t = performance.now();
await writeTable(new LocalStore(dir), data, { create: { schema: ORDERS_SCHEMA } });
const seconds = (performance.now() - t) / 1000;
const used = process.cpuUsage(cpu);
console.log(
  JSON.stringify({ seconds, cpuSeconds: (used.user + used.system) / 1e6, peak: await peakRssMiB() }),
);
