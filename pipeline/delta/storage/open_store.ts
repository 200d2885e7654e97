import { LocalStore } from "./local_store.ts";
import type { ObjectStore } from "./object_store.ts";
import { S3Http, type S3Settings, s3SettingsFromEnv } from "./s3_http.ts";
import { S3Store } from "./s3_store.ts";

/** Options for {@linkcode openStore}. */
export interface OpenStoreOptions {
  /** S3 settings; by default read from the AWS_* environment variables. */
  s3?: S3Settings;
  /** Base directory for relative local paths. @default Deno.cwd() */
  cwd?: string;
  /**
   * The S3 client for these settings, e.g. one shared by every table of a lake (credentials resolved once).
   * @default a new client per store
   */
  s3Client?: (settings: S3Settings) => S3Http;
}

/**
 * An `s3Client` option that creates one client on first use and gives it to every store opened with it (the
 * tables of one lake share the settings).
 */
export function sharedS3Client(): (settings: S3Settings) => S3Http {
  let client: S3Http | undefined;
  return (settings) => client ??= new S3Http(settings);
}

/**
 * The {@linkcode ObjectStore} rooted at a table URI: `s3://bucket/prefix` (S3/MinIO, settings from the
 * standard AWS variables), `file:///abs/path`, or a local path (absolute or relative to `cwd`).
 *
 * @example
 * ```ts
 * const store = openStore("s3://lake/orders"); // AWS_ENDPOINT_URL=http://127.0.0.1:19000 for MinIO
 * ```
 */
export function openStore(uri: string, options: OpenStoreOptions = {}): ObjectStore {
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(uri)?.[1]?.toLowerCase();
  if (scheme === "s3" || scheme === "s3a") {
    const rest = uri.slice(scheme.length + 3);
    const slash = rest.indexOf("/");
    const bucket = slash < 0 ? rest : rest.slice(0, slash);
    if (bucket === "") throw new TypeError(`Cannot open "${uri}": the S3 URI has no bucket`);
    const prefix = slash < 0 ? "" : rest.slice(slash + 1).replace(/\/+$/, "");
    const settings = options.s3 ?? s3SettingsFromEnv();
    return new S3Store(
      { ...settings, bucket, prefix },
      (options.s3Client ?? ((s) => new S3Http(s)))(settings),
    );
  }
  if (scheme === "file") {
    const url = new URL(uri);
    if (url.host !== "" && url.host !== "localhost") {
      throw new TypeError(`Cannot open "${uri}": file URIs must name a local path (file:///…)`);
    }
    return new LocalStore(decodeURIComponent(url.pathname));
  }
  if (scheme !== undefined) {
    throw new TypeError(
      `Cannot open "${uri}": unsupported scheme "${scheme}" (use a local path, file:// or s3://)`,
    );
  }
  if (uri === "") throw new TypeError("Cannot open a table: the URI is empty");
  const base = options.cwd ?? Deno.cwd();
  return new LocalStore(uri.startsWith("/") ? uri : `${base.replace(/\/+$/, "")}/${uri}`);
}
