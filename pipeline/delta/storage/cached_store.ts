/**
 * An object store that keeps the bytes of recently written and read data files in memory, so a copy-on-write
 * writer that rewrites the files it wrote a moment ago reads them without a round trip.
 *
 * @module
 */
import { BudgetCache } from "./budget_cache.ts";
import type { ByteRange, ObjectMeta, ObjectStore } from "./object_store.ts";

/**
 * Bytes of immutable objects, least recently used evicted first once `maxBytes` is exceeded; one cache may
 * serve several stores (keys are qualified by the store's URL).
 */
export class FileCache extends BudgetCache<Uint8Array> {
  constructor(maxBytes: number) {
    super(maxBytes, (bytes) => bytes.length, "file cache", "bytes");
  }

  /** Bytes held. */
  get bytes(): number {
    return this.used;
  }
}

/**
 * Data files (`.parquet` outside `_delta_log/`): written once under a unique name and never changed, so cached
 * bytes stay valid until the file is deleted. Log files are not cached (`_last_checkpoint` is overwritten).
 */
function isDataFile(key: string): boolean {
  return key.endsWith(".parquet") && !key.startsWith("_delta_log/");
}

/**
 * Wraps `store`: data files it puts or fully gets go into `cache`, and gets (whole or ranges) of cached ones
 * are answered from memory. Every other call, and every guarantee, is the wrapped store's. Only valid while
 * no other writer replaces a data file under the same name, which Delta writers never do.
 */
export class CachedStore implements ObjectStore {
  constructor(readonly inner: ObjectStore, readonly cache: FileCache) {}

  get url(): string {
    return this.inner.url;
  }

  #id(key: string): string {
    return `${this.inner.url}\n${key}`;
  }

  async get(key: string, range?: ByteRange): Promise<Uint8Array> {
    if (!isDataFile(key)) return await this.inner.get(key, range);
    const hit = this.cache.get(this.#id(key));
    if (hit === undefined) {
      if (range !== undefined) return await this.inner.get(key, range);
      const bytes = await this.inner.get(key);
      this.cache.set(this.#id(key), bytes.slice());
      return bytes;
    }
    // Copies, as every store returns: a caller may change what it got.
    if (range === undefined) return hit.slice();
    return await sliceRange(this.inner, key, hit, range);
  }

  head(key: string): Promise<ObjectMeta | null> {
    return this.inner.head(key);
  }

  list(prefix: string, options?: { startAfter?: string }): AsyncIterable<ObjectMeta> {
    return this.inner.list(prefix, options);
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    this.cache.delete(this.#id(key));
    await this.inner.put(key, bytes);
    if (isDataFile(key)) this.cache.set(this.#id(key), bytes.slice());
  }

  async putIfAbsent(key: string, bytes: Uint8Array): Promise<void> {
    await this.inner.putIfAbsent(key, bytes);
    if (isDataFile(key)) this.cache.set(this.#id(key), bytes.slice());
  }

  async delete(key: string): Promise<void> {
    this.cache.delete(this.#id(key));
    await this.inner.delete(key);
  }
}

/** `range` of cached `bytes` (a copy), or the wrapped store's answer for a range past the end. */
async function sliceRange(
  store: ObjectStore,
  key: string,
  bytes: Uint8Array,
  range: ByteRange,
): Promise<Uint8Array> {
  const { offset, length } = range;
  if (Number.isInteger(offset) && Number.isInteger(length) && offset >= 0 && length >= 0) {
    if (offset + length <= bytes.length) return bytes.slice(offset, offset + length);
  }
  return await store.get(key, range);
}
