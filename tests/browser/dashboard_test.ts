/**
 * The dashboard in a real browser (Debian's Chromium through playwright-core): every page loads without console
 * errors and hydrates its islands, a commit written to the lake shows on the page within 1 s, the page recovers
 * after a server restart, every view meets WCAG AA text contrast and names its controls and islands.
 * Screenshots of each view go to tests/out/screenshots/ (not committed).
 */
import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { contrastFailures, unnamedElements } from "./accessibility_audit.ts";
import { launchChromium } from "./chromium.ts";
import { type DashboardServer, startDashboard } from "../../web/start_dashboard.ts";
import { commitOrder, createFixtureLake, type FixtureOrder } from "../../web/testing/fixture_lake.ts";

const SHOTS = new URL("../out/screenshots/", import.meta.url);
const LAPTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

interface Env {
  dir: string;
  now: number;
  orders: FixtureOrder[];
  server: DashboardServer;
  browser: Browser;
}

async function withDashboard(fn: (env: Env) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "lakestream-browser-" });
  const now = Date.now();
  const orders = await createFixtureLake(dir, now);
  const server = await startDashboard({ lake: dir, port: 0, pollMs: 500 });
  const browser = await launchChromium();
  try {
    await fn({ dir, now, orders, server, browser });
  } finally {
    await browser.close();
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
}

/** Opens a page, failing the test on any console error or uncaught exception until `done()`. */
async function open(browser: Browser, url: string, viewport = LAPTOP) {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  let watching = true;
  page.on("console", (m) => {
    if (watching && m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => {
    if (watching) errors.push(e.message);
  });
  await page.goto(url);
  await page.waitForSelector("html[data-hydrated]", { timeout: 15_000 });
  return {
    page,
    errors,
    stopWatching: () => watching = false,
  };
}

async function expectHydrated(page: Page): Promise<void> {
  const { islands, hydrated } = await page.evaluate(() => ({
    islands: document.querySelectorAll("x-island").length,
    hydrated: document.querySelectorAll("x-island[data-hydrated]").length,
  }));
  assert.ok(islands > 0, "the page has islands");
  assert.equal(hydrated, islands, "every island hydrated");
}

async function text(page: Page, selector: string): Promise<string> {
  return (await page.locator(selector).first().textContent()) ?? "";
}

async function shot(page: Page, name: string): Promise<void> {
  await Deno.mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: new URL(`${name}.png`, SHOTS).pathname, fullPage: true });
}

Deno.test("every view loads without console errors, hydrates its islands, meets WCAG AA contrast, names its controls and is screenshotted", async () => {
  await withDashboard(async ({ server, browser }) => {
    const views: [string, string, { width: number; height: number }][] = [
      ["overview", "", LAPTOP],
      ["overview-phone", "", PHONE],
      ["pipeline", "pipeline", LAPTOP],
      ["customers-search", "customers?q=a", LAPTOP],
      ["customer-history", "customers/1", LAPTOP],
      ["customer-history-phone", "customers/1", PHONE],
      ["lake", "lake", LAPTOP],
      ["lake-table", "lake/orders", LAPTOP],
      ["lake-time-travel", "lake/customers_scd2?version=0", LAPTOP],
    ];
    for (const [name, path, viewport] of views) {
      const { page, errors } = await open(browser, server.url + path, viewport);
      await expectHydrated(page);
      await page.waitForSelector('[data-testid="connection"]:not(:has-text("Connecting"))', {
        timeout: 10_000,
      });
      await page.waitForTimeout(300);
      await shot(page, name);
      assert.deepEqual(errors, [], `${name}: console errors`);
      assert.deepEqual(await contrastFailures(page), [], `${name}: texts below WCAG AA contrast`);
      assert.deepEqual(
        await unnamedElements(page),
        [],
        `${name}: controls and islands without an accessible name`,
      );
      await page.close();
    }
  });
});

Deno.test("the chart's range is kept in the URL and switches without a reload", async () => {
  await withDashboard(async ({ server, browser }) => {
    const { page, errors } = await open(browser, `${server.url}?range=24h`);
    assert.equal(await text(page, '.segmented a[aria-pressed="true"]'), "24h");
    await page.evaluate(() => (globalThis as unknown as { marker: number }).marker = 1);
    await page.click('.segmented a:has-text("15m")');
    await page.waitForFunction(() => location.search === "?range=15m");
    assert.equal(
      await page.evaluate(() => (globalThis as unknown as { marker?: number }).marker),
      1,
      "no reload",
    );
    assert.equal(await text(page, '.segmented a[aria-pressed="true"]'), "15m");
    assert.ok(await page.locator(".chart canvas").count() > 0, "uPlot drew a canvas");
    assert.deepEqual(errors, []);
  });
});

Deno.test("a commit written to the lake appears on the page within 1 s", async () => {
  await withDashboard(async ({ dir, now, orders, server, browser }) => {
    const { page, errors } = await open(browser, server.url);
    await page.waitForSelector(
      '[data-testid="connection"]:has-text("Live"), [data-testid="connection"]:has-text("Stalled"), [data-testid="connection"]:has-text("Delayed")',
    );
    const before = await text(page, '[data-testid="kpi-orders"] .kpi-value');
    const at = Date.now();
    const order = {
      orderId: 7001,
      customerId: 3,
      productId: 2,
      quantity: 1,
      amount: 4321,
      statusId: 1,
      at: Math.max(at, now),
    };
    const sameMinute = orders.filter((o) => Math.floor(o.at / 60_000) === Math.floor(order.at / 60_000));
    await commitOrder(dir, order, sameMinute);
    const committed = performance.now();
    await page.waitForFunction(
      (prev) => document.querySelector('[data-testid="kpi-orders"] .kpi-value')?.textContent !== prev,
      before,
      { timeout: 5000, polling: "raf" },
    );
    const tileMs = performance.now() - committed;
    await page.waitForSelector('[data-testid="live-feed"] code:has-text("order_id=7001")', { timeout: 5000 });
    const feedMs = performance.now() - committed;
    assert.equal(await text(page, '[data-testid="kpi-orders"] .kpi-value'), String(Number(before) + 1));
    assert.ok(tileMs <= 1000, `KPI tile updated ${tileMs.toFixed(0)} ms after the commit`);
    assert.ok(feedMs <= 1000, `live feed showed the order ${feedMs.toFixed(0)} ms after the commit`);
    await shot(page, "overview-after-commit");
    assert.deepEqual(errors, []);
  });
});

Deno.test("the page shows it is reconnecting while the server is down and recovers after a restart", async () => {
  const dir = await Deno.makeTempDir({ prefix: "lakestream-browser-" });
  const now = Date.now();
  const orders = await createFixtureLake(dir, now);
  let server = await startDashboard({ lake: dir, port: 0, pollMs: 500 });
  const port = server.port;
  const browser = await launchChromium();
  try {
    const { page, errors, stopWatching } = await open(browser, server.url);
    await expectHydrated(page);
    assert.deepEqual(errors, []);
    // Connection errors are expected while the server is down.
    stopWatching();
    await server.shutdown();
    await page.waitForSelector('[data-testid="connection"]:has-text("Reconnecting")', { timeout: 10_000 });
    await shot(page, "reconnecting");
    assert.deepEqual(await contrastFailures(page), [], "the stale page while reconnecting keeps AA contrast");
    server = await startDashboard({ lake: dir, port, pollMs: 500 });
    await page.waitForSelector('[data-testid="connection"]:not(:has-text("Reconnecting"))', {
      timeout: 20_000,
    });
    const order = {
      orderId: 7002,
      customerId: 4,
      productId: 5,
      quantity: 1,
      amount: 1234,
      statusId: 1,
      at: Date.now(),
    };
    await commitOrder(
      dir,
      order,
      orders.filter((o) => Math.floor(o.at / 60_000) === Math.floor(order.at / 60_000)),
    );
    await page.waitForSelector('[data-testid="live-feed"] code:has-text("order_id=7002")', { timeout: 5000 });
  } finally {
    await browser.close();
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the customer page refreshes when the customer's history changes", async () => {
  await withDashboard(async ({ dir, orders, server, browser }) => {
    const { page, errors } = await open(browser, `${server.url}customers/3`);
    const count = () => page.locator('[data-testid="customer-history"] tbody tr').count();
    const before = await count();
    const order = {
      orderId: 7003,
      customerId: 3,
      productId: 1,
      quantity: 1,
      amount: 999,
      statusId: 1,
      at: Date.now(),
    };
    await commitOrder(
      dir,
      order,
      orders.filter((o) => Math.floor(o.at / 60_000) === Math.floor(order.at / 60_000)),
    );
    await page.waitForSelector('[data-testid="customer-history"] :text("ORD-7003")', { timeout: 5000 });
    assert.ok((await count()) >= Math.min(before + 1, 10));
    assert.deepEqual(errors, []);
  });
});

Deno.test("the accessibility audit flags low contrast through transparent layers and unnamed controls", async () => {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.setContent(`<body style="margin:0;background:#fff">
      <p id="ok" style="color:#595959">4.5:1 grey on white passes</p>
      <p id="grey" style="color:#777">#777 on white is 4.48:1</p>
      <h1 style="font-size:24px;color:#949494">large text needs only 3:1</h1>
      <div style="background:#000"><div style="background:rgba(255,255,255,0.5)">
        <span id="veil" style="color:#fff">white on 50% white over black</span></div></div>
      <p id="faded" style="color:rgba(0,0,0,0.3)">30% black text</p>
      <p style="opacity:0.4">dimmed by opacity</p>
      <span style="position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);color:#eee">sr only</span>
      <p style="color:#fff">white on the white canvas</p>
      <input placeholder="faint placeholder" style="color:#000" id="ph">
      <button></button><button aria-label="Close">×</button><label>Name <input></label><input>
    </body>`);
    await page.addStyleTag({ content: "#ph::placeholder { color: #bbb; }" });
    const failures = await contrastFailures(page);
    assert.deepEqual(failures.map((f) => [f.text, f.required]), [
      ["#777 on white is 4.48:1", 4.5],
      ["white on 50% white over black", 4.5],
      ["30% black text", 4.5],
      ["dimmed by opacity", 4.5],
      ["white on the white canvas", 4.5],
      ["faint placeholder", 4.5],
    ]);
    assert.equal(failures[0].ratio, 4.48);
    assert.equal(failures[1].background, "rgba(128, 128, 128, 1)");
    // The placeholder names its field (HTML-AAM's last resort), so only the bare input and button lack a name.
    assert.deepEqual(await unnamedElements(page), ["<button>", "<input>"]);
  } finally {
    await browser.close();
  }
});
