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

async function median(runs: number, f: () => Promise<unknown>): Promise<number> {
  await f(); // warm-up: JIT and the wasm module
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await f();
    ms.push(performance.now() - t);
  }
  return ms.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

async function deltalakeScan(dir: string): Promise<{ ms: number; rows: number; peak_rss_mib: number }> {
  const python = await ensureVenv();
  const code = `
import json, resource, sys, time
from deltalake import DeltaTable
ms = []
for _ in range(4):
    t = time.perf_counter()
    n = DeltaTable(sys.argv[1]).to_pyarrow_table().num_rows
    ms.append((time.perf_counter() - t) * 1000)
ms = sorted(ms[1:])
print(json.dumps({"ms": ms[1], "rows": n, "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
`;
  const out = await new Deno.Command(python, { args: ["-c", code, dir], stdout: "piped", stderr: "piped" })
    .output();
  if (out.code !== 0) throw new Error(`deltalake scan failed: ${new TextDecoder().decode(out.stderr)}`);
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

if (import.meta.main) {
  const dir = await Deno.makeTempDir({ prefix: "lakestream-bench-scan-" });
  try {
    const store = new LocalStore(dir);
    const per = ROWS / FILES;
    for (let f = 0; f < FILES; f++) {
      await writeTable(store, batch(f * per, per), f === 0 ? { create: { schema } } : {});
    }
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
    const body = `
Table: ${ROWS.toLocaleString("en-US")} rows × 7 columns (long, long, string, decimal(18,2), timestamp, date,
integer) in ${FILES} files written by this engine (snappy). Median of 3 in one process after a warm-up;
deltalake: median of 3 after one warm-up, its own process.

| read | time | rows/s |
|---|---:|---:|
| Lakestream full scan → Rows (bigint, Decimal, Timestamp, LocalDate) | ${full.toFixed(0)} ms | ${
      rate(full)
    } |
| Lakestream scan of 2 columns → Rows | ${projected.toFixed(0)} ms | ${rate(projected)} |
| Lakestream \`order_id = 654321\` (stats skip ${FILES - 1} of ${FILES} files) | ${
      filtered.toFixed(0)
    } ms | – |
| parquet-wasm → Arrow only, same files (decode floor, no Rows) | ${arrowOnly.toFixed(0)} ms | ${
      rate(arrowOnly)
    } |
| deltalake ${"1.6.6"} \`to_pyarrow_table()\` (Arrow, multi-threaded) | ${py.ms.toFixed(0)} ms | ${
      rate(py.ms)
    } |

Peak RSS: Lakestream ${rss.toFixed(0)} MiB (whole benchmark process, table generation included);
deltalake ${py.peak_rss_mib.toFixed(0)} MiB. Rows of the value model cost the difference between the Arrow
floor and the full scan: one object per row and exact bigint/Decimal/Timestamp values; deltalake stops at
Arrow. Projection reads only the needed columns into Rows but still decodes whole files (parquet-wasm's
synchronous reader has no column projection).
`;
    console.log(body);
    await writeSection("delta-scan", "Delta scan throughput (1M rows) vs delta-rs", body);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
