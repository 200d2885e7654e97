/**
 * The dashboard's HTTP application (Hono): pages, the SSE stream, JSON APIs and static files, behind
 * read-only, authentication and security-header middleware. Errors are mapped to responses in one place.
 *
 * @module
 */
import { Hono } from "hono";
import type { VNode } from "preact";
import type { ClientAssets } from "./build_client.ts";
import type { DashboardData } from "./dashboard_data.ts";
import { type AuthConfig, authenticate } from "./auth.ts";
import { HttpError } from "./http_error.ts";
import { choiceParam, intParam, onlyParams, parseNonNegativeInt, textParam } from "./query.ts";
import { renderPage } from "./render.tsx";
import { SECURITY_HEADERS } from "./security_headers.ts";
import { serveStatic } from "./static_files.ts";
import { CHART_RANGES, type ChartRange } from "./islands/LiveChart.tsx";
import { OverviewPage } from "./routes/OverviewPage.tsx";
import { PipelinePage } from "./routes/PipelinePage.tsx";
import { CustomerPage, CustomerSearchPage } from "./routes/CustomersPage.tsx";
import { LakeIndexPage, LakeTablePage } from "./routes/LakePages.tsx";
import { ErrorPage } from "./routes/ErrorPage.tsx";

/** Options of {@linkcode createApp}. */
export interface AppOptions {
  data: DashboardData;
  assets: ClientAssets;
  /** Where the lake is, as shown on pages (must not contain credentials). */
  lakeLabel: string;
  /** @default {} (open access) */
  auth?: AuthConfig;
  /** Called with unexpected errors (500s); they are never swallowed. @default console.error */
  onUnexpectedError?: (error: unknown, req: Request) => void;
}

const RANGES = Object.keys(CHART_RANGES) as ChartRange[];
const MAX_CUSTOMER_ID = 2 ** 31 - 1;

/** Builds the dashboard application; `app.fetch` is its request handler. */
export function createApp(options: AppOptions): Hono {
  const { data, assets } = options;
  const auth = options.auth ?? {};
  const onUnexpected = options.onUnexpectedError ??
    ((e, req) => console.error(`${req.method} ${req.url}:`, e));
  const app = new Hono();

  const page = (path: string, title: string, body: VNode, status = 200) =>
    renderPage(body, { title, path, assets, doc: data.hub.doc, eventId: data.hub.lastEventId, status });

  // First, so it also covers error responses (Hono settles errors into c.res at the level that threw).
  app.use("*", async (c, next) => {
    await next();
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(k, v);
  });

  app.use("*", async (c, next) => {
    if (c.req.method !== "GET" && c.req.method !== "HEAD") {
      throw new HttpError(405, `Cannot ${c.req.method} ${c.req.path}: the dashboard is read-only`, {
        headers: { allow: "GET, HEAD" },
      });
    }
    if (!c.req.path.startsWith("/static/")) {
      const redirect = authenticate(c.req.raw, auth);
      if (redirect) return redirect;
    }
    await next();
  });

  app.get("/static/*", (c) => serveStatic(c.req.path.slice("/static/".length), c.req.method));

  app.get("/", (c) => {
    const url = new URL(c.req.url);
    onlyParams(url, ["range"]);
    const range = choiceParam(url, "range", RANGES, "1h");
    return page("/", "Overview", OverviewPage({ range }));
  });

  app.get("/pipeline", (c) => {
    onlyParams(new URL(c.req.url), []);
    return page("/pipeline", "Pipeline", PipelinePage());
  });

  app.get("/customers", (c) => {
    const url = new URL(c.req.url);
    onlyParams(url, ["q"]);
    const query = textParam(url, "q", 200);
    // An exact customer id goes straight to that customer.
    if (/^\d{1,10}$/.test(query) && data.customerHistory(Number(query))) {
      return c.redirect(`/customers/${Number(query)}`, 303);
    }
    const results = query === "" ? null : data.searchCustomers(query, 50);
    return page("/customers", "Customers", CustomerSearchPage({ query, results }));
  });

  app.get("/customers/:id", (c) => {
    onlyParams(new URL(c.req.url), []);
    const id = parseNonNegativeInt(c.req.param("id"), "customer id", MAX_CUSTOMER_ID);
    const history = data.customerHistory(id);
    if (!history) throw new HttpError(404, `No customer ${id} in the lake's customers_scd2 table`);
    return page("/customers", history.name, CustomerPage({ history }));
  });

  app.get("/lake", async (c) => {
    onlyParams(new URL(c.req.url), []);
    return page("/lake", "Lake", LakeIndexPage({ lake: options.lakeLabel, tables: await data.listTables() }));
  });

  app.get("/lake/:table", async (c) => {
    const url = new URL(c.req.url);
    onlyParams(url, ["version"]);
    const name = c.req.param("table");
    const version = intParam(url, "version");
    let table;
    try {
      table = await data.describeTable(name, version);
    } catch (e) {
      if (e instanceof RangeError) throw new HttpError(404, e.message, { cause: e });
      throw e;
    }
    if (!table) throw new HttpError(404, `No table "${name}" in the lake`);
    return page("/lake", `${table.name} v${table.version}`, LakeTablePage({ table }));
  });

  app.get("/api/stream", (c) => {
    const url = new URL(c.req.url);
    onlyParams(url, ["since"]);
    // EventSource sends Last-Event-ID on its own reconnects; the first connection carries ?since=.
    return data.hub.respond(c.req.header("last-event-id") ?? url.searchParams.get("since"));
  });

  app.get("/api/health", (c) => {
    onlyParams(new URL(c.req.url), []);
    return c.json(data.health(), 200, { "cache-control": "no-store" });
  });

  app.get("/api/customers", (c) => {
    const url = new URL(c.req.url);
    onlyParams(url, ["q"]);
    const query = textParam(url, "q", 200);
    if (query === "") throw new HttpError(400, 'Missing query parameter "q": a customer id, name or email');
    return c.json(data.searchCustomers(query, 50), 200, { "cache-control": "no-store" });
  });

  app.get("/api/customers/:id", (c) => {
    onlyParams(new URL(c.req.url), []);
    const id = parseNonNegativeInt(c.req.param("id"), "customer id", MAX_CUSTOMER_ID);
    const history = data.customerHistory(id);
    if (!history) throw new HttpError(404, `No customer ${id} in the lake's customers_scd2 table`);
    return c.json(history, 200, { "cache-control": "no-store" });
  });

  app.notFound((c) => {
    throw new HttpError(404, `No page at ${c.req.path}`);
  });

  app.onError((err, c) => {
    const known = err instanceof HttpError;
    if (!known) onUnexpected(err, c.req.raw);
    const status = known ? err.status : 500;
    const message = known ? err.message : "The dashboard failed to answer; the error is in the server log";
    const headers = known ? err.headers : new Headers();
    const wantsHtml = !c.req.path.startsWith("/api/") && !c.req.path.startsWith("/static/") &&
      (c.req.header("accept") ?? "").includes("text/html");
    const res = wantsHtml
      ? page(c.req.path, "Error", ErrorPage({ status, message }), status)
      : Response.json({ error: message }, { status });
    headers.forEach((v, k) => res.headers.set(k, v));
    return res;
  });

  return app;
}
