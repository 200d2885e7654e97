/**
 * `deno task test`: the one gate. Format, lint and type checks, then every test suite against real components
 * (it starts the local stack itself and stops it again if it started it). A skipped or ignored test counts as
 * failed, a suite that cannot run fails, and the last line is always `N passed, N failed`.
 *
 * Usage: deno task test [suite…]   (suites: checks, unit, integration, interop, browser, e2e)
 *
 * @module
 */
import { parseJunit } from "./junit.ts";

interface Suite {
  name: string;
  /** Folders whose `*_test.ts(x)` files make up the suite. */
  paths: string[];
  /** Run test files in parallel processes (only for suites whose tests share no external state). */
  parallel: boolean;
  /** Whether the suite talks to the local stack (Kafka, Connect, PostgreSQL, MinIO). */
  stack: boolean;
  timeoutMinutes: number;
}

const SUITES: Suite[] = [
  {
    name: "unit",
    paths: ["pipeline", "web", "scripts", "bench"],
    parallel: true,
    stack: false,
    timeoutMinutes: 15,
  },
  { name: "integration", paths: ["tests/integration"], parallel: false, stack: true, timeoutMinutes: 20 },
  { name: "interop", paths: ["tests/interop"], parallel: false, stack: true, timeoutMinutes: 20 },
  { name: "browser", paths: ["tests/browser"], parallel: false, stack: false, timeoutMinutes: 10 },
  { name: "e2e", paths: ["tests/e2e"], parallel: false, stack: false, timeoutMinutes: 15 },
];

const ROOT = new URL("../../", import.meta.url).pathname;
const OUT = `${ROOT}tests/out/`;
const deno = Deno.execPath();

interface Tally {
  passed: number;
  failed: string[];
}
const tally: Tally = { passed: 0, failed: [] };

function record(name: string, ok: boolean, detail = ""): void {
  if (ok) tally.passed++;
  else tally.failed.push(detail ? `${name}: ${detail}` : name);
  console.log(`${ok ? "✔" : "✘"} ${name}${!ok && detail ? ` — ${detail}` : ""}`);
}

/** Runs a command with inherited output; resolves to its exit code, or null when it timed out and was killed. */
async function run(
  args: string[],
  timeoutMinutes: number,
  env: Record<string, string> = {},
): Promise<number | null> {
  const child = new Deno.Command(args[0], { args: args.slice(1), cwd: ROOT, env, stdin: "null" }).spawn();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      child.kill("SIGKILL");
    } catch {
      // Already exited between the timer firing and the kill: nothing to stop.
    }
  }, timeoutMinutes * 60_000);
  const status = await child.status;
  clearTimeout(timer);
  return timedOut ? null : status.code;
}

async function testFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  async function walk(path: string): Promise<void> {
    let entries: AsyncIterable<Deno.DirEntry>;
    try {
      entries = Deno.readDir(path);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return;
      throw e;
    }
    try {
      for await (const e of entries) {
        const p = `${path}/${e.name}`;
        if (e.isDirectory && !e.name.startsWith(".") && e.name !== "node_modules" && e.name !== "out") {
          await walk(p);
        } else if (e.isFile && /_test\.tsx?$/.test(e.name)) found.push(p.slice(ROOT.length));
      }
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
  }
  await walk(`${ROOT}${dir}`);
  return found.sort();
}

async function runChecks(): Promise<void> {
  console.log("\n== checks ==");
  record("deno fmt --check", (await run([deno, "fmt", "--check"], 5)) === 0);
  record("deno lint", (await run([deno, "lint"], 5)) === 0);
  record("deno check", (await run([deno, "check", "."], 10)) === 0);
}

async function runSuite(suite: Suite): Promise<void> {
  console.log(`\n== ${suite.name} ==`);
  const files = (await Promise.all(suite.paths.map(testFiles))).flat();
  if (files.length === 0) {
    // A suite that finds nothing to run has lost its tests (a moved folder, a renamed file): that is a failure.
    record(`${suite.name} suite`, false, `no *_test.ts files under ${suite.paths.join(", ")}`);
    return;
  }
  const junit = `${OUT}${suite.name}.xml`;
  await Deno.remove(junit).catch(() => {});
  // Type errors are reported once by `deno check`; --no-check keeps one broken file from hiding every other result.
  const args = [deno, "test", "-A", "--no-check", `--junit-path=${junit}`];
  if (suite.parallel) args.push("--parallel");
  const code = await run([...args, ...files], suite.timeoutMinutes);
  let cases: ReturnType<typeof parseJunit> = [];
  try {
    cases = parseJunit(await Deno.readTextFile(junit));
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  for (const c of cases) {
    if (c.outcome === "passed") tally.passed++;
    else {tally.failed.push(
        `${suite.name}: ${c.file} ${c.name}${c.outcome === "skipped" ? " (skipped)" : ""}`,
      );}
  }
  const failedHere = cases.filter((c) => c.outcome !== "passed").length;
  if (code === null) record(`${suite.name} suite`, false, `killed after ${suite.timeoutMinutes} minutes`);
  else if (code !== 0 && failedHere === 0) {
    record(`${suite.name} suite`, false, `deno test exited with code ${code}`);
  }
  console.log(`${suite.name}: ${cases.length - failedHere} passed, ${failedHere} failed or skipped`);
}

async function stack(command: "up" | "down" | "status"): Promise<boolean> {
  return (await run([deno, "run", "-A", "scripts/stack/main.ts", command], 30)) === 0;
}

async function main(): Promise<number> {
  const wanted = new Set(Deno.args);
  for (const w of wanted) {
    if (w !== "checks" && !SUITES.some((s) => s.name === w)) {
      console.error(`Unknown suite "${w}": expected checks, ${SUITES.map((s) => s.name).join(", ")}`);
      return 2;
    }
  }
  const selected = (name: string) => wanted.size === 0 || wanted.has(name);
  await Deno.mkdir(OUT, { recursive: true });

  if (selected("checks")) await runChecks();

  const suites = SUITES.filter((s) => selected(s.name));
  let startedStack = false;
  if (suites.some((s) => s.stack)) {
    console.log("\n== stack ==");
    const alreadyUp = await stack("status");
    const up = alreadyUp || await stack("up");
    startedStack = up && !alreadyUp;
    record("local stack up", up, up ? "" : "see `deno task stack status` and .stack/logs");
  }
  try {
    for (const suite of suites) await runSuite(suite);
  } finally {
    if (startedStack) await stack("down");
  }

  if (tally.failed.length > 0) {
    console.log("\nFailures:");
    for (const f of tally.failed) console.log(`  ✘ ${f}`);
  }
  console.log(`\n${tally.passed} passed, ${tally.failed.length} failed`);
  return tally.failed.length === 0 ? 0 : 1;
}

Deno.exit(await main());
