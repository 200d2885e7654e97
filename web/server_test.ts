import assert from "node:assert/strict";
import type { Hono } from "hono";
import { createApp } from "./server.ts";
import { LakeDashboard } from "./lake/lake_dashboard.ts";
import { createFixtureLake } from "./testing/fixture_lake.ts";
import { CSP } from "./security_headers.ts";
import type { AuthConfig } from "./auth.ts";

const NOW = Date.UTC(2026, 4, 1, 12, 0, 0);
const ASSETS = { base: "/static/build/test", hash: "test" };

async function withApp(
  fn: (app: Hono, data: LakeDashboard) => Promise<void>,
  auth: AuthConfig = {},
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "lakestream-web-" });
  try {
    await createFixtureLake(dir, NOW);
    const data = await LakeDashboard.open({ lake: dir, now: () => NOW, hub: { epoch: "t1" } });
    try {
      const app = createApp({
        data,
        assets: ASSETS,
        lakeLabel: dir,
        auth,
        onUnexpectedError: (e) => {
          throw e;
        },
      });
      await fn(app, data);
    } finally {
      data.hub.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const html = { headers: { accept: "text/html" } };

Deno.test("createApp() renders every page with its islands, their state and the boot script", async () => {
  await withApp(async (app) => {
    const cases: [string, string[]][] = [
      ["/", ["StatusBar", "KpiTiles", "LiveChart", "TopProducts", "StatusFunnel", "LowStock", "LiveFeed"]],
      ["/pipeline", ["StatusBar", "PipelineHealth"]],
      ["/customers/1", ["StatusBar", "CustomerTimeline"]],
      ["/customers", ["StatusBar"]],
      ["/lake", ["StatusBar"]],
      ["/lake/orders", ["StatusBar"]],
    ];
    for (const [path, islands] of cases) {
      const res = await app.request(path, html);
      assert.equal(res.status, 200, path);
      const body = await res.text();
      const found = [...body.matchAll(/<x-island data-island="(\w+)"/g)].map((m) => m[1]);
      assert.deepEqual(found.sort(), [...islands].sort(), path);
      assert.match(body, /<script type="application\/json" id="lakestream-state">\{"id":"t1\.\d+"/, path);
      assert.match(
        body,
        /<script type="module" src="\/static\/build\/test\/boot\.js"><\/script><\/body>/,
        path,
      );
    }
  });
});

Deno.test("createApp() server-renders lake data into the pages", async () => {
  await withApp(async (app) => {
    const overview = await (await app.request("/", html)).text();
    assert.match(overview, /Revenue today<\/h2><p class="kpi-value">\$3,899\.28<\/p>/);
    assert.match(overview, /Desk Lamp/);
    assert.match(overview, /Wireless Headphones/, "out-of-stock product listed as low stock");
    const customer = await (await app.request("/customers/1", html)).text();
    assert.match(customer, /Version 3/);
    assert.match(customer, /ada\.lovelace2@example\.com/);
    const lake = await (await app.request("/lake/orders?version=0", html)).text();
    assert.match(lake, /Version 0 of 1 \(time travel\)/);
    assert.match(lake, /The table has no rows at this version/);
    const search = await app.request("/customers?q=1", html);
    assert.equal(search.status, 303);
    assert.equal(search.headers.get("location"), "/customers/1");
    assert.match(
      await (await app.request("/customers?q=GRACE", html)).text(),
      /href="\/customers\/3">Grace Hopper/,
    );
  });
});

Deno.test("createApp() answers bad parameters with 400 and a message naming them", async () => {
  await withApp(async (app) => {
    const cases: [string, number, RegExp][] = [
      ["/?range=2h", 400, /Bad range "2h": expected one of 15m, 1h, 24h/],
      ["/?foo=1", 400, /Unknown query parameter "foo": expected "range"/],
      ["/api/customers/abc", 400, /Bad customer id "abc": expected an integer from 0 to 2147483647/],
      ["/api/customers/99", 404, /No customer 99 in the lake's customers_scd2 table/],
      ["/api/customers", 400, /Missing query parameter "q"/],
      ["/lake/orders?version=x", 400, /Bad version "x"/],
      ["/lake/orders?version=7", 404, /Table "orders" has no version 7: its latest version is 1/],
      ["/lake/..%2Fsecrets", 404, /No table/],
      ["/api/nothing", 404, /No page at \/api\/nothing/],
      ["/static/..%2Fserver.ts", 404, /No static file|No page/],
    ];
    for (const [path, status, message] of cases) {
      const res = await app.request(path);
      assert.equal(res.status, status, path);
      assert.match((await res.json()).error, message, path);
    }
    const page = await app.request("/?range=2h", html);
    assert.equal(page.status, 400);
    assert.match(await page.text(), /role="alert".*Bad range/s);
  });
});

Deno.test("createApp() is read-only and sets security headers on every response", async () => {
  await withApp(async (app) => {
    const post = await app.request("/", { method: "POST" });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get("allow"), "GET, HEAD");
    await post.body?.cancel();
    for (const path of ["/", "/api/health", "/nope", "/static/favicon.svg"]) {
      const res = await app.request(path);
      await res.body?.cancel();
      assert.equal(res.headers.get("content-security-policy"), CSP, path);
      assert.equal(res.headers.get("x-content-type-options"), "nosniff", path);
      assert.equal(res.headers.get("x-frame-options"), "DENY", path);
    }
    assert.doesNotMatch(CSP, /unsafe/);
  });
});

Deno.test("GET /api/health reports each table's version and the data freshness", async () => {
  await withApp(async (app) => {
    const res = await app.request("/api/health");
    assert.equal(res.headers.get("cache-control"), "no-store");
    const health = await res.json();
    assert.equal(health.status, "ok");
    assert.equal(health.tables.length, 13);
    assert.equal(health.tables.find((t: { name: string }) => t.name === "orders")?.version, 1);
    assert.equal(typeof health.freshness.ageMs, "number");
    assert.equal(health.freshness.level, "fresh");
  });
});

Deno.test("GET /api/stream sends the snapshot, or only what a known id missed", async () => {
  await withApp(async (app, data) => {
    const res = await app.request("/api/stream");
    assert.equal(res.headers.get("content-type"), "text/event-stream; charset=utf-8");
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    assert.match(first, /^retry: \d+\n\nevent: snapshot\nid: t1\.\d+\ndata: \{"status"/);
    await reader.cancel();
    const resumed = await app.request("/api/stream", { headers: { "last-event-id": data.hub.lastEventId } });
    const r2 = resumed.body!.getReader();
    data.hub.publish({ set: { funnel: { stages: [], total: 0 } } });
    let text = "";
    while (!text.includes("event: patch")) text += new TextDecoder().decode((await r2.read()).value);
    assert.doesNotMatch(text, /event: snapshot/);
    assert.match(text, /event: patch\nid: t1\.\d+\ndata: \{"set":\{"funnel"/);
    await r2.cancel();
  });
});

Deno.test("createApp() with a token: 401 without it, a cookie after ?token=, never the token in a page", async () => {
  await withApp(async (app) => {
    const denied = await app.request("/", html);
    assert.equal(denied.status, 401);
    assert.doesNotMatch(await denied.text(), /s3cret-t0ken/);
    const login = await app.request("/pipeline?token=s3cret-t0ken");
    assert.equal(login.status, 303);
    assert.equal(login.headers.get("location"), "/pipeline");
    const cookie = login.headers.get("set-cookie")!;
    assert.match(cookie, /HttpOnly/);
    const page = await app.request("/pipeline", { headers: { cookie: cookie.split(";")[0] } });
    assert.equal(page.status, 200);
    assert.doesNotMatch(await page.text(), /s3cret-t0ken/);
    const bearer = await app.request("/api/health", { headers: { authorization: "Bearer s3cret-t0ken" } });
    assert.equal(bearer.status, 200);
    await bearer.body?.cancel();
    const asset = await app.request("/static/favicon.svg");
    assert.equal(asset.status, 200, "static assets need no token");
    await asset.body?.cancel();
  }, { token: "s3cret-t0ken" });
});

Deno.test("createApp() with basic auth asks for credentials and accepts the right ones", async () => {
  await withApp(async (app) => {
    const denied = await app.request("/api/health");
    assert.equal(denied.status, 401);
    assert.match(denied.headers.get("www-authenticate") ?? "", /^Basic realm="Lakestream"/);
    await denied.body?.cancel();
    const wrong = await app.request("/api/health", {
      headers: { authorization: `Basic ${btoa("ops:nope")}` },
    });
    assert.equal(wrong.status, 401);
    await wrong.body?.cancel();
    const ok = await app.request("/api/health", { headers: { authorization: `Basic ${btoa("ops:pa:ss")}` } });
    assert.equal(ok.status, 200);
    await ok.body?.cancel();
  }, { basic: { user: "ops", password: "pa:ss" } });
});
