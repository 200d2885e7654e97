/**
 * Upsert of 10k keys into a 1M-row table (goal ≤ 1 s): the table is 8 files of 125k orders written in key
 * order (as a CDC sink appends them); the batch updates 5k recent orders and inserts 5k new ones, the usual
 * shape of a CDC micro-batch. A second figure upserts 10k keys spread over the whole table (every file touched).
 * Run alone: `deno run -A bench/delta/upsert.ts`.
 *
 * @module
 */
import process from "node:process";
import { LocalStore } from "../../pipeline/delta/storage/local_store.ts";
import { upsertRows } from "../../pipeline/delta/write/upsert_rows.ts";
import type { Row } from "../../pipeline/value/mod.ts";
import { writeSection } from "../results.ts";
import { loadAverage, median, orders, peakRssMiB } from "./_orders.ts";

const TABLE_ROWS = 1_000_000;
const FILE_ROWS = 125_000;

async function buildTable(dir: string): Promise<LocalStore> {
  const script = new URL("./_orders_table.ts", import.meta.url).pathname;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script, dir, String(TABLE_ROWS), String(FILE_ROWS)],
  }).output();
  if (out.code !== 0) throw new Error(`Cannot build the benchmark table in ${dir}`);
  return new LocalStore(dir);
}

async function timeUpsert(
  dir: string,
  batch: (run: number) => Row[],
): Promise<{ ms: number[]; cpuMs: number[]; files: number[] }> {
  const ms: number[] = [];
  const cpuMs: number[] = [];
  const files: number[] = [];
  for (let run = 0; run < 3; run++) {
    const store = await buildTable(`${dir}/${run}`);
    const rows = batch(run);
    const cpu = process.cpuUsage();
    const t = performance.now();
    const r = await upsertRows(store, rows, ["order_id"]);
    ms.push(performance.now() - t);
    const used = process.cpuUsage(cpu);
    cpuMs.push((used.user + used.system) / 1000);
    files.push(r.numFilesRead);
  }
  return { ms, cpuMs, files };
}

if (import.meta.main) {
  const root = await Deno.makeTempDir({ prefix: "lakestream-bench-upsert-" });
  try {
    const recent = await timeUpsert(
      `${root}/recent`,
      (
        run,
      ) => [...orders(TABLE_ROWS - 5_000, 5_000, 7 + run, "u"), ...orders(TABLE_ROWS, 5_000, 9 + run, "n")],
    );
    const spread = await timeUpsert(
      `${root}/spread`,
      (run) => Array.from({ length: 10_000 }, (_, i) => orders(i * 100 + run, 1, 11, "s")[0]),
    );
    const peak = await peakRssMiB();
    const fmt = (xs: number[]) => xs.map((x) => `${Math.round(x)} ms`).join(", ");
    const m = median(recent.ms);
    const mCpu = median(recent.cpuMs);
    const row = (name: string, r: typeof recent, bold: boolean) => {
      const wall = `${Math.round(median(r.ms))} ms`;
      const cells = [name, bold ? `**${wall}**` : wall, fmt(r.ms), `${Math.round(median(r.cpuMs))} ms`];
      return `| ${[...cells, `${r.files[0]} of 8`].join(" | ")} |`;
    };
    const verdict = (ok: boolean) => (ok ? "met" : "**not met**");
    const body = `
Table: ${TABLE_ROWS.toLocaleString("en-US")} orders in ${
      TABLE_ROWS / FILE_ROWS
    } files of ${FILE_ROWS} rows written
in key order; upsert by \`order_id\`, one commit, 3 runs on a fresh table each. Only files whose \`order_id\`
stats may hold a batch key are read; only files holding one are rewritten.

| batch of 10,000 keys | median wall | runs | median CPU | files read |
|---|---|---|---|---|
${row("5,000 updates of recent orders + 5,000 new orders (CDC shape)", recent, true)}
${row("10,000 updates spread over the whole table", spread, false)}

Goal ≤ 1 s for the CDC-shaped batch: on wall time ${verdict(m <= 1000)}, on CPU time ${verdict(mCpu <= 1000)}
(with other load on the machine, wall time is several times the CPU time). The spread batch rewrites every file
(copy-on-write without deletion vectors), so it costs a full read and write of the table.
Load average (1 min) at the end of the run: ${await loadAverage()} on ${navigator.hardwareConcurrency} cores.
Peak RSS of the benchmark process (tables are built in a child process): ${peak} MiB.
`;
    await writeSection("delta-upsert", "Delta upsert of 10k keys into 1M rows", body);
    console.log(body);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}
