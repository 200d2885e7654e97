/**
 * Crash test of the stream processor: `deno task stream` over the embedded SQLite source runs as a
 * subprocess while the faker writes a fixed number of operations, and is killed with SIGKILL at random
 * moments at least 20 times (mid-batch, mid-recovery, mid-compaction, during startup) until a last run
 * finishes with --exit-when-idle. Then:
 * - every lake table (every operator output and `_quarantine`), row by row, equals that of one uninterrupted
 *   run over the same input;
 * - mirrors equal the SQLite source tables, `customers_scd2` current rows equal the source customers (and its
 *   versions the tracked changes), aggregates equal the operators' reference functions over the source
 *   (tests/e2e/_lake_agreement.ts, which reads SQLite independently of the processor).
 *
 * Both runs replay the whole change table (`--start changes`), so they read exactly the same events whatever
 * the faker was doing when each run started.
 */
import assert from "node:assert/strict";
import { runFaker } from "../../scripts/faker/mod.ts";
import { runSetup } from "../../scripts/setup/mod.ts";
import { openStore } from "../../pipeline/delta/storage/open_store.ts";
import { Prng } from "../../pipeline/stream/operators/_prng.ts";
import { OperatorSet } from "../../pipeline/stream/operators/mod.ts";
import { rowsDiffer, tableRows } from "../../pipeline/stream/_lake_rows.ts";
import { PIPELINE_METRICS, QUARANTINE } from "../../pipeline/stream/pipeline_tables.ts";
import { assertLakeAgreesWithSource } from "../e2e/_lake_agreement.ts";

const MAIN = new URL("../../pipeline/stream/main.ts", import.meta.url).pathname;
const KILLS = 20;

function processorArgs(db: string, lake: string, idleSeconds: number, start = "changes"): string[] {
  return [
    "run",
    "-A",
    MAIN,
    "--db",
    db,
    "--lake",
    lake,
    "--start",
    start,
    "--max-batch-events",
    "40",
    "--max-batch-ms",
    "50",
    "--state-every",
    "4",
    "--checkpoint-every",
    "5",
    "--compact-min-files",
    "6",
    "--exit-when-idle",
    String(idleSeconds),
    "--no-status",
    "--log-format",
    "json",
  ];
}

function spawn(args: string[]): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), { args, stdin: "null", stdout: "null", stderr: "piped" }).spawn();
}

/** Runs the processor to its idle exit; fails with its log when it exits otherwise. */
async function runToIdle(db: string, lake: string, start = "changes"): Promise<void> {
  const out = await spawn(processorArgs(db, lake, 2, start)).output();
  assert.equal(out.code, 0, `the processor failed:\n${new TextDecoder().decode(out.stderr)}`);
}

/** Starts the processor and kills it with SIGKILL after `ms`; true when it was killed (not already done). */
async function killAfter(args: string[], ms: number): Promise<boolean> {
  const child = spawn(args);
  await new Promise((r) => setTimeout(r, ms));
  try {
    child.kill("SIGKILL");
  } catch {
    // It exited by itself just before (a finished run): its status says how.
  }
  const out = await child.output();
  if (out.signal === "SIGKILL") return true;
  assert.equal(out.code, 0, `the processor failed:\n${new TextDecoder().decode(out.stderr)}`);
  return false;
}

Deno.test("stream processor killed with SIGKILL ≥ 20 times ends with the tables of an uninterrupted run", async () => {
  const dir = await Deno.makeTempDir({ prefix: "stream_crash_" });
  try {
    const db = `${dir}/source.sqlite`;
    await runSetup({ dialect: "sqlite", db });
    const rng = new Prng(20240601);
    let fakerDone = false;
    const faker = runFaker({ dialect: "sqlite", db, ops: 1500, rate: 120, seed: 3, log: () => {} })
      .finally(() => fakerDone = true);
    let kills = 0;
    let finishedEarly = 0;
    while (kills < KILLS || !fakerDone) {
      if (await killAfter(processorArgs(db, `${dir}/lake`, 30), rng.between(200, 2500))) kills++;
      else finishedEarly++;
    }
    const report = await faker;
    assert.equal(report.operations, 1500);
    await runToIdle(db, `${dir}/lake`);
    await runToIdle(db, `${dir}/reference`);

    assert.ok(kills >= KILLS, `${kills} kills`);
    const tables = [...new OperatorSet().outputs, QUARANTINE];
    for (const t of tables) {
      const crashed = await tableRows(openStore(`${dir}/lake/${t.name}`), t.key);
      const reference = await tableRows(openStore(`${dir}/reference/${t.name}`), t.key);
      const diff = rowsDiffer(crashed, reference, t.name);
      assert.equal(diff, null, diff ?? "");
    }
    // Every batch the crashed run committed is in the metrics once, however often it was replayed.
    const metrics = await tableRows(openStore(`${dir}/lake/${PIPELINE_METRICS.name}`), PIPELINE_METRICS.key);
    assert.equal(new Set(metrics.map((r) => r.batch_id)).size, metrics.length);
    const agreement = await assertLakeAgreesWithSource(dir);
    assert.ok(agreement.changes > 1500 && agreement.mirrorRows > 0 && agreement.aggregateRows > 0);
    console.log(
      `${kills} kills (${finishedEarly} runs ended by themselves), ${metrics.length} batches, ${agreement.changes} changes, ` +
        `${metrics.filter((r) => r.replayed === true).length} batches replayed after a crash`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("stream processor killed during its initial snapshot and after resumes it exactly (records kept in the WAL)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "stream_crash_snapshot_" });
  try {
    const db = `${dir}/source.sqlite`;
    await runSetup({ dialect: "sqlite", db });
    const rng = new Prng(7);
    const args = processorArgs(db, `${dir}/lake`, 30, "snapshot");
    // Small batches: the snapshot of the seeded tables takes many batches, each kept in the WAL.
    args.splice(args.indexOf("--max-batch-events") + 1, 1, "15");
    let kills = 0;
    for (let i = 0; i < 6; i++) if (await killAfter(args, rng.between(300, 1500))) kills++;
    const stored = [...Deno.readDirSync(`${dir}/lake/_checkpoints/lakestream/offsets`)]
      .filter((e) => e.name.endsWith(".records")).length;
    // The snapshot ends before the faker starts: changes made while the tables are read collapse into the
    // rows read (snapshot semantics), which the versions check of customers_scd2 does not expect.
    await runToIdle(db, `${dir}/lake`, "snapshot");
    const faker = runFaker({ dialect: "sqlite", db, ops: 600, rate: 150, seed: 11, log: () => {} });
    for (let i = 0; i < 6; i++) if (await killAfter(args, rng.between(300, 2000))) kills++;
    await faker;
    await runToIdle(db, `${dir}/lake`, "snapshot");
    assert.ok(kills >= 10, `${kills} kills`);
    const agreement = await assertLakeAgreesWithSource(dir);
    console.log(
      `${kills} kills, ${stored} snapshot batches kept in the WAL at the faker's start, ${agreement.changes} changes`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
