/**
 * Starting the dashboard in-process (used by `deno task web` and `deno task up`): builds the client if its
 * sources changed, reads the lake, serves HTTP and follows the lake until the signal aborts.
 *
 * @module
 */
import { type AuthConfig } from "./auth.ts";
import { buildClient } from "./build_client.ts";
import { LakeDashboard, type LakeDashboardOptions } from "./lake/lake_dashboard.ts";
import { createApp } from "./server.ts";

/** Options of {@linkcode startDashboard}. */
export interface DashboardOptions extends Omit<LakeDashboardOptions, "onError"> {
  /** @default 8000; 0 picks a free port */
  port?: number;
  /** @default "127.0.0.1" */
  hostname?: string;
  /** @default open access */
  auth?: AuthConfig;
  /** Stops the server, the lake reader and every stream. */
  signal?: AbortSignal;
  /** Errors of the background lake reader and unexpected request errors. @default console.error */
  onError?: (error: unknown) => void;
}

/** A running dashboard. */
export interface DashboardServer {
  /** `http://host:port/`. */
  url: string;
  port: number;
  data: LakeDashboard;
  /** Settles when the server and the lake reader have stopped. */
  finished: Promise<void>;
  /** Stops everything (the same as aborting the signal). */
  shutdown(): Promise<void>;
}

/** Removes credentials from a URI before it is shown on a page. */
export function displayUri(uri: string): string {
  return uri.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, "$1");
}

/** Builds, reads the lake and starts serving. Rejects with a clear error when the port is taken. */
export async function startDashboard(options: DashboardOptions): Promise<DashboardServer> {
  const onError = options.onError ?? ((e: unknown) => console.error(e));
  const assets = await buildClient();
  const data = await LakeDashboard.open({ ...options, onError });
  const app = createApp({
    data,
    assets,
    lakeLabel: displayUri(options.lake),
    auth: options.auth,
    onUnexpectedError: (e, req) =>
      onError(new Error(`${req.method} ${new URL(req.url).pathname} failed`, { cause: e })),
  });
  const stop = new AbortController();
  const hostname = options.hostname ?? "127.0.0.1";
  let server: Deno.HttpServer<Deno.NetAddr>;
  try {
    server = Deno.serve({ port: options.port ?? 8000, hostname, onListen() {} }, app.fetch);
  } catch (e) {
    data.hub.close();
    if (e instanceof Deno.errors.AddrInUse) {
      throw new Error(`Cannot start the dashboard on ${hostname}:${options.port}: the port is in use`, {
        cause: e,
      });
    }
    throw e;
  }
  const running = data.run(stop.signal);
  let done: Promise<void> | null = null;
  const shutdown = () => {
    done ??= (async () => {
      stop.abort();
      await running; // closes every SSE stream, so the server can finish its responses
      await server.shutdown();
    })();
    return done;
  };
  options.signal?.addEventListener("abort", () => void shutdown(), { once: true });
  if (options.signal?.aborted) void shutdown();
  const port = server.addr.port;
  return {
    url: `http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${port}/`,
    port,
    data,
    finished: running.then(() => server.finished),
    shutdown,
  };
}
