/**
 * Faker throughput on SQLite and PostgreSQL: the highest rate (`--rate 0`, as fast as the database allows) and
 * whether a paced 2,000 tx/s is sustained, with the CPU time each transaction costs (faker process, plus the
 * PostgreSQL backend), which stays meaningful when other work shares the machine. PostgreSQL needs the local
 * stack (`deno task stack up`); it runs in a database of its own that it drops afterwards.
 *
 * Run alone: `deno run -A bench/faker/throughput.ts [seconds]` (writes its section of bench/RESULTS.md).
 *
 * @module
 */
import { openPostgres, openSqlite, runSetup, type SourceDb } from "../../scripts/setup/mod.ts";
import { runFaker } from "../../scripts/faker/mod.ts";
import { stackEnv } from "../../scripts/stack/env.ts";
import { writeSection } from "../results.ts";

const SECONDS = Number(Deno.args[0] ?? 15);
const GOAL = 2000;
const TICKS = 100; // USER_HZ on Linux

/** CPU seconds (user + system) used so far by a process. */
function cpuSeconds(pid: number | "self"): number {
  const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

function loadAverage(): string {
  return Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).join(" ");
}

interface Row {
  source: string;
  mode: string;
  txPerSec: number;
  rowsPerSec: number;
  cpuMsPerTx: number;
  load: string;
}

async function measure(
  source: string,
  mode: string,
  db: SourceDb,
  rate: number,
  backendPid: number | null,
  durable = false,
): Promise<Row> {
  const load = loadAverage();
  const cpu0 = cpuSeconds("self") + (backendPid ? cpuSeconds(backendPid) : 0);
  const report = await runFaker({ source: db, rate, duration: SECONDS, seed: 7, durableCommits: durable });
  const cpu = cpuSeconds("self") + (backendPid ? cpuSeconds(backendPid) : 0) - cpu0;
  const secs = report.elapsedMs / 1000;
  const rows = Object.values(report.changes).reduce((n, c) => n + c.c + c.u + c.d, 0);
  return {
    source,
    mode,
    txPerSec: Math.round(report.operations / secs),
    rowsPerSec: Math.round(rows / secs),
    cpuMsPerTx: (cpu * 1000) / Math.max(report.operations, 1),
    load,
  };
}

const rows: Row[] = [];
const dir = await Deno.makeTempDir();
try {
  const sqlite = openSqlite(`${dir}/source.sqlite`);
  await runSetup({ dialect: "sqlite", source: sqlite });
  rows.push(await measure("SQLite (WAL file)", "max (--rate 0)", sqlite, 0, null));
  rows.push(await measure("SQLite (WAL file)", `paced (--rate ${GOAL})`, sqlite, GOAL, null));
  await sqlite.close();
} finally {
  await Deno.remove(dir, { recursive: true });
}

let pgNote = "";
try {
  const env = stackEnv({ services: ["postgres"] });
  const database = "lakestream_bench_faker";
  const config = { ...env.postgres, database };
  const admin = openPostgres({ ...env.postgres, database: "postgres" });
  await admin.exec(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.close();
  const url = `postgres://${encodeURIComponent(config.user)}:${
    encodeURIComponent(config.password)
  }@${config.host}:${config.port}/${database}`;
  await runSetup({ dialect: "postgres", url, connector: false, names: { publication: "bench_faker" } });
  for (
    const [mode, rate, durable] of [
      ["max (--rate 0)", 0, false],
      [`paced (--rate ${GOAL})`, GOAL, false],
      ["max, --durable (synchronous_commit on)", 0, true],
    ] as const
  ) {
    const db = openPostgres({ ...config, settings: { synchronous_commit: durable ? "on" : "off" } });
    const [{ pid }] = await db.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
    rows.push(await measure("PostgreSQL 15 (stack)", mode, db, rate, pid, durable));
    await db.close();
  }
  const drop = openPostgres({ ...env.postgres, database: "postgres" });
  await drop.exec(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await drop.close();
} catch (e) {
  pgNote = `PostgreSQL not measured: ${(e as Error).message}`;
}

const verdict = (r: Row) =>
  r.mode.startsWith("paced") ? (r.txPerSec >= GOAL * 0.98 ? "met" : "**not met**") : "";
const table = [
  "| source | mode | tx/s | row changes/s | CPU ms per tx | tx/s per idle core | load avg at start | 2,000 tx/s goal |",
  "|---|---|---:|---:|---:|---:|---|---|",
  ...rows.map((r) =>
    `| ${
      [
        r.source,
        r.mode,
        r.txPerSec.toLocaleString("en-US"),
        r.rowsPerSec.toLocaleString("en-US"),
        r.cpuMsPerTx.toFixed(3),
        Math.round(1000 / r.cpuMsPerTx).toLocaleString("en-US"),
        r.load,
        verdict(r),
      ].join(" | ")
    } |`
  ),
].join("\n");
const body = `${table}

Each run: ${SECONDS} s of the default operation mix (seed 7), one connection, one transaction per operation,
against a freshly set-up source. CPU ms per tx counts the faker process and, for PostgreSQL, its backend
process; "tx/s per idle core" is 1000 / that figure, what one otherwise idle core sustains (the faker and the
PostgreSQL backend overlap on two cores, so there it is a floor). The load average (2 cores) shows how busy
the shared machine was: when other work takes most of the CPU, the tx/s columns understate the faker.
PostgreSQL commits asynchronously by default (synchronous_commit=off for the faker's session; operations
pipelined, up to 32 transactions per round trip); the --durable row waits for a WAL flush per commit.
${pgNote ? `\n${pgNote}\n` : ""}`;
console.log(body);
await writeSection("faker-throughput", "Faker throughput (SQLite, PostgreSQL)", body);
