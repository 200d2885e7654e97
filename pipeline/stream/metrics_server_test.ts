import assert from "node:assert/strict";
import { metricsHandler, serveMetrics } from "./metrics_server.ts";

Deno.test("metricsHandler() serves /metrics as Prometheus text and /health as JSON", async () => {
  let ok = true;
  const handle = metricsHandler(() => "x 1\n", () => ({ ok, lastBatch: 3 }));
  const m = handle(new Request("http://h/metrics"));
  assert.equal(m.headers.get("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  assert.equal(await m.text(), "x 1\n");
  assert.deepEqual(await handle(new Request("http://h/health")).json(), { ok: true, lastBatch: 3 });
  ok = false;
  assert.equal(handle(new Request("http://h/health")).status, 503);
  assert.equal(handle(new Request("http://h/other")).status, 404);
  assert.equal(handle(new Request("http://h/metrics", { method: "POST" })).status, 405);
});

Deno.test("serveMetrics() listens on a free port until its signal is aborted", async () => {
  const stop = new AbortController();
  const server = serveMetrics({
    port: 0,
    render: () => "y 2\n",
    health: () => ({ ok: true }),
    signal: stop.signal,
  });
  try {
    const r = await fetch(`${server.url}/metrics`);
    assert.equal(await r.text(), "y 2\n");
  } finally {
    stop.abort();
    await server.finished;
  }
});
