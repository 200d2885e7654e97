import {
  AlreadyExistsError,
  type ByteRange,
  NotFoundError,
  type ObjectMeta,
  type ObjectStore,
} from "./object_store.ts";
import { checkKey, compareKeys } from "./object_key.ts";

/** Options for {@linkcode MemoryStore}. */
export interface MemoryStoreOptions {
  /** Name shown in messages. @default "memory://" */
  url?: string;
  /** Clock for `lastModified`, in ms since the epoch. @default Date.now */
  now?: () => number;
}

interface Entry {
  bytes: Uint8Array;
  lastModified: number;
}

/**
 * An {@linkcode ObjectStore} held in memory, for tests and pure pipelines. It keeps every guarantee of the
 * interface: `putIfAbsent` checks and sets within one synchronous step, so concurrent calls cannot both win;
 * stored bytes are copied in and out, so callers cannot change an object after writing it.
 */
export class MemoryStore implements ObjectStore {
  readonly url: string;
  readonly #now: () => number;
  readonly #objects = new Map<string, Entry>();

  constructor(options: MemoryStoreOptions = {}) {
    this.url = options.url ?? "memory://";
    this.#now = options.now ?? Date.now;
  }

  get(key: string, range?: ByteRange): Promise<Uint8Array> {
    checkKey(this.url, key);
    const entry = this.#objects.get(key);
    if (!entry) return Promise.reject(new NotFoundError(this.url, key));
    if (!range) return Promise.resolve(entry.bytes.slice());
    return Promise.resolve(entry.bytes.slice(range.offset, range.offset + range.length));
  }

  head(key: string): Promise<ObjectMeta | null> {
    checkKey(this.url, key);
    const entry = this.#objects.get(key);
    return Promise.resolve(
      entry ? { key, size: entry.bytes.length, lastModified: entry.lastModified } : null,
    );
  }

  async *list(prefix: string, options: { startAfter?: string } = {}): AsyncIterable<ObjectMeta> {
    const startAfter = options.startAfter;
    const keys = [...this.#objects.keys()]
      .filter((k) => k.startsWith(prefix) && (startAfter === undefined || compareKeys(k, startAfter) > 0))
      .sort(compareKeys);
    for (const key of keys) {
      const entry = this.#objects.get(key);
      // Deleted while the caller was consuming the listing: S3 would not show it either.
      if (entry) yield { key, size: entry.bytes.length, lastModified: entry.lastModified };
    }
  }

  put(key: string, bytes: Uint8Array): Promise<void> {
    checkKey(this.url, key);
    this.#objects.set(key, { bytes: bytes.slice(), lastModified: this.#now() });
    return Promise.resolve();
  }

  putIfAbsent(key: string, bytes: Uint8Array): Promise<void> {
    checkKey(this.url, key);
    if (this.#objects.has(key)) return Promise.reject(new AlreadyExistsError(this.url, key));
    this.#objects.set(key, { bytes: bytes.slice(), lastModified: this.#now() });
    return Promise.resolve();
  }

  delete(key: string): Promise<void> {
    checkKey(this.url, key);
    this.#objects.delete(key);
    return Promise.resolve();
  }
}
