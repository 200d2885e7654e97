/**
 * Optional authentication of every dashboard request: a bearer token, or HTTP basic auth, configured from the
 * environment. Credentials are compared in constant time and never rendered into a page: a `?token=` visit is
 * turned into an HttpOnly cookie and redirected to the same URL without the token.
 *
 * @module
 */
import { HttpError } from "./http_error.ts";

/** Authentication settings; an empty object means open access. */
export interface AuthConfig {
  /** Accepted as `Authorization: Bearer …`, the `lakestream_token` cookie, or once as `?token=`. */
  token?: string;
  /** HTTP basic auth credentials. */
  basic?: { user: string; password: string };
}

const COOKIE = "lakestream_token";

/** Auth settings from `LAKESTREAM_WEB_TOKEN`, or `LAKESTREAM_WEB_USER` with `LAKESTREAM_WEB_PASSWORD`. */
export function authFromEnv(env: { get(name: string): string | undefined }): AuthConfig {
  const token = env.get("LAKESTREAM_WEB_TOKEN");
  const user = env.get("LAKESTREAM_WEB_USER");
  const password = env.get("LAKESTREAM_WEB_PASSWORD");
  if ((user === undefined) !== (password === undefined)) {
    throw new TypeError("Cannot enable basic auth: set both LAKESTREAM_WEB_USER and LAKESTREAM_WEB_PASSWORD");
  }
  return {
    ...(token ? { token } : {}),
    ...(user !== undefined && password !== undefined ? { basic: { user, password } } : {}),
  };
}

function sameSecret(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

function cookie(req: Request, name: string): string | null {
  for (const part of (req.headers.get("cookie") ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return decodeURIComponent(v.join("="));
  }
  return null;
}

/**
 * Checks one request: null when it may proceed, a redirect response that stores a `?token=` in a cookie, or
 * an HttpError 401.
 */
export function authenticate(req: Request, config: AuthConfig): Response | null {
  if (!config.token && !config.basic) return null;
  const header = req.headers.get("authorization") ?? "";
  if (config.token) {
    const bearer = /^Bearer\s+(.+)$/i.exec(header)?.[1];
    if (bearer !== undefined && sameSecret(bearer, config.token)) return null;
    const fromCookie = cookie(req, COOKIE);
    if (fromCookie !== null && sameSecret(fromCookie, config.token)) return null;
    const url = new URL(req.url);
    const fromQuery = url.searchParams.get("token");
    if (fromQuery !== null && sameSecret(fromQuery, config.token)) {
      url.searchParams.delete("token");
      return new Response(null, {
        status: 303,
        headers: {
          location: url.pathname + url.search,
          "set-cookie": `${COOKIE}=${encodeURIComponent(config.token)}; Path=/; HttpOnly; SameSite=Strict`,
        },
      });
    }
  }
  if (config.basic) {
    const encoded = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header)?.[1];
    if (encoded !== undefined) {
      let decoded = "";
      try {
        decoded = new TextDecoder().decode(Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0)));
      } catch {
        // Not base64: treated like a wrong password below.
      }
      const i = decoded.indexOf(":");
      if (
        i >= 0 && sameSecret(decoded.slice(0, i), config.basic.user) &&
        sameSecret(decoded.slice(i + 1), config.basic.password)
      ) {
        return null;
      }
    }
    throw new HttpError(401, "Sign in to see the dashboard", {
      headers: { "www-authenticate": 'Basic realm="Lakestream", charset="UTF-8"' },
    });
  }
  throw new HttpError(401, "Open the dashboard with its access token: add ?token=… to the address once");
}
