/**
 * S3 requests over `fetch`, signed by the AWS SDK's SigV4 signer (@smithy/signature-v4).
 *
 * The object store needs six calls (GET, HEAD, PUT, conditional PUT, LIST, DELETE). Sent through
 * @aws-sdk/client-s3 each cost 1.2–3.3 ms of CPU (its middleware, endpoint rules and serializers) and the
 * client took 140–210 ms to load; signed by the same SDK's signer and sent with `fetch` they cost 0.35–0.85 ms
 * (bench/out measurement against MinIO, 2,000-byte objects), which a stream batch of ~100 calls and a
 * process start feel.
 *
 * @module
 */
import { createHash, createHmac, type Hash, type Hmac } from "node:crypto";
import { SignatureV4 } from "@smithy/signature-v4";

/** Connection settings of an S3-compatible service. */
export interface S3Settings {
  /** e.g. `http://127.0.0.1:19000` for MinIO; unset for AWS. */
  endpoint?: string;
  /** @default "us-east-1" */
  region?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  /** With the access key: temporary credentials' session token. */
  sessionToken?: string;
  /** Path-style addressing (`endpoint/bucket/key`), which MinIO needs. @default true when an endpoint is set */
  forcePathStyle?: boolean;
}

/** Options of {@linkcode S3Http}. */
export interface S3HttpOptions extends S3Settings {
  /** Attempts of a request that meets a network error, a timeout, 5xx or 429 (see {@linkcode S3Request}). @default 3 */
  maxAttempts?: number;
  /** The HTTP client. @default globalThis.fetch */
  fetch?: typeof fetch;
}

/** Reads S3 settings from the standard AWS variables (AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, …). */
export function s3SettingsFromEnv(env: { get(name: string): string | undefined } = Deno.env): S3Settings {
  return {
    endpoint: env.get("AWS_ENDPOINT_URL_S3") ?? env.get("AWS_ENDPOINT_URL"),
    region: env.get("AWS_REGION") ?? env.get("AWS_DEFAULT_REGION"),
    accessKeyId: env.get("AWS_ACCESS_KEY_ID"),
    secretAccessKey: env.get("AWS_SECRET_ACCESS_KEY"),
    sessionToken: env.get("AWS_SESSION_TOKEN"),
  };
}

/** One request: an object key (or none, for the bucket) and what goes with it. */
export interface S3Request {
  method: "GET" | "HEAD" | "PUT" | "POST" | "DELETE";
  bucket: string;
  /** The object key; "" addresses the bucket (LIST, multi-object DELETE). */
  key: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: Uint8Array;
  /** Per attempt. @default 30000 */
  timeoutMs?: number;
  /**
   * Attempts for this request: 1 for a call whose outcome the caller resolves itself (a conditional PUT).
   * @default the client's maxAttempts
   */
  maxAttempts?: number;
}

/** A response: status, headers and the whole body. */
export interface S3Response {
  status: number;
  headers: Headers;
  body: Uint8Array;
  /** Attempts it took (> 1 after retries). */
  attempts: number;
}

/**
 * An S3 request that failed: `status` is the HTTP status (undefined when no response came: a network error or
 * a timeout, whose outcome is unknown), `code` S3's error code (`NoSuchKey`, `PreconditionFailed`, …).
 */
export class S3RequestError extends Error {
  readonly status: number | undefined;
  readonly code: string;
  readonly attempts: number;
  constructor(
    message: string,
    status: number | undefined,
    code: string,
    attempts: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "S3RequestError";
    this.status = status;
    this.code = code;
    this.attempts = attempts;
  }
}

type SourceData = string | ArrayBuffer | ArrayBufferView;

function bytesOf(data: SourceData): string | Uint8Array {
  if (typeof data === "string") return data;
  return ArrayBuffer.isView(data)
    ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    : new Uint8Array(data);
}

/** SHA-256 (or HMAC-SHA-256 with a secret) for the signer, on node:crypto. */
class Sha256 {
  readonly #secret?: string | Uint8Array;
  #hash: Hash | Hmac;
  constructor(secret?: SourceData) {
    this.#secret = secret === undefined ? undefined : bytesOf(secret);
    this.#hash = this.#start();
  }
  #start(): Hash | Hmac {
    return this.#secret === undefined ? createHash("sha256") : createHmac("sha256", this.#secret);
  }
  update(data: SourceData): void {
    this.#hash.update(bytesOf(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.#hash.digest()));
  }
  reset(): void {
    this.#hash = this.#start();
  }
}

/** RFC 3986 percent-encoding, as SigV4 canonicalizes (encodeURIComponent leaves `!'()*` as they are). */
function escape(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const RETRIED_STATUS = new Set([429, 500, 502, 503, 504]);

/** The contents of the `<tag>` elements in an XML text, as they are (S3's responses have no attributes). */
export function xmlElements(xml: string, tag: string): string[] {
  const out: string[] = [];
  const open = `<${tag}>`;
  const close = `</${tag}>`;
  for (let at = xml.indexOf(open); at >= 0; at = xml.indexOf(open, at)) {
    const end = xml.indexOf(close, at);
    if (end < 0) break;
    out.push(xml.slice(at + open.length, end));
    at = end + close.length;
  }
  return out;
}

/** The text values of the `<tag>` elements in an XML text, entities decoded. */
export function xmlValues(xml: string, tag: string): string[] {
  return xmlElements(xml, tag).map(decodeXml);
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decodeXml(s: string): string {
  if (!s.includes("&")) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (m, e: string) => {
    if (e[0] !== "#") return ENTITIES[e] ?? m;
    return String.fromCodePoint(e[1] === "x" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
  });
}

/** Resolves after `ms` (the retry backoffs of this folder's S3 code). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Signed S3 requests. Requests that meet a network error, a timeout, 5xx or 429 are retried with backoff (up to
 * `maxAttempts`); any other non-2xx status is an {@linkcode S3RequestError} naming the method, object, status
 * and S3's code and message. Credentials: the settings' keys, else the SDK's default chain (environment,
 * profiles, SSO, instance and container roles), loaded on first use.
 */
export class S3Http {
  readonly region: string;
  readonly #endpoint: URL | null;
  readonly #pathStyle: boolean;
  readonly #maxAttempts: number;
  readonly #fetch: typeof fetch;
  readonly #signer: SignatureV4;

  constructor(options: S3HttpOptions = {}) {
    this.region = options.region ?? "us-east-1";
    this.#endpoint = options.endpoint ? new URL(options.endpoint) : null;
    this.#pathStyle = options.forcePathStyle ?? this.#endpoint !== null;
    this.#maxAttempts = options.maxAttempts ?? 3;
    this.#fetch = options.fetch ?? globalThis.fetch;
    const { accessKeyId, secretAccessKey, sessionToken } = options;
    this.#signer = new SignatureV4({
      credentials: accessKeyId && secretAccessKey
        ? { accessKeyId, secretAccessKey, sessionToken }
        : defaultCredentials(),
      region: this.region,
      service: "s3",
      sha256: Sha256,
      // S3 signs the path as sent: each segment encoded once.
      uriEscapePath: false,
      applyChecksum: false,
    });
  }

  /** The URL of a bucket's object ("" for the bucket). */
  #url(bucket: string, key: string): URL {
    const path = key === "" ? "" : key.split("/").map(escape).join("/");
    const base = this.#endpoint ?? new URL(`https://s3.${this.region}.amazonaws.com`);
    // Buckets with dots do not match the TLS certificate as a virtual host.
    if (this.#pathStyle || bucket.includes(".")) {
      return new URL(`${base.origin}${base.pathname.replace(/\/+$/, "")}/${escape(bucket)}/${path}`);
    }
    return new URL(`${base.protocol}//${bucket}.${base.host}/${path}`);
  }

  /**
   * Sends `r`, retrying transient failures; resolves with a 2xx response, else rejects (see the class). Redirects
   * are not followed: S3 answers a request to the wrong region with one, and the signature would not fit.
   */
  async send(r: S3Request): Promise<S3Response> {
    const url = this.#url(r.bucket, r.key);
    const what = `${r.method} s3://${r.bucket}/${r.key}`;
    const max = r.maxAttempts ?? this.#maxAttempts;
    for (let attempt = 1;; attempt++) {
      let failure: S3RequestError;
      let res: Omit<S3Response, "attempts"> | null = null;
      try {
        res = await this.#once(url, r);
      } catch (e) {
        const timedOut = e instanceof DOMException && e.name === "TimeoutError";
        failure = new S3RequestError(
          `${what} failed: ${
            timedOut ? `no response within ${r.timeoutMs ?? 30_000} ms` : (e as Error).message
          }`,
          undefined,
          timedOut ? "Timeout" : "NetworkError",
          attempt,
          { cause: e },
        );
      }
      if (res !== null) {
        if (res.status < 300) return { ...res, attempts: attempt };
        const text = new TextDecoder().decode(res.body);
        const code = xmlValues(text, "Code")[0] ?? (res.status === 404 ? "NotFound" : `HTTP${res.status}`);
        const message = xmlValues(text, "Message")[0] ?? "";
        failure = new S3RequestError(
          `${what} failed: ${res.status} ${code}${message ? `: ${message}` : ""}`,
          res.status,
          code,
          attempt,
        );
        if (!RETRIED_STATUS.has(res.status) && code !== "SlowDown") throw failure;
      }
      if (attempt >= max) throw failure!;
      await sleep(Math.min(5000, 100 * 2 ** (attempt - 1)) * (0.5 + Math.random()));
    }
  }

  async #once(url: URL, r: S3Request): Promise<Omit<S3Response, "attempts">> {
    const query: Record<string, string> = r.query ?? {};
    const headers: Record<string, string> = {
      ...r.headers,
      host: url.host,
      // Over TLS the body is protected in transit, as the SDK assumes too.
      "x-amz-content-sha256": url.protocol === "https:"
        ? "UNSIGNED-PAYLOAD"
        : createHash("sha256").update(r.body ?? new Uint8Array()).digest("hex"),
    };
    const signed = await this.#signer.sign({
      method: r.method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname,
      query,
      headers,
      body: r.body,
    });
    const search = Object.entries(query).map(([k, v]) => `${escape(k)}=${escape(v)}`).join("&");
    const { host: _, ...send } = signed.headers;
    const res = await this.#fetch(`${url.origin}${url.pathname}${search ? `?${search}` : ""}`, {
      method: r.method,
      headers: send,
      body: r.body as Uint8Array<ArrayBuffer> | undefined,
      signal: AbortSignal.timeout(r.timeoutMs ?? 30_000),
      redirect: "manual",
    });
    // The whole body is read (or released): an unread body would hold its connection.
    const body = new Uint8Array(await res.arrayBuffer());
    return { status: res.status, headers: res.headers, body };
  }
}

type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

/** The SDK's default credential chain, loaded on first use (most runs give keys). */
function defaultCredentials(): () => Promise<Credentials> {
  let provider: Promise<() => Promise<Credentials>> | null = null;
  return async () => {
    provider ??= import("@aws-sdk/credential-provider-node").then((m) => m.defaultProvider());
    return await (await provider)();
  };
}
