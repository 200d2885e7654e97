/**
 * Append throughput: 1M orders-like rows written to a new local Delta table as one commit, by this engine
 * (from a column batch, the fair match for delta-rs starting from a pyarrow table, and from Row objects) and by
 * Python `deltalake` in the same run (generation excluded from all timings); CPU seconds and peak memory of
 * each process. Each process writes twice: the first write is cold (a fresh process), the second warm.
 * Goal: ≥ 1.0× delta-rs rows/s. Run alone: `deno run -A bench/delta/append.ts [rows] [rounds]`.
 *
 * @module
 */
import { writeSection } from "../results.ts";
import { ensureVenv } from "../../tests/interop/_python.ts";
import { loadAverage, median } from "./_orders.ts";

const ROWS = Number(Deno.args[0] ?? 1_000_000);
const ROUNDS = Number(Deno.args[1] ?? 3);

/** One write's wall and CPU time. */
interface Timing {
  seconds: number;
  cpuSeconds: number;
}

/** The two writes of one process (cold, warm) and its peak RSS in MiB. */
interface Run {
  cold: Timing;
  warm: Timing;
  peak: number;
}

async function output(cmd: string, args: string[], what: string): Promise<string> {
  const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
  if (out.code !== 0) {
    throw new Error(
      `${what} failed (exit ${out.code}): ${new TextDecoder().decode(out.stderr).slice(-2000)}`,
    );
  }
  return new TextDecoder().decode(out.stdout);
}

async function runEngine(dir: string, input: "batch" | "rows"): Promise<Run> {
  // Own process, so peak memory is this write's alone and the first write is cold.
  const text = await output(Deno.execPath(), [
    "run",
    "-A",
    "--v8-flags=--expose-gc",
    new URL("./_append_once.ts", import.meta.url).pathname,
    dir,
    String(ROWS),
    input,
    "2",
  ], `engine append (${input})`);
  const { writes, peak } = JSON.parse(text) as { writes: Timing[]; peak: number };
  return { cold: writes[0], warm: writes[1], peak };
}

async function runDeltalake(dir: string): Promise<Run> {
  const python = await ensureVenv();
  const text = await output(python, [
    new URL("./deltalake_baseline.py", import.meta.url).pathname,
    "append",
    dir,
    String(ROWS),
    "2",
  ], "deltalake append");
  const { writes, peak_rss_mib } = JSON.parse(text) as {
    writes: { seconds: number; cpu_seconds: number }[];
    peak_rss_mib: number;
  };
  const t = (w: { seconds: number; cpu_seconds: number }) => ({
    seconds: w.seconds,
    cpuSeconds: w.cpu_seconds,
  });
  return { cold: t(writes[0]), warm: t(writes[1]), peak: peak_rss_mib };
}

/** Medians of a writer's runs. */
function summary(runs: Run[]) {
  const rate = (t: Timing) => ROWS / t.seconds;
  return {
    cold: median(runs.map((r) => rate(r.cold))),
    coldRuns: runs.map((r) => rate(r.cold)),
    coldCpu: median(runs.map((r) => r.cold.cpuSeconds)),
    coldCpuRuns: runs.map((r) => r.cold.cpuSeconds),
    warm: median(runs.map((r) => rate(r.warm))),
    warmCpu: median(runs.map((r) => r.warm.cpuSeconds)),
    peak: Math.max(...runs.map((r) => r.peak)),
  };
}

if (import.meta.main) {
  const root = await Deno.makeTempDir({ prefix: "lakestream-bench-append-" });
  const loads: string[] = [await loadAverage()];
  try {
    const batch: Run[] = [];
    const rows: Run[] = [];
    const theirs: Run[] = [];
    for (let run = 0; run < ROUNDS; run++) {
      batch.push(await runEngine(`${root}/batch-${run}`, "batch"));
      theirs.push(await runDeltalake(`${root}/deltalake-${run}`));
      rows.push(await runEngine(`${root}/rows-${run}`, "rows"));
      await Deno.remove(root, { recursive: true });
      await Deno.mkdir(root);
      loads.push(await loadAverage());
    }
    const [b, r, d] = [summary(batch), summary(rows), summary(theirs)];
    const fmt = (x: number) => `${Math.round(x).toLocaleString("en-US")}`;
    const cpus = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(", ");
    const line = (name: string, s: ReturnType<typeof summary>) =>
      `| ${name} | ${fmt(s.cold)} | ${s.coldRuns.map(fmt).join(", ")} | ${s.coldCpu.toFixed(2)} (${
        cpus(s.coldCpuRuns)
      }) | ${fmt(s.warm)} | ${s.warmCpu.toFixed(2)} | ${s.peak} MiB |`;
    const ratio = b.cold / d.cold;
    const cpuRatio = d.coldCpu / b.coldCpu;
    const warmRatio = b.warm / d.warm;
    // Wall time on the shared 2 cores swings 2–3× between runs of the same write; a rows/s ratio above 1 only
    // counts when the CPU time agrees.
    const verdict = ratio >= 1 && cpuRatio >= 1
      ? "met"
      : ratio >= 1
      ? `**not shown**: rows/s ≥ 1.0× in this run, but the engine used more CPU time (${
        cpuRatio.toFixed(2)
      }×)`
      : "**not met**";
    const body = `
Append of ${ROWS.toLocaleString("en-US")} orders-like rows (8 columns: 2 × long, 2 × string, decimal(18,2),
timestamp, date, integer) to a new local table as one commit, snappy Parquet; ${ROUNDS} rounds, the writers
alternating, medians. Each writer runs in its own process and writes twice: the first write is **cold** (a fresh
process; V8 still compiling the writer), the second **warm** (what a long-running job sees). Generation is
excluded from every timing (the engine collects the generator's garbage before its clock starts). delta-rs
starts from a pyarrow table; the engine from a column batch (\`ColumnBatch\`: BigInt64Array / Int32Array per
column, strings as plain arrays of JS strings, no dictionary given) and, second line, from Row objects (Decimal,
Timestamp, LocalDate, bigint values). Peak RSS is each process's VmHWM / ru_maxrss (includes the generated
input of both writes).

| writer | cold rows/s (median) | cold runs | cold CPU s (median; runs) | warm rows/s | warm CPU s | peak RSS |
|---|---|---|---|---|---|---|
${line(`Lakestream, column batch (Deno ${Deno.version.deno})`, b)}
${line("Lakestream, Row objects", r)}
${line("Python deltalake 1.6.6", d)}

Ratio (column batch, cold, rows/s): **${ratio.toFixed(2)}×** delta-rs; CPU-time ratio (delta-rs CPU s / ours)
**${cpuRatio.toFixed(2)}×**; warm rows/s ${warmRatio.toFixed(2)}×. Goal ≥ 1.0×: ${verdict}.
Row objects, cold: ${(r.cold / d.cold).toFixed(2)}× delta-rs.

CPU seconds are user + system of the whole writing process during the write (all its threads), less sensitive
than wall time to other load on the shared machine but not immune to it (runs of the same write vary by up to
~1.5× at load 1–5, for both writers: delta-rs alone measured 0.36–0.62 cold CPU-s in four runs at load ≈ 1.2
the same morning), so a CPU ratio within a few percent of 1.0× is parity, not a margin. The engine's cold CPU
exceeds its wall time: V8 compiles the writer's hot loops on its background threads during the first write
(\`--trace-opt\`: ~85 compilations in a process generating and writing twice, the larger ones 10–20 ms each:
the snappy block loop, the run scan, the string loop and dictionary, each compiled on stack replacement and
then again as a whole function), and the main thread runs them in the interpreter and in Maglev code until
TurboFan's code is ready (snappy alone: ~175 ms of a cold write against ~100 warm); delta-rs is native code
on one thread (CPU ≈ wall).

Where the engine's CPU goes (column batch, warm, 1M rows, CPU profile of 14 in-process writes at load ≈ 2, per
write): snappy ~105 ms (three 8 MB PLAIN int64 columns and the index pages, ~300 MB/s: the reference
algorithm in TypeScript, mostly 5–7-byte copies and 1–3-byte literals on this data), string dictionaries of
the 2M JS strings ~65 ms (hashing ~28, probing and comparing ~28), RLE/bit-packing of the five
dictionary-index columns ~45 ms, int64 min/max ~17 ms, the customer_id and int32 dictionaries ~20 ms, GC
~10 ms, stats, footer and commit a few ms: ~0.27 s. Repeated deoptimizations are gone: a fresh process
writing twice had 105 deopts and 105 compilations, now 24 and 84 (\`--trace-deopt\`, \`--trace-opt\`; the
loops compiled on stack replacement deoptimized at their end in every later call, and the run scan at the
first RLE run). File size 18.6 MB (delta-rs 19.7 MB), byte for byte the file the writer made before.
From Row objects, reading the 8 values out of each object (Decimal, Timestamp and bigint objects spread over
a ~350 MB heap) adds 0.3–0.4 CPU-s. What limits the goal: JIT warm-up on a cold write (compiler threads and
unoptimized code, ~0.1–0.2 CPU-s), snappy and bit-packing in JS at a few ns per byte or value where delta-rs
runs native code, and hashing 2M JS strings for the dictionaries (an Arrow-style UTF-8 buffer input, or
strings given as dictionary indices, would avoid most of it).

Load average (1 min) before and after each round: ${
      loads.join(", ")
    } on ${navigator.hardwareConcurrency} cores.
`;
    await writeSection("delta-append", "Delta append throughput (1M rows) vs delta-rs", body);
    console.log(body);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}
