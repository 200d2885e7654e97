import { createHash } from "node:crypto";
import {
  AlreadyExistsError,
  type ByteRange,
  NotFoundError,
  type ObjectMeta,
  type ObjectStore,
} from "./object_store.ts";
import { checkKey } from "./object_key.ts";
import { S3Http, S3RequestError, type S3Settings, sleep, xmlElements, xmlValues } from "./s3_http.ts";

export { type S3Settings, s3SettingsFromEnv } from "./s3_http.ts";

/** Options for {@linkcode S3Store}. */
export interface S3StoreOptions extends S3Settings {
  bucket: string;
  /** Key prefix inside the bucket (the table root), without leading or trailing slash. @default "" */
  prefix?: string;
  /** Abort a request after this many ms; the outcome of an aborted conditional PUT is then read back. @default 30000 */
  timeoutMs?: number;
  /** Attempts for a conditional PUT that meets 409 ConditionalRequestConflict or an unknown outcome. @default 6 */
  maxCommitAttempts?: number;
}

/**
 * Deletes every object of `bucket` under `prefix` ("" for the whole bucket), listing again from the start after
 * each deletion round (at most 1000 keys each) until nothing is left; returns how many were deleted. Not atomic:
 * objects written meanwhile under the prefix are deleted too, or left if they land after the last listing.
 */
export async function deleteS3Prefix(client: S3Http, bucket: string, prefix: string): Promise<number> {
  let deleted = 0;
  for (;;) {
    const page = await client.send({
      method: "GET",
      bucket,
      key: "",
      query: { "list-type": "2", ...(prefix ? { prefix } : {}) },
    });
    const keys = xmlValues(new TextDecoder().decode(page.body), "Key");
    if (keys.length === 0) return deleted;
    const xml = `<Delete><Quiet>true</Quiet>${
      keys.map((k) => `<Object><Key>${escapeXml(k)}</Key></Object>`).join("")
    }</Delete>`;
    const body = new TextEncoder().encode(xml);
    const out = await client.send({
      method: "POST",
      bucket,
      key: "",
      query: { delete: "" },
      headers: { "content-md5": createHash("md5").update(body).digest("base64") },
      body,
    });
    const errors = new TextDecoder().decode(out.body);
    if (errors.includes("<Error>")) {
      const [key] = xmlValues(errors, "Key");
      const [code] = xmlValues(errors, "Code");
      const [message] = xmlValues(errors, "Message");
      throw new Error(`Cannot delete "${key}" from bucket "${bucket}": ${code} ${message}`);
    }
    deleted += keys.length;
  }
}

function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function statusOf(e: unknown): number | undefined {
  return e instanceof S3RequestError ? e.status : undefined;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * An {@linkcode ObjectStore} on S3 or an S3-compatible service (MinIO), through {@linkcode S3Http} (signed
 * `fetch` requests).
 *
 * - `putIfAbsent` is a PUT with `If-None-Match: *`, one request per attempt: 412 means another writer created
 *   the key ({@linkcode AlreadyExistsError}); 409 ConditionalRequestConflict (a concurrent conditional write) is
 *   retried. When the outcome is unknown (timeout, network error, 5xx, or a 412 after one of our own attempts
 *   may have landed), the object is read back and compared with the bytes sent: equal means this call wrote it.
 *   Servers that ignore the header break this guarantee: see `probePutIfAbsent`.
 * - `list` is ListObjectsV2 with `start-after`, following continuation tokens; S3 lists in UTF-8 byte order.
 * - `get` with a range is a ranged GET. Other calls retry transient failures (see {@linkcode S3Http}).
 */
export class S3Store implements ObjectStore {
  readonly url: string;
  readonly client: S3Http;
  readonly #bucket: string;
  readonly #prefix: string;
  readonly #timeoutMs: number;
  readonly #maxCommitAttempts: number;

  constructor(options: S3StoreOptions, client?: S3Http) {
    this.#bucket = options.bucket;
    this.#prefix = (options.prefix ?? "").replace(/^\/+|\/+$/g, "");
    this.url = `s3://${this.#bucket}${this.#prefix ? "/" + this.#prefix : ""}`;
    this.client = client ?? new S3Http(options);
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#maxCommitAttempts = options.maxCommitAttempts ?? 6;
  }

  #key(key: string): string {
    checkKey(this.url, key);
    return this.#prefix ? `${this.#prefix}/${key}` : key;
  }

  async get(key: string, range?: ByteRange): Promise<Uint8Array> {
    const k = this.#key(key);
    if (range && range.length <= 0) {
      if ((await this.head(key)) === null) throw new NotFoundError(this.url, key);
      return new Uint8Array();
    }
    try {
      const res = await this.client.send({
        method: "GET",
        bucket: this.#bucket,
        key: k,
        headers: range ? { range: `bytes=${range.offset}-${range.offset + range.length - 1}` } : undefined,
        timeoutMs: this.#timeoutMs,
      });
      return res.body;
    } catch (e) {
      const status = statusOf(e);
      if (status === 404) throw new NotFoundError(this.url, key, { cause: e });
      // A range that starts at or past the end: S3 answers 416 where a file read returns nothing.
      if (status === 416 && range) {
        if ((await this.head(key)) === null) throw new NotFoundError(this.url, key, { cause: e });
        return new Uint8Array();
      }
      throw e;
    }
  }

  async head(key: string): Promise<ObjectMeta | null> {
    try {
      const res = await this.client.send({
        method: "HEAD",
        bucket: this.#bucket,
        key: this.#key(key),
        timeoutMs: this.#timeoutMs,
      });
      const modified = res.headers.get("last-modified");
      return {
        key,
        size: Number(res.headers.get("content-length") ?? 0),
        lastModified: modified ? Date.parse(modified) : 0,
      };
    } catch (e) {
      if (statusOf(e) === 404) return null;
      throw e;
    }
  }

  async *list(prefix: string, options: { startAfter?: string } = {}): AsyncIterable<ObjectMeta> {
    const base = this.#prefix ? this.#prefix + "/" : "";
    let token: string | undefined;
    do {
      const query: Record<string, string> = { "list-type": "2", prefix: base + prefix };
      if (token !== undefined) query["continuation-token"] = token;
      else if (options.startAfter !== undefined) query["start-after"] = base + options.startAfter;
      const res = await this.client.send({
        method: "GET",
        bucket: this.#bucket,
        key: "",
        query,
        timeoutMs: this.#timeoutMs,
      });
      const xml = new TextDecoder().decode(res.body);
      for (const entry of xmlElements(xml, "Contents")) {
        const [k] = xmlValues(entry, "Key");
        if (!k) continue;
        const [size] = xmlValues(entry, "Size");
        const [modified] = xmlValues(entry, "LastModified");
        yield {
          key: k.slice(base.length),
          size: Number(size ?? 0),
          lastModified: modified ? Date.parse(modified) : 0,
        };
      }
      token = xmlValues(xml, "IsTruncated")[0] === "true"
        ? xmlValues(xml, "NextContinuationToken")[0]
        : undefined;
    } while (token !== undefined);
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    await this.client.send({
      method: "PUT",
      bucket: this.#bucket,
      key: this.#key(key),
      body: bytes,
      timeoutMs: this.#timeoutMs,
    });
  }

  async putIfAbsent(key: string, bytes: Uint8Array): Promise<void> {
    const k = this.#key(key);
    let lastError: unknown;
    for (let attempt = 1; attempt <= this.#maxCommitAttempts; attempt++) {
      try {
        await this.client.send({
          method: "PUT",
          bucket: this.#bucket,
          key: k,
          headers: { "if-none-match": "*" },
          body: bytes,
          timeoutMs: this.#timeoutMs,
          maxAttempts: 1,
        });
        return;
      } catch (e) {
        lastError = e;
        const status = statusOf(e);
        if (status === 412) {
          // After one of our attempts with an unknown outcome the 412 may be that attempt having landed.
          if (attempt > 1 && await this.#holds(key, bytes)) return;
          throw new AlreadyExistsError(this.url, key, { cause: e });
        }
        if (status === 409) {
          // ConditionalRequestConflict: another conditional write on this key is in flight; retry (→ 200 or 412).
          await sleep(20 * attempt + Math.random() * 30);
          continue;
        }
        if (status !== undefined && status < 500 && status !== 429) throw e;
        // Unknown outcome (timeout, network error, 5xx): the PUT may or may not have happened.
        const existing = await this.#readBack(key);
        if (existing !== null) {
          if (sameBytes(existing, bytes)) return;
          throw new AlreadyExistsError(this.url, key, { cause: e });
        }
        await sleep(50 * attempt);
      }
    }
    throw new Error(
      `Cannot create "${key}" in "${this.url}": no definite outcome after ${this.#maxCommitAttempts} attempts`,
      { cause: lastError },
    );
  }

  async #holds(key: string, bytes: Uint8Array): Promise<boolean> {
    const existing = await this.#readBack(key);
    return existing !== null && sameBytes(existing, bytes);
  }

  async #readBack(key: string): Promise<Uint8Array | null> {
    try {
      return await this.get(key);
    } catch (e) {
      if (e instanceof NotFoundError) return null;
      throw e;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send({
      method: "DELETE",
      bucket: this.#bucket,
      key: this.#key(key),
      timeoutMs: this.#timeoutMs,
    });
  }
}
