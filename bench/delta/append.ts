/**
 * Append throughput: 1M orders-like rows written to a new local Delta table as one commit, by this engine and
 * by Python `deltalake` in the same run (generation excluded from both timings); peak memory of each process.
 * Goal: ≥ 1.0× delta-rs rows/s. Run alone: `deno run -A bench/delta/append.ts [rows]`.
 *
 * @module
 */
import { writeSection } from "../results.ts";
import { ensureVenv } from "../../tests/interop/_python.ts";
import { loadAverage } from "./_orders.ts";

const ROWS = Number(Deno.args[0] ?? 1_000_000);

async function runEngine(dir: string): Promise<{ seconds: number; cpuSeconds: number; peak: number }> {
  // Own process, so peak memory is this write's alone.
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("./_append_once.ts", import.meta.url).pathname, dir, String(ROWS)],
    stdout: "piped",
  }).output();
  if (out.code !== 0) throw new Error("engine append failed");
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

async function runDeltalake(
  dir: string,
): Promise<{ seconds: number; cpu_seconds: number; peak_rss_mib: number }> {
  const python = await ensureVenv();
  const out = await new Deno.Command(python, {
    args: [new URL("./deltalake_baseline.py", import.meta.url).pathname, "append", dir, String(ROWS)],
    stdout: "piped",
  }).output();
  if (out.code !== 0) throw new Error("deltalake append failed");
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

if (import.meta.main) {
  const root = await Deno.makeTempDir({ prefix: "lakestream-bench-append-" });
  try {
    const ours: number[] = [];
    const theirs: number[] = [];
    const oursCpu: number[] = [];
    const theirsCpu: number[] = [];
    let oursPeak = 0;
    let theirsPeak = 0;
    for (let run = 0; run < 3; run++) {
      const a = await runEngine(`${root}/engine-${run}`);
      const b = await runDeltalake(`${root}/deltalake-${run}`);
      ours.push(ROWS / a.seconds);
      theirs.push(ROWS / b.seconds);
      oursCpu.push(a.cpuSeconds);
      theirsCpu.push(b.cpu_seconds);
      oursPeak = Math.max(oursPeak, a.peak);
      theirsPeak = Math.max(theirsPeak, b.peak_rss_mib);
    }
    const med = (xs: number[]) => [...xs].sort((x, y) => x - y)[1];
    const ratio = med(ours) / med(theirs);
    const fmt = (x: number) => `${Math.round(x).toLocaleString("en-US")}`;
    const body = `
Append of ${ROWS.toLocaleString("en-US")} orders-like rows (8 columns: 2 × long, 2 × string, decimal(18,2),
timestamp, date, integer) to a new local table as one commit, snappy Parquet; median of 3 runs, alternating.
Row generation is excluded from both timings; the engine's time includes taking the values out of its Row
objects, checks, stats and the commit; delta-rs starts from a pyarrow table. Peak RSS is each writer process's
VmHWM / ru_maxrss (includes the generated input).

| writer | rows/s (median) | runs | CPU s per run (median) | peak RSS |
|---|---|---|---|---|
| Lakestream (Deno ${Deno.version.deno}) | ${fmt(med(ours))} | ${ours.map(fmt).join(", ")} | ${
      med(oursCpu).toFixed(2)
    } | ${oursPeak} MiB |
| Python deltalake 1.6.6 | ${fmt(med(theirs))} | ${theirs.map(fmt).join(", ")} | ${
      med(theirsCpu).toFixed(2)
    } | ${theirsPeak} MiB |

CPU seconds (user + system of the writing process during the write) are less sensitive than wall time to other
load on a shared machine. Flat tables of primitive columns (this one) are encoded by the engine's own Parquet
writer (pipeline/delta/write/parquet_writer.ts, snappy.ts): one pass over the rows fills typed column buffers
with checks, min/max and dictionaries, then v1 pages are RLE/dictionary-encoded and snappy-compressed straight
into the file buffer; no Arrow table, IPC stream or copy into parquet-wasm any more (nested columns and zstd keep
that path). Where the engine's CPU goes now (1M rows, in a fresh process like the timed run, CPU ms, load ≈ 2.5):
taking the 8 values out of each Row object (Decimal, Timestamp, BigInt and string objects spread over a
~350 MB heap; in a CPU profile close to half of it is the string dictionaries, where each of the 1M freshly
built \`note\` strings is hashed once) 400–450, page encoding 160–170 (snappy about 70, RLE/bit-packing and
dictionaries about 95), key check 20–60, stats under 5, commit and file write about 30. Warm, the same passes
take 190 + 130 ms: a one-shot process also pays for V8 compiling each loop. delta-rs starts from Arrow arrays
and encodes natively on one thread (its CPU ≈ wall), so the remaining gap is reading a million JS row objects,
not parallelism.

Load average (1 min) at the end of the run: ${await loadAverage()} on ${navigator.hardwareConcurrency} cores.
Ratio: **${ratio.toFixed(2)}×** delta-rs (goal ≥ 1.0×: ${ratio >= 1 ? "met" : "**not met**"}).
`;
    await writeSection("delta-append", "Delta append throughput (1M rows) vs delta-rs", body);
    console.log(body);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}
