/**
 * The storage interface the Delta engine runs on. Every implementation (local disk, S3/MinIO, in-memory) passes
 * the one contract suite in `object_store_contract.ts`.
 *
 * Keys are relative to the store's root, use `/` as separator, never start with `/`, and never contain `.` or
 * `..` segments.
 *
 * @module
 */

/** What a listing or `head` says about one object. */
export interface ObjectMeta {
  /** Key relative to the store root. */
  key: string;
  /** Size in bytes. */
  size: number;
  /** Last modification time in ms since the epoch (S3: server time of the PUT). */
  lastModified: number;
}

/** A byte range of an object. */
export interface ByteRange {
  offset: number;
  length: number;
}

/**
 * A flat object store with the guarantees the Delta protocol needs.
 *
 * Guarantees every implementation makes:
 * - `list` yields every object under a prefix, recursively, in ascending UTF-8 byte order of the key, and
 *   starts strictly after `startAfter` when given. Objects written before `list` started are included.
 * - `putIfAbsent` is atomic: of any number of concurrent calls for one key exactly one succeeds; the others
 *   reject with {@linkcode AlreadyExistsError}. A reader never sees a partially written object.
 * - `put` replaces the whole object atomically (readers see the old or the new bytes, never a mix).
 * - `get` of a missing key and `head`-less reads reject with {@linkcode NotFoundError}.
 * - `delete` of a missing key succeeds (idempotent).
 */
export interface ObjectStore {
  /** Where the store points, for messages: a path or `s3://bucket/prefix`. */
  readonly url: string;
  /** The object's bytes, or the requested range of them. */
  get(key: string, range?: ByteRange): Promise<Uint8Array>;
  /** Metadata of one object, or null when it does not exist. */
  head(key: string): Promise<ObjectMeta | null>;
  /** Objects under `prefix` (a key prefix, not only a folder), ascending, recursively. */
  list(prefix: string, options?: { startAfter?: string }): AsyncIterable<ObjectMeta>;
  /** Writes or replaces an object. */
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** Writes an object only if no object has that key; otherwise rejects with AlreadyExistsError. */
  putIfAbsent(key: string, bytes: Uint8Array): Promise<void>;
  /** Removes an object; succeeds when it does not exist. */
  delete(key: string): Promise<void>;
}

/** A `get` found no object at the key. */
export class NotFoundError extends Error {
  override name = "NotFoundError";
  constructor(readonly url: string, readonly key: string, options?: ErrorOptions) {
    super(`Cannot read "${key}" in "${url}": no such object`, options);
  }
}

/** A `putIfAbsent` lost: an object already exists at the key (for a Delta commit: someone else committed). */
export class AlreadyExistsError extends Error {
  override name = "AlreadyExistsError";
  constructor(readonly url: string, readonly key: string, options?: ErrorOptions) {
    super(`Cannot create "${key}" in "${url}": it already exists`, options);
  }
}
