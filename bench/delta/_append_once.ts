/**
 * Timed appends for bench/delta/append.ts, in a fresh process:
 * `deno run -A --v8-flags=--expose-gc bench/delta/_append_once.ts <dir> <rows> [batch|rows] [writes]` appends
 * `rows` generated orders to `writes` (default 2) new tables `<dir>-<i>` one after the other, and prints
 * {"writes": [{"seconds", "cpuSeconds"}…], "peak"}: the first write is cold (V8 still compiling the writer), the
 * next ones warm. `batch` (default) writes a column batch, `rows` Row objects.
 *
 * @module
 */
import process from "node:process";
import { LocalStore } from "../../pipeline/delta/storage/local_store.ts";
import { writeTable } from "../../pipeline/delta/write/write_table.ts";
import { orders, ORDERS_SCHEMA, ordersBatch, peakRssMiB } from "./_orders.ts";

const [dir, n, input = "batch", writes = "2"] = Deno.args;
if (input !== "rows" && input !== "batch") {
  throw new TypeError(`Unknown input "${input}": expected rows or batch`);
}
const results: { seconds: number; cpuSeconds: number }[] = [];
for (let i = 0; i < Number(writes); i++) {
  let data = input === "rows" ? orders(0, Number(n)) : ordersBatch(0, Number(n));
  // The generator's garbage is collected before the clock starts (with --v8-flags=--expose-gc), so V8's
  // concurrent GC of it is not counted as the write's CPU time.
  (globalThis as { gc?: () => void }).gc?.();
  const cpu = process.cpuUsage();
  const t = performance.now();
  await writeTable(new LocalStore(`${dir}-${i}`), data, { create: { schema: ORDERS_SCHEMA } });
  const seconds = (performance.now() - t) / 1000;
  const used = process.cpuUsage(cpu);
  results.push({ seconds, cpuSeconds: (used.user + used.system) / 1e6 });
  data = [];
}
console.log(JSON.stringify({ writes: results, peak: await peakRssMiB() }));
