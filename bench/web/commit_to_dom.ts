/**
 * Benchmark: Delta commit → DOM update latency of the dashboard (goal p99 ≤ 250 ms).
 *
 * Writes a fixture lake, starts the dashboard, opens the overview in headless Chromium and commits new orders
 * (the `orders` mirror and the `sales_per_minute` minute, as the processor does). A MutationObserver in the page
 * stamps each change of the "Orders today" tile with the wall clock; the latency of a commit is that stamp
 * minus the time its last table commit returned. Same machine, same clock.
 *
 * Run alone: `deno run -A bench/web/commit_to_dom.ts [--commits N]` (writes its section of bench/RESULTS.md).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { writeSection } from "../results.ts";
import { launchChromium } from "../../tests/browser/chromium.ts";
import { startDashboard } from "../../web/start_dashboard.ts";
import { commitOrder, createFixtureLake, type FixtureOrder } from "../../web/testing/fixture_lake.ts";

const GOAL_P99_MS = 250;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Runs the benchmark; returns the latencies in ms (commit returned → DOM changed). */
export async function benchCommitToDom(
  commits: number,
): Promise<{ latencies: number[]; fromStart: number[] }> {
  const dir = await Deno.makeTempDir({ prefix: "lakestream-bench-web-" });
  const now = Date.now();
  const orders = await createFixtureLake(dir, now);
  const server = await startDashboard({ lake: dir, port: 0 });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(server.url);
    await page.waitForSelector("html[data-hydrated]");
    await page.waitForSelector('[data-testid="connection"]:not(:has-text("Connecting"))');
    await page.evaluate(() => {
      const w = globalThis as unknown as { changes: { at: number; text: string }[] };
      w.changes = [];
      const el = document.querySelector('[data-testid="kpi-orders"] .kpi-value')!;
      new MutationObserver(() => w.changes.push({ at: Date.now(), text: el.textContent ?? "" }))
        .observe(el, { characterData: true, childList: true, subtree: true });
    });
    const latencies: number[] = [];
    const fromStart: number[] = [];
    const minuteOrders: FixtureOrder[] = orders.filter((o) =>
      Math.floor(o.at / 60_000) === Math.floor(now / 60_000)
    );
    let count = orders.filter((o) => o.at >= Math.floor(now / 86_400_000) * 86_400_000).length;
    for (let i = 0; i < commits; i++) {
      const at = Date.now();
      const order: FixtureOrder = {
        orderId: 100_000 + i,
        customerId: 1 + (i % 6),
        productId: 1 + (i % 12),
        quantity: 1,
        amount: 1000 + i,
        statusId: 1,
        at,
      };
      const same = minuteOrders.filter((o) => Math.floor(o.at / 60_000) === Math.floor(at / 60_000));
      const start = Date.now();
      await commitOrder(dir, order, same);
      const committed = Date.now();
      minuteOrders.push(order);
      // A day boundary during the run resets "today": count from the page instead of assuming.
      count = Math.floor(at / 86_400_000) === Math.floor(now / 86_400_000) ? count + 1 : 1;
      const expected = String(count);
      const handle = await page.waitForFunction(
        (want) => {
          const w = globalThis as unknown as { changes: { at: number; text: string }[] };
          return w.changes.find((c) => c.text.replaceAll(",", "") === want)?.at ?? false;
        },
        expected,
        { timeout: 10_000, polling: 10 },
      );
      const domAt = (await handle.jsonValue()) as number;
      latencies.push(Math.max(0, domAt - committed));
      fromStart.push(domAt - start);
      await new Promise((r) => setTimeout(r, 150));
    }
    return { latencies, fromStart };
  } finally {
    await browser.close();
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) {
  const { values } = parseArgs({ args: Deno.args, options: { commits: { type: "string", default: "100" } } });
  const commits = Number(values.commits);
  if (!Number.isInteger(commits) || commits < 1) {
    console.error(`Bad --commits "${values.commits}": expected a positive integer`);
    Deno.exit(2);
  }
  const { latencies, fromStart } = await benchCommitToDom(commits);
  const s = [...latencies].sort((a, b) => a - b);
  const f = [...fromStart].sort((a, b) => a - b);
  const p99 = percentile(s, 99);
  const row = (name: string, v: number[]) =>
    `| ${name} | ${percentile(v, 50)} | ${percentile(v, 95)} | ${percentile(v, 99)} | ${v[v.length - 1]} |`;
  const body =
    `${commits} commits of a new order (\`orders\` upsert + \`sales_per_minute\` upsert) on a local lake, the
overview open in headless Chromium; latency = MutationObserver stamp of the "Orders today" tile − the moment the
commit returned. Detection by file events on the lake folder (polling every 1 s as a fallback).

| ms | p50 | p95 | p99 | max |
| --- | --- | --- | --- | --- |
${row("commit returned → DOM", s)}
${row("commit started → DOM (includes the writer)", f)}

Goal p99 ≤ ${GOAL_P99_MS} ms: ${p99 <= GOAL_P99_MS ? "met" : "**not met**"}.`;
  console.log(body);
  await writeSection("web-commit-to-dom", "Dashboard: Delta commit → DOM update", body);
}
