/**
 * Read throughput of a 1M-row orders-like table (8 files of 125k rows, partitioned by nothing): a full scan to
 * Rows of the value model, a projected scan, and a selective filtered scan that file skipping answers from
 * stats, side by side with the bare parquet-wasm → Arrow decode of the same files (the floor of any decode that
 * ends in Arrow) and Python `deltalake` (`DeltaTable(dir).to_pyarrow_table()`, Arrow, no Python objects) in the
 * same run.
 *
 * Run alone: `deno run -A bench/delta/scan.ts`.
 *
 * @module
 */
import process from "node:process";
import { Decimal, LocalDate, type Row, Timestamp } from "../../pipeline/value/mod.ts";
import { loadSnapshot, scan } from "../../pipeline/delta/mod.ts";
import { readParquetTable } from "../../pipeline/delta/read/parquet_file.ts";
import type { StructType } from "../../pipeline/delta/schema/types.ts";
import { LocalStore } from "../../pipeline/delta/storage/local_store.ts";
import { writeTable } from "../../pipeline/delta/write/write_table.ts";
import { ensureVenv } from "../../tests/interop/_python.ts";
import { writeSection } from "../results.ts";

const ROWS = 1_000_000;
const FILES = 8;
const STATUSES = ["pending", "paid", "shipped", "delivered", "cancelled"];

const schema: StructType = {
  type: "struct",
  fields: [
    { name: "order_id", type: "long", nullable: false, metadata: {} },
    { name: "customer_id", type: "long", nullable: false, metadata: {} },
    { name: "status", type: "string", nullable: true, metadata: {} },
    { name: "amount", type: "decimal(18,2)", nullable: true, metadata: {} },
    { name: "created_at", type: "timestamp", nullable: true, metadata: {} },
    { name: "order_date", type: "date", nullable: true, metadata: {} },
    { name: "quantity", type: "integer", nullable: true, metadata: {} },
  ],
};

function batch(from: number, n: number): Row[] {
  const rows: Row[] = new Array(n);
  for (let j = 0; j < n; j++) {
    const i = from + j;
    rows[j] = {
      order_id: BigInt(i),
      customer_id: BigInt((i * 7919) % 100_000),
      status: STATUSES[i % 5],
      amount: new Decimal(BigInt((i * 104_729) % 1_000_000), 2),
      created_at: Timestamp.fromMicros(1_700_000_000_000_000n + BigInt(i) * 1_000_003n),
      order_date: new LocalDate(19_700 + Math.floor(i / 10_000)),
      quantity: 1 + (i % 9),
    };
  }
  return rows;
}

function peakRssMiB(): number {
  const status = Deno.readTextFileSync("/proc/self/status");
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/** Wall and process CPU time (all threads) of one run; the machine may be shared, so both are reported. */
interface Timing {
  ms: number;
  cpuMs: number;
}

async function median(runs: number, f: () => Promise<unknown>): Promise<Timing> {
  await f(); // warm-up: JIT and the wasm module
  const timings: Timing[] = [];
  for (let i = 0; i < runs; i++) {
    const c = process.cpuUsage();
    const t = performance.now();
    await f();
    const used = process.cpuUsage(c);
    timings.push({ ms: performance.now() - t, cpuMs: (used.user + used.system) / 1000 });
  }
  return timings.sort((a, b) => a.ms - b.ms)[Math.floor(runs / 2)];
}

async function deltalakeScan(dir: string): Promise<Timing & { rows: number; peak_rss_mib: number }> {
  const python = await ensureVenv();
  const code = `
import json, re, sys, time
from deltalake import DeltaTable
runs = []
for _ in range(4):
    t, c = time.perf_counter(), time.process_time()
    n = DeltaTable(sys.argv[1]).to_pyarrow_table().num_rows
    runs.append(((time.perf_counter() - t) * 1000, (time.process_time() - c) * 1000))
runs = sorted(runs[1:])
# VmHWM, not ru_maxrss: Linux carries the parent's peak over fork, which would report Deno's.
hwm = int(re.search(r"VmHWM:\\s+(\\d+)", open("/proc/self/status").read()).group(1))
print(json.dumps({"ms": runs[1][0], "cpuMs": runs[1][1], "rows": n, "peak_rss_mib": hwm / 1024}))
`;
  const out = await new Deno.Command(python, { args: ["-c", code, dir], stdout: "piped", stderr: "piped" })
    .output();
  if (out.code !== 0) throw new Error(`deltalake scan failed: ${new TextDecoder().decode(out.stderr)}`);
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

/** Writes the table (in a child process, so that the reader's peak memory is its own). */
async function generate(dir: string): Promise<void> {
  const store = new LocalStore(dir);
  const per = ROWS / FILES;
  for (let f = 0; f < FILES; f++) {
    await writeTable(store, batch(f * per, per), f === 0 ? { create: { schema } } : {});
  }
}

if (import.meta.main && Deno.args[0] === "--generate") {
  await generate(Deno.args[1]);
} else if (import.meta.main) {
  const dir = await Deno.makeTempDir({ prefix: "lakestream-bench-scan-" });
  try {
    const child = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", new URL(import.meta.url).pathname, "--generate", dir],
    }).output();
    if (child.code !== 0) {
      throw new Error(`generating the table failed: ${new TextDecoder().decode(child.stderr)}`);
    }
    const store = new LocalStore(dir);
    const snapshot = await loadSnapshot(store);
    let count = 0;
    const full = await median(3, async () => {
      count = 0;
      for await (const rows of scan(store, snapshot)) count += rows.length;
    });
    if (count !== ROWS) throw new Error(`full scan returned ${count} rows`);
    const projected = await median(3, async () => {
      for await (const _ of scan(store, snapshot, { columns: ["order_id", "amount"] })) { /* consume */ }
    });
    let hits = 0;
    const filtered = await median(3, async () => {
      hits = 0;
      const filter = { column: "order_id", op: "=" as const, value: 654_321n };
      for await (const rows of scan(store, snapshot, { filter })) hits += rows.length;
    });
    if (hits !== 1) throw new Error(`filtered scan returned ${hits} rows`);
    const keys = snapshot.files.map((f) => f.path);
    const arrowOnly = await median(3, async () => {
      for (const key of keys) readParquetTable(await store.get(key), key);
    });
    const rss = peakRssMiB();
    const py = await deltalakeScan(dir);
    const rate = (ms: number) => Math.round(ROWS / (ms / 1000)).toLocaleString("en-US");
    const row = (label: string, t: Timing, rows = true) =>
      `| ${label} | ${t.ms.toFixed(0)} ms | ${t.cpuMs.toFixed(0)} ms | ${rows ? rate(t.ms) : "–"} | ${
        rows ? rate(t.cpuMs) : "–"
      } |`;
    const body = `
Table: ${ROWS.toLocaleString("en-US")} rows × 7 columns (long, long, string, decimal(18,2), timestamp, date,
integer) in ${FILES} files written by this engine (snappy). Median of 3 in one process after a warm-up;
deltalake: median of 3 after one warm-up, its own process. Load average at the start: ${
      Deno.loadavg()[0].toFixed(1)
    } on this machine's ${navigator.hardwareConcurrency} cores (it is shared), so CPU time is the steadier figure.

| read | wall | CPU (all threads) | rows/s (wall) | rows per CPU-second |
|---|---:|---:|---:|---:|
${row("Lakestream full scan → Rows (bigint, Decimal, Timestamp, LocalDate)", full)}
${row("Lakestream scan of 2 columns → Rows", projected)}
${row(`Lakestream \`order_id = 654321\` (stats skip ${FILES - 1} of ${FILES} files)`, filtered, false)}
${row("parquet-wasm → Arrow only, same files (decode floor, no Rows)", arrowOnly)}
${row("deltalake 1.6.6 `to_pyarrow_table()` (Arrow, multi-threaded)", py)}

Peak RSS of the reading process: Lakestream ${rss.toFixed(0)} MiB (the table is written by a child process);
deltalake ${py.peak_rss_mib.toFixed(0)} MiB. Rows of the value model cost the difference between the Arrow
floor and the full scan: one object per row and exact bigint/Decimal/Timestamp values; deltalake stops at
Arrow. A projected scan decodes only the Parquet columns it needs (parquet-wasm column projection).
`;
    console.log(body);
    await writeSection("delta-scan", "Delta scan throughput (1M rows) vs delta-rs", body);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
