/**
 * End to end: `deno task up` on the embedded stack, as a user runs it, on a temporary data directory and a free
 * port. A full run, then a run killed with SIGKILL mid-run, then a full run again on the same directory: after
 * each full run the lake agrees with the SQLite source (mirrors, customers_scd2, aggregates), and while the
 * platform runs the dashboard answers /api/health with fresh data.
 */
import assert from "node:assert/strict";
import type { HealthReport } from "../../web/mod.ts";
import { assertLakeAgreesWithSource } from "./_lake_agreement.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const DURATION_S = 30;

interface UpProcess {
  child: Deno.ChildProcess;
  /** The dashboard URL printed by `up`. */
  url: Promise<string>;
  /** Everything printed so far (stdout and stderr). */
  output(): string;
  /** Exit code. */
  code: Promise<number>;
}

async function pump(stream: ReadableStream<Uint8Array>, sink: (text: string) => void): Promise<void> {
  const decoder = new TextDecoder();
  for await (const chunk of stream) sink(decoder.decode(chunk, { stream: true }));
}

/** The `up` task's command line after `deno` (`run -A … scripts/up/main.ts`), from deno.json. */
async function upTaskArgs(): Promise<string[]> {
  const { tasks } = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`)) as { tasks: { up: string } };
  const [deno, ...args] = tasks.up.split(/\s+/);
  assert.equal(deno, "deno", `the up task does not start with deno: ${tasks.up}`);
  return args;
}

/**
 * Starts `deno task up` with `args`; `direct` runs the task's command itself (as deno.json defines it) so that a
 * SIGKILL reaches the platform's process and not only the task runner.
 */
async function startUp(args: string[], direct = false): Promise<UpProcess> {
  const command = direct ? await upTaskArgs() : ["task", "up"];
  const child = new Deno.Command(Deno.execPath(), {
    args: [...command, ...args],
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  let text = "";
  let resolveUrl: (url: string) => void;
  const url = new Promise<string>((resolve) => (resolveUrl = resolve));
  const onText = (chunk: string) => {
    text += chunk;
    const m = /Dashboard: (http:\/\/\S+\/)/.exec(text);
    if (m) resolveUrl(m[1]);
  };
  const pumped = Promise.all([pump(child.stdout, onText), pump(child.stderr, onText)]);
  const code = child.status.then(async (s) => {
    await pumped;
    return s.code;
  });
  return {
    child,
    url: Promise.race([
      url,
      code.then((c) =>
        Promise.reject(new Error(`up exited with ${c} before printing the dashboard URL:\n${text}`))
      ),
    ]),
    output: () => text,
    code,
  };
}

async function health(url: string): Promise<HealthReport> {
  const res = await fetch(`${url}api/health`);
  assert.equal(res.status, 200);
  return await res.json() as HealthReport;
}

/** Polls /api/health until the lake has tables and fresh data (a commit less than 5 s old). */
async function waitForFreshData(url: string, timeoutMs: number): Promise<HealthReport> {
  const deadline = Date.now() + timeoutMs;
  let last: HealthReport | null = null;
  while (Date.now() < deadline) {
    last = await health(url);
    if (last.status === "ok" && last.freshness.level === "fresh" && last.tables.some((t) => t.version > 0)) {
      return last;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(
    `No fresh data on ${url}api/health within ${timeoutMs} ms; last answer: ${JSON.stringify(last)}`,
  );
}

async function fullRun(data: string, label: string): Promise<void> {
  const up = await startUp(["--data", data, "--port", "0", "--duration", String(DURATION_S)]);
  try {
    const url = await up.url;
    const fresh = await waitForFreshData(url, 20_000);
    assert.ok(fresh.tables.some((t) => t.name === "customers_scd2"), JSON.stringify(fresh.tables));
    const code = await up.code;
    assert.equal(code, 0, `${label}: up exited with ${code}:\n${up.output()}`);
  } catch (e) {
    up.child.kill("SIGKILL");
    await up.code;
    throw new Error(`${label} failed; output of up:\n${up.output()}`, { cause: e });
  }
}

Deno.test("deno task up: the lake agrees with the source after a run, and after a kill -9 and a rerun", async (t) => {
  const data = await Deno.makeTempDir({ prefix: "lakestream-e2e-up-" });
  try {
    await t.step("a full run of --duration 30 ends in agreement", async () => {
      await fullRun(data, "first run");
      const agreement = await assertLakeAgreesWithSource(data);
      assert.ok(
        agreement.changes > 0 && agreement.mirrorRows > 0 && agreement.aggregateRows > 0,
        JSON.stringify(agreement),
      );
    });

    await t.step("a run killed with SIGKILL mid-run, then a full run, ends in agreement", async () => {
      const before = await assertLakeAgreesWithSource(data);
      const killed = await startUp(["--data", data, "--port", "0", "--duration", String(DURATION_S)], true);
      try {
        await waitForFreshData(await killed.url, 20_000);
        // Mid-run: the faker is writing and the processor committing.
        await new Promise((r) => setTimeout(r, 4_000 + Math.random() * 6_000));
      } finally {
        killed.child.kill("SIGKILL");
      }
      assert.equal(await killed.code, 137, killed.output());
      await fullRun(data, "run after the kill");
      const after = await assertLakeAgreesWithSource(data);
      assert.ok(after.changes > before.changes, `no new changes: ${JSON.stringify({ before, after })}`);
    });
  } finally {
    await Deno.remove(data, { recursive: true });
  }
});
