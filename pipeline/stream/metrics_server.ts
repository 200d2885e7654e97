/**
 * The processor's HTTP endpoint: `GET /metrics` (Prometheus text format) and `GET /health` (JSON).
 *
 * @module
 */

/** Options of {@linkcode serveMetrics}. */
export interface MetricsServerOptions {
  /** 0 picks a free port. */
  port: number;
  /** @default "127.0.0.1" */
  hostname?: string;
  /** The metrics text. */
  render: () => string;
  /** The health document (served with 200 when `ok`, else 503). */
  health: () => { ok: boolean } & Record<string, unknown>;
  /** Stops the server. */
  signal: AbortSignal;
}

/** A running metrics server. */
export interface MetricsServer {
  /** Base URL, e.g. `http://127.0.0.1:9464`. */
  url: string;
  /** Resolves once the server has shut down (after `signal` is aborted). */
  finished: Promise<void>;
}

/** The request handler (pure: no server needed to test it). */
export function metricsHandler(
  render: () => string,
  health: () => { ok: boolean } & Record<string, unknown>,
): (req: Request) => Response {
  return (req) => {
    const path = new URL(req.url).pathname;
    if (req.method !== "GET" && req.method !== "HEAD") {
      return new Response("Method not allowed\n", { status: 405, headers: { allow: "GET, HEAD" } });
    }
    if (path === "/metrics") {
      return new Response(render(), {
        headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8" },
      });
    }
    if (path === "/health") {
      const h = health();
      return Response.json(h, { status: h.ok ? 200 : 503 });
    }
    return new Response("Not found: try /metrics or /health\n", { status: 404 });
  };
}

/** Serves {@linkcode metricsHandler} until `signal` is aborted. */
export function serveMetrics(options: MetricsServerOptions): MetricsServer {
  const server = Deno.serve({
    port: options.port,
    hostname: options.hostname ?? "127.0.0.1",
    signal: options.signal,
    onListen: () => {},
  }, metricsHandler(options.render, options.health));
  const addr = server.addr as Deno.NetAddr;
  const host = addr.hostname.includes(":") ? `[${addr.hostname}]` : addr.hostname;
  return { url: `http://${host}:${addr.port}`, finished: server.finished };
}
