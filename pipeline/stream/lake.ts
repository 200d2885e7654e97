/**
 * The lake the processor writes: one object store per table folder (`<lake>/<table>`) plus the job's
 * checkpoint folder (`<lake>/_checkpoints/<job>`), on local disk, S3/MinIO or in memory.
 *
 * @module
 */
import { MemoryStore } from "../delta/storage/memory_store.ts";
import type { ObjectStore } from "../delta/storage/object_store.ts";
import { openStore, sharedS3Client } from "../delta/storage/open_store.ts";
import type { S3Settings } from "../delta/storage/s3_store.ts";

/**
 * A lake: folders by relative path (`orders`, `_checkpoints/job`), each an {@linkcode ObjectStore} with the
 * interface's guarantees. Opening the same path twice gives stores that see the same objects.
 */
export interface Lake {
  /** Where the lake is (for messages): a path or `s3://bucket/prefix`. */
  readonly url: string;
  /** The store rooted at `path` (a relative, `/`-separated folder path). */
  open(path: string): ObjectStore;
}

function checkPath(lake: string, path: string): void {
  if (
    path === "" || path.startsWith("/") || path.split("/").some((s) => s === "" || s === "." || s === "..")
  ) {
    throw new TypeError(`Cannot open "${path}" in lake "${lake}": not a relative folder path`);
  }
}

/**
 * The lake at `uri`: a local path (relative to the working directory), `file://` or `s3://bucket/prefix`
 * (credentials and endpoint from the AWS_* variables unless `open` is given).
 */
export function openLake(uri: string, open: (uri: string) => ObjectStore = (u) => openStore(u)): Lake {
  if (uri === "") throw new TypeError("Cannot open a lake: the URI is empty");
  const base = uri.replace(/\/+$/, "");
  return {
    url: base,
    open(path: string): ObjectStore {
      checkPath(base, path);
      return open(`${base}/${path}`);
    },
  };
}

/**
 * `lake` itself when open, else the lake at that URI with these S3 settings, its folders sharing one S3 client.
 * @default "./data/lake"
 */
export function resolveLake(lake: string | Lake | undefined, s3?: S3Settings): Lake {
  if (typeof lake === "object") return lake;
  const s3Client = sharedS3Client();
  return openLake(lake ?? "./data/lake", (uri) => openStore(uri, { s3, s3Client }));
}

/** A lake held in memory (tests, pure pipelines): one MemoryStore per folder, kept for the lake's life. */
export function memoryLake(options: { now?: () => number } = {}): Lake {
  const stores = new Map<string, MemoryStore>();
  const url = "memory://lake";
  return {
    url,
    open(path: string): ObjectStore {
      checkPath(url, path);
      let store = stores.get(path);
      if (!store) stores.set(path, store = new MemoryStore({ url: `${url}/${path}`, now: options.now }));
      return store;
    },
  };
}
