/**
 * Upsert of 10k keys into a 1M-row table (goal ≤ 1 s): the table is 8 files of 125k orders written in key
 * order (as a CDC sink appends them); the batch updates 5k recent orders and inserts 5k new ones, the usual
 * shape of a CDC micro-batch. A second figure upserts 10k keys spread over the whole table (every file touched).
 * Each batch runs copy-on-write and with deletion vectors (`delta.enableDeletionVectors`), in the same run,
 * with the bytes each writes. Run alone: `deno run -A bench/delta/upsert.ts`.
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

async function buildTable(dir: string, dv: boolean): Promise<LocalStore> {
  const script = new URL("./_orders_table.ts", import.meta.url).pathname;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script, dir, String(TABLE_ROWS), String(FILE_ROWS), ...(dv ? ["dv"] : [])],
  }).output();
  if (out.code !== 0) throw new Error(`Cannot build the benchmark table in ${dir}`);
  return new LocalStore(dir);
}

/** Sizes of the table's objects by key. */
async function sizes(store: LocalStore): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for await (const m of store.list("")) out.set(m.key, m.size);
  return out;
}

interface Timing {
  ms: number[];
  cpuMs: number[];
  files: number[];
  /** Bytes of the objects the upsert created (data, deletion vector and log files). */
  bytes: number[];
  rewritten: number[];
}

async function timeUpsert(dir: string, batch: (run: number) => Row[], dv: boolean): Promise<Timing> {
  const out: Timing = { ms: [], cpuMs: [], files: [], bytes: [], rewritten: [] };
  for (let run = 0; run < 3; run++) {
    const store = await buildTable(`${dir}/${run}`, dv);
    const before = await sizes(store);
    const rows = batch(run);
    const cpu = process.cpuUsage();
    const t = performance.now();
    const r = await upsertRows(store, rows, ["order_id"]);
    out.ms.push(performance.now() - t);
    const used = process.cpuUsage(cpu);
    out.cpuMs.push((used.user + used.system) / 1000);
    out.files.push(r.numFilesRead);
    let bytes = 0;
    for (const [k, size] of await sizes(store)) if (!before.has(k)) bytes += size;
    out.bytes.push(bytes);
    out.rewritten.push(r.numRemovedFiles);
    await Deno.remove(`${dir}/${run}`, { recursive: true });
  }
  return out;
}

if (import.meta.main) {
  const root = await Deno.makeTempDir({ prefix: "lakestream-bench-upsert-" });
  try {
    const recentBatch = (run: number) => [
      ...orders(TABLE_ROWS - 5_000, 5_000, 7 + run, "u"),
      ...orders(TABLE_ROWS, 5_000, 9 + run, "n"),
    ];
    const spreadBatch = (run: number) =>
      Array.from({ length: 10_000 }, (_, i) => orders(i * 100 + run, 1, 11, "s")[0]);
    // Copy-on-write and deletion vectors alternate, so load on the machine falls on both alike.
    const recent = await timeUpsert(`${root}/recent`, recentBatch, false);
    const recentDv = await timeUpsert(`${root}/recent-dv`, recentBatch, true);
    const spread = await timeUpsert(`${root}/spread`, spreadBatch, false);
    const spreadDv = await timeUpsert(`${root}/spread-dv`, spreadBatch, true);
    const peak = await peakRssMiB();
    const fmt = (xs: number[]) => xs.map((x) => `${Math.round(x)} ms`).join(", ");
    const m = median(recent.ms);
    const mCpu = median(recent.cpuMs);
    const mb = (n: number) => `${(n / 2 ** 20).toFixed(2)} MiB`;
    const row = (name: string, mode: string, r: Timing, bold: boolean) => {
      const wall = `${Math.round(median(r.ms))} ms`;
      const cells = [name, mode, bold ? `**${wall}**` : wall, fmt(r.ms), `${Math.round(median(r.cpuMs))} ms`];
      return `| ${[...cells, `${r.files[0]} of 8`, `${r.rewritten[0]}`, mb(median(r.bytes))].join(" | ")} |`;
    };
    const ratio = (cow: Timing, dv: Timing) =>
      `${(median(cow.cpuMs) / median(dv.cpuMs)).toFixed(1)}× less CPU, ${
        (median(cow.bytes) / median(dv.bytes)).toFixed(0)
      }× fewer bytes`;
    const verdict = (ok: boolean) => (ok ? "met" : "**not met**");
    const body = `
Table: ${TABLE_ROWS.toLocaleString("en-US")} orders in ${
      TABLE_ROWS / FILE_ROWS
    } files of ${FILE_ROWS} rows written
in key order; upsert by \`order_id\`, one commit, 3 runs on a fresh table each. Only files whose \`order_id\`
stats may hold a batch key are read. Copy-on-write rewrites the files holding one; with deletion vectors
(\`delta.enableDeletionVectors=true\`, protocol (3,7)) those files stay and get a vector of the replaced rows,
and only the new versions of the rows are written. Bytes: the objects the upsert created (data, deletion vector
and log files), median of the runs.

| batch of 10,000 keys | mode | median wall | runs | median CPU | files read | files removed or marked | bytes written |
|---|---|---|---|---|---|---|---|
${row("5,000 updates of recent orders + 5,000 new orders (CDC shape)", "copy-on-write", recent, true)}
${row("same", "deletion vectors", recentDv, true)}
${row("10,000 updates spread over the whole table", "copy-on-write", spread, false)}
${row("same", "deletion vectors", spreadDv, false)}

Deletion vectors vs copy-on-write, same run: CDC shape ${ratio(recent, recentDv)}; spread ${
      ratio(spread, spreadDv)
    }. Both fetch and Parquet-decode the files whole; with deletion vectors only the key column is scanned for all
rows (no row objects, no key strings) and rows are built only where a key matches, and no file is re-encoded.

Goal ≤ 1 s for the CDC-shaped batch (copy-on-write): on wall time ${verdict(m <= 1000)}, on CPU time ${
      verdict(mCpu <= 1000)
    }
(with other load on the machine, wall time is several times the CPU time). Copy-on-write rewrites every file for
the spread batch, so it costs a full read and write of the table.
Load average (1 min) at the end of the run: ${await loadAverage()} on ${navigator.hardwareConcurrency} cores.
Peak RSS of the benchmark process (tables are built in a child process): ${peak} MiB.
`;
    await writeSection("delta-upsert", "Delta upsert of 10k keys into 1M rows", body);
    console.log(body);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}
