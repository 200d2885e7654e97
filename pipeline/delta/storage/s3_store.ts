import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import {
  AlreadyExistsError,
  type ByteRange,
  NotFoundError,
  type ObjectMeta,
  type ObjectStore,
} from "./object_store.ts";
import { checkKey } from "./object_key.ts";

/** Connection settings of an S3-compatible service. */
export interface S3Settings {
  /** e.g. `http://127.0.0.1:19000` for MinIO; unset for AWS. */
  endpoint?: string;
  /** @default "us-east-1" */
  region?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Path-style addressing (`endpoint/bucket/key`), which MinIO needs. @default true when an endpoint is set */
  forcePathStyle?: boolean;
}

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

/** Reads S3 settings from the standard AWS variables (AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, …). */
export function s3SettingsFromEnv(env: { get(name: string): string | undefined } = Deno.env): S3Settings {
  return {
    endpoint: env.get("AWS_ENDPOINT_URL_S3") ?? env.get("AWS_ENDPOINT_URL"),
    region: env.get("AWS_REGION") ?? env.get("AWS_DEFAULT_REGION"),
    accessKeyId: env.get("AWS_ACCESS_KEY_ID"),
    secretAccessKey: env.get("AWS_SECRET_ACCESS_KEY"),
  };
}

/** Creates an S3 client for the settings (path-style when an endpoint is given, checksums only when required). */
export function createS3Client(settings: S3Settings): S3Client {
  const credentials = settings.accessKeyId && settings.secretAccessKey
    ? { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey }
    : undefined;
  return new S3Client({
    endpoint: settings.endpoint,
    region: settings.region ?? "us-east-1",
    forcePathStyle: settings.forcePathStyle ?? settings.endpoint !== undefined,
    credentials,
    // S3-compatible stores differ in their support of the newer default CRC checksums; MD5-free PUTs work everywhere.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
}

/**
 * Deletes every object of `bucket` under `prefix` ("" for the whole bucket), listing again from the start after
 * each deletion round (at most 1000 keys each) until nothing is left; returns how many were deleted. Not atomic:
 * objects written meanwhile under the prefix are deleted too, or left if they land after the last listing.
 */
export async function deleteS3Prefix(client: S3Client, bucket: string, prefix: string): Promise<number> {
  let deleted = 0;
  for (;;) {
    const res = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix || undefined }));
    const keys = (res.Contents ?? []).flatMap((o) => o.Key ? [{ Key: o.Key }] : []);
    if (keys.length === 0) return deleted;
    const out = await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys } }));
    if (out.Errors?.length) {
      const e = out.Errors[0];
      throw new Error(`Cannot delete "${e.Key}" from bucket "${bucket}": ${e.Code} ${e.Message}`);
    }
    deleted += keys.length;
  }
}

function statusOf(e: unknown): number | undefined {
  if (e instanceof S3ServiceException) return e.$metadata.httpStatusCode;
  const meta = (e as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata;
  return meta?.httpStatusCode;
}

function attemptsOf(e: unknown): number {
  return (e as { $metadata?: { attempts?: number } } | null)?.$metadata?.attempts ?? 1;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * An {@linkcode ObjectStore} on S3 or an S3-compatible service (MinIO), through @aws-sdk/client-s3.
 *
 * - `putIfAbsent` is `PutObject` with `If-None-Match: *`: 412 means another writer created the key
 *   ({@linkcode AlreadyExistsError}); 409 ConditionalRequestConflict (a concurrent conditional write) is retried.
 *   When the outcome is unknown (timeout, network error, 5xx, or a 412 after the SDK already retried our own
 *   PUT), the object is read back and compared with the bytes sent: equal means this call wrote it.
 *   Servers that ignore the header break this guarantee: see `probePutIfAbsent`.
 * - `list` is `ListObjectsV2` with `StartAfter`, following continuation tokens; S3 lists in UTF-8 byte order.
 * - `get` with a range is a ranged GET.
 */
export class S3Store implements ObjectStore {
  readonly url: string;
  readonly client: S3Client;
  readonly #bucket: string;
  readonly #prefix: string;
  readonly #timeoutMs: number;
  readonly #maxCommitAttempts: number;

  constructor(options: S3StoreOptions, client?: S3Client) {
    this.#bucket = options.bucket;
    this.#prefix = (options.prefix ?? "").replace(/^\/+|\/+$/g, "");
    this.url = `s3://${this.#bucket}${this.#prefix ? "/" + this.#prefix : ""}`;
    this.client = client ?? createS3Client(options);
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#maxCommitAttempts = options.maxCommitAttempts ?? 6;
  }

  #key(key: string): string {
    checkKey(this.url, key);
    return this.#prefix ? `${this.#prefix}/${key}` : key;
  }

  #signal(): AbortSignal {
    return AbortSignal.timeout(this.#timeoutMs);
  }

  async get(key: string, range?: ByteRange): Promise<Uint8Array> {
    const Key = this.#key(key);
    if (range && range.length <= 0) {
      if ((await this.head(key)) === null) throw new NotFoundError(this.url, key);
      return new Uint8Array();
    }
    try {
      const res = await this.client.send(
        new GetObjectCommand({
          Bucket: this.#bucket,
          Key,
          Range: range ? `bytes=${range.offset}-${range.offset + range.length - 1}` : undefined,
        }),
        { abortSignal: this.#signal() },
      );
      return res.Body ? await res.Body.transformToByteArray() : new Uint8Array();
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
      const res = await this.client.send(
        new HeadObjectCommand({ Bucket: this.#bucket, Key: this.#key(key) }),
        { abortSignal: this.#signal() },
      );
      return { key, size: res.ContentLength ?? 0, lastModified: res.LastModified?.getTime() ?? 0 };
    } catch (e) {
      if (statusOf(e) === 404) return null;
      throw e;
    }
  }

  async *list(prefix: string, options: { startAfter?: string } = {}): AsyncIterable<ObjectMeta> {
    const base = this.#prefix ? this.#prefix + "/" : "";
    let token: string | undefined;
    do {
      const res = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.#bucket,
          Prefix: base + prefix,
          StartAfter: token === undefined && options.startAfter !== undefined
            ? base + options.startAfter
            : undefined,
          ContinuationToken: token,
        }),
        { abortSignal: this.#signal() },
      );
      for (const o of res.Contents ?? []) {
        if (!o.Key) continue;
        yield {
          key: o.Key.slice(base.length),
          size: o.Size ?? 0,
          lastModified: o.LastModified?.getTime() ?? 0,
        };
      }
      token = res.IsTruncated ? res.NextContinuationToken : undefined;
    } while (token !== undefined);
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    await this.client.send(
      new PutObjectCommand({ Bucket: this.#bucket, Key: this.#key(key), Body: bytes }),
      { abortSignal: this.#signal() },
    );
  }

  async putIfAbsent(key: string, bytes: Uint8Array): Promise<void> {
    const Key = this.#key(key);
    let lastError: unknown;
    for (let attempt = 1; attempt <= this.#maxCommitAttempts; attempt++) {
      try {
        await this.client.send(
          new PutObjectCommand({ Bucket: this.#bucket, Key, Body: bytes, IfNoneMatch: "*" }),
          { abortSignal: this.#signal() },
        );
        return;
      } catch (e) {
        lastError = e;
        const status = statusOf(e);
        if (status === 412) {
          // After an SDK retry the 412 may be our own first attempt having landed: compare to be sure.
          if (attemptsOf(e) > 1 || attempt > 1) {
            if (await this.#holds(key, bytes)) return;
          }
          throw new AlreadyExistsError(this.url, key, { cause: e });
        }
        if (status === 409) {
          // ConditionalRequestConflict: another conditional write on this key is in flight; retry (→ 200 or 412).
          await sleep(20 * attempt + Math.random() * 30);
          continue;
        }
        if (status !== undefined && status < 500) throw e;
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
    await this.client.send(
      new DeleteObjectCommand({ Bucket: this.#bucket, Key: this.#key(key) }),
      { abortSignal: this.#signal() },
    );
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
