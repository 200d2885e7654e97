/**
 * Snapshot open time as a table ages: a table grown to 10,000 commits (one file added per commit, checkpoint
 * every 100 commits as delta-rs does), opened at 1k, 5k and 10k commits by this engine and by Python
 * `deltalake` (`DeltaTable(path)`) in the same run. Goal: ≤ 200 ms and flat as the table ages.
 * Run alone: `deno run -A bench/delta/snapshot_open.ts`.
 *
 * @module
 */
import process from "node:process";
import type { Action } from "../../pipeline/delta/log/actions.ts";
import { commitKey } from "../../pipeline/delta/log/log_path.ts";
import { extendSnapshot, loadSnapshot, type Snapshot } from "../../pipeline/delta/log/snapshot.ts";
import { LocalStore } from "../../pipeline/delta/storage/local_store.ts";
import { writeCheckpoint } from "../../pipeline/delta/write/checkpoint_write.ts";
import { serializeCommit } from "../../pipeline/delta/write/commit.ts";
import { createTable } from "../../pipeline/delta/write/write_table.ts";
import { ensureVenv } from "../../tests/interop/_python.ts";
import { writeSection } from "../results.ts";
import { loadAverage, median, ORDERS_SCHEMA, peakRssMiB } from "./_orders.ts";

const CHECKPOINT_EVERY = 100;
const MARKS = [1_000, 5_000, 10_000];

/** Grows the log from `snapshot` to `target` commits (commits written as the writer writes them). */
async function grow(store: LocalStore, snapshot: Snapshot, target: number): Promise<Snapshot> {
  let s = snapshot;
  for (let v = s.version + 1; v <= target; v++) {
    const now = 1_700_000_000_000 + v * 1000;
    const actions: Action[] = [
      {
        commitInfo: {
          timestamp: now,
          operation: "WRITE",
          operationParameters: { mode: "Append" },
          readVersion: v - 1,
        },
      },
      {
        add: {
          path: `part-${String(v).padStart(5, "0")}-bench.snappy.parquet`,
          partitionValues: {},
          size: 4096,
          modificationTime: now,
          dataChange: true,
          stats: `{"numRecords":100,"minValues":{"order_id":${v * 100}},"maxValues":{"order_id":${
            v * 100 + 99
          }},"nullCount":{"order_id":0}}`,
        },
      },
      { txn: { appId: "bench", version: v, lastUpdated: now } },
    ];
    await store.putIfAbsent(commitKey(v), serializeCommit(actions));
    s = extendSnapshot(s, [{ version: v, actions, timestamp: now }]);
    if (v % CHECKPOINT_EVERY === 0) await writeCheckpoint(store, s, { now: () => now });
  }
  return s;
}

async function timeOpen(store: LocalStore): Promise<{ ms: number[]; cpuMs: number[] }> {
  const ms: number[] = [];
  const cpuMs: number[] = [];
  for (let i = 0; i < 7; i++) {
    const cpu = process.cpuUsage();
    const t = performance.now();
    await loadSnapshot(store);
    ms.push(performance.now() - t);
    const used = process.cpuUsage(cpu);
    cpuMs.push((used.user + used.system) / 1000);
  }
  return { ms, cpuMs };
}

async function deltalakeOpen(dir: string): Promise<number> {
  const python = await ensureVenv();
  const out = await new Deno.Command(python, {
    args: [new URL("./deltalake_baseline.py", import.meta.url).pathname, "open", dir],
    stdout: "piped",
  }).output();
  if (out.code !== 0) throw new Error("deltalake open failed");
  return JSON.parse(new TextDecoder().decode(out.stdout)).ms;
}

if (import.meta.main) {
  const dir = await Deno.makeTempDir({ prefix: "lakestream-bench-open-" });
  try {
    const store = new LocalStore(dir);
    await createTable(store, { schema: ORDERS_SCHEMA, properties: { "delta.checkpointInterval": "100" } });
    let s = await loadSnapshot(store);
    const lines: string[] = [];
    let worst = 0;
    let worstCpu = 0;
    for (const mark of MARKS) {
      s = await grow(store, s, mark);
      const { ms: ours, cpuMs } = await timeOpen(store);
      const theirs = await deltalakeOpen(dir);
      worst = Math.max(worst, median(ours));
      worstCpu = Math.max(worstCpu, median(cpuMs));
      const range = `${Math.min(...ours).toFixed(1)}–${Math.max(...ours).toFixed(1)} ms`;
      const row = [mark.toLocaleString("en-US"), `**${median(ours).toFixed(1)} ms**`, range];
      row.push(`${median(cpuMs).toFixed(1)} ms`, `${theirs.toFixed(1)} ms`);
      lines.push(`| ${row.join(" | ")} |`);
    }
    const body = `
Local table grown commit by commit (one \`add\` with stats and one \`txn\` per commit), classic checkpoint every
${CHECKPOINT_EVERY} commits; \`loadSnapshot\` = read \`_last_checkpoint\`, list from the checkpoint, read the
checkpoint Parquet and the commits after it. Median of 7 opens in one process; deltalake = median of 5
\`DeltaTable(path)\` in its own process, same run.

| commits | Lakestream open (median wall) | range | Lakestream CPU (median) | deltalake 1.6.6 open |
|---|---|---|---|---|
${lines.join("\n")}

Goal ≤ 200 ms at 10k commits and flat as the table ages: on wall time ${
      worst <= 200 ? "met" : "**not met**"
    } (worst median ${worst.toFixed(1)} ms); on CPU time ${
      worstCpu <= 200 ? "met" : "**not met**"
    } (worst median
${
      worstCpu.toFixed(1)
    } ms). Open time follows the number of live files (one checkpoint row each), not the number of
commits; with other load on the machine, wall time is several times the CPU time.
Load average (1 min) at the end of the run: ${await loadAverage()} on ${navigator.hardwareConcurrency} cores.
Peak RSS of the benchmark process: ${await peakRssMiB()} MiB.
`;
    await writeSection("delta-snapshot-open", "Delta snapshot open at 1k–10k commits with checkpoints", body);
    console.log(body);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
