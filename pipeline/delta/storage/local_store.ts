import {
  AlreadyExistsError,
  type ByteRange,
  NotFoundError,
  type ObjectMeta,
  type ObjectStore,
} from "./object_store.ts";
import { checkKey, compareKeys } from "./object_key.ts";

/** Name prefix of in-flight temp files; `list` never shows them. */
const TEMP_PREFIX = ".lakestream-tmp-";

/**
 * An {@linkcode ObjectStore} on a local directory (POSIX semantics).
 *
 * - `putIfAbsent` writes a hidden temp file next to the target, then hard-links it into place: `link(2)` fails
 *   with EEXIST when the target exists, so exactly one of many racing writers wins, and the target appears
 *   with its full content at once. Rename is never used for it, because POSIX rename overwrites.
 * - `put` writes a temp file and renames it over the target (atomic replace).
 * - `list` walks the tree recursively and sorts keys in UTF-8 byte order; temp files (`.lakestream-tmp-*`) are
 *   skipped. A crashed writer can leave one behind; it is harmless and never listed.
 */
export class LocalStore implements ObjectStore {
  readonly url: string;
  readonly #root: string;

  /** @param root the directory that holds the objects; created on the first write. */
  constructor(root: string) {
    this.#root = root.length > 1 ? root.replace(/\/+$/, "") : root;
    this.url = this.#root;
  }

  #path(key: string): string {
    checkKey(this.url, key);
    return `${this.#root}/${key}`;
  }

  async get(key: string, range?: ByteRange): Promise<Uint8Array> {
    const path = this.#path(key);
    try {
      if (!range) return await Deno.readFile(path);
      using file = await Deno.open(path, { read: true });
      const size = (await file.stat()).size;
      const length = Math.max(0, Math.min(range.length, size - range.offset));
      const out = new Uint8Array(length);
      await file.seek(range.offset, Deno.SeekMode.Start);
      let done = 0;
      while (done < length) {
        const n = await file.read(out.subarray(done));
        if (n === null) throw new Error(`Cannot read "${key}" in "${this.url}": file shrank while reading`);
        done += n;
      }
      return out;
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) throw new NotFoundError(this.url, key, { cause: e });
      throw e;
    }
  }

  async head(key: string): Promise<ObjectMeta | null> {
    const path = this.#path(key);
    try {
      const info = await Deno.stat(path);
      if (!info.isFile) return null;
      return { key, size: info.size, lastModified: info.mtime?.getTime() ?? 0 };
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return null;
      throw e;
    }
  }

  async *list(prefix: string, options: { startAfter?: string } = {}): AsyncIterable<ObjectMeta> {
    const slash = prefix.lastIndexOf("/");
    const dirKey = slash >= 0 ? prefix.slice(0, slash) : "";
    const found: ObjectMeta[] = [];
    await this.#walk(dirKey, prefix, options.startAfter, found);
    found.sort((a, b) => compareKeys(a.key, b.key));
    yield* found;
  }

  async #walk(
    dirKey: string,
    prefix: string,
    startAfter: string | undefined,
    out: ObjectMeta[],
  ): Promise<void> {
    const dir = dirKey === "" ? this.#root : `${this.#root}/${dirKey}`;
    let entries: Deno.DirEntry[];
    try {
      // One synchronous read of the folder: async iteration costs a promise per entry (10k+ in a long log).
      entries = [...Deno.readDirSync(dir)];
    } catch (e) {
      // A missing folder is an empty listing; one deleted during the walk (VACUUM) as well.
      if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory) return;
      throw e;
    }
    // Filter synchronously first: only the entries that are listed cost a promise and a stat.
    const files: string[] = [];
    const folders: string[] = [];
    for (const entry of entries) {
      if (entry.name.startsWith(TEMP_PREFIX)) continue;
      const key = dirKey === "" ? entry.name : `${dirKey}/${entry.name}`;
      if (entry.isDirectory) {
        const sub = key + "/";
        // Descend only where keys below can still start with the prefix and sort after startAfter.
        if (!(prefix.startsWith(sub) || sub.startsWith(prefix))) continue;
        if (startAfter !== undefined && compareKeys(sub, startAfter) < 0 && !startAfter.startsWith(sub)) {
          continue;
        }
        folders.push(key);
        continue;
      }
      if (!key.startsWith(prefix)) continue;
      // Checked before stat: listing a long _delta_log from a checkpoint must not stat every older commit.
      if (startAfter !== undefined && compareKeys(key, startAfter) <= 0) continue;
      files.push(key);
    }
    await Promise.all([
      ...folders.map((key) => this.#walk(key, prefix, startAfter, out)),
      ...files.map(async (key) => {
        try {
          const info = await Deno.stat(`${this.#root}/${key}`);
          if (info.isFile) out.push({ key, size: info.size, lastModified: info.mtime?.getTime() ?? 0 });
        } catch (e) {
          // Deleted between readDir and stat: not part of the listing.
          if (!(e instanceof Deno.errors.NotFound)) throw e;
        }
      }),
    ]);
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const path = this.#path(key);
    const tmp = await this.#writeTemp(path, bytes, false);
    try {
      await Deno.rename(tmp, path);
    } catch (e) {
      await removeQuietly(tmp);
      throw e;
    }
  }

  async putIfAbsent(key: string, bytes: Uint8Array): Promise<void> {
    const path = this.#path(key);
    // Synced before linking: a commit that other writers can see must not vanish in a crash.
    const tmp = await this.#writeTemp(path, bytes, true);
    try {
      await Deno.link(tmp, path);
    } catch (e) {
      if (e instanceof Deno.errors.AlreadyExists) throw new AlreadyExistsError(this.url, key, { cause: e });
      throw e;
    } finally {
      await removeQuietly(tmp);
    }
  }

  async delete(key: string): Promise<void> {
    const path = this.#path(key);
    try {
      await Deno.remove(path);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
  }

  /** Writes `bytes` to a fresh hidden temp file in the target's folder (same file system, so link/rename work). */
  async #writeTemp(path: string, bytes: Uint8Array, sync: boolean): Promise<string> {
    const dir = path.slice(0, path.lastIndexOf("/"));
    const tmp = `${dir}/${TEMP_PREFIX}${crypto.randomUUID()}`;
    await Deno.mkdir(dir, { recursive: true });
    try {
      using file = await Deno.open(tmp, { write: true, createNew: true });
      let done = 0;
      while (done < bytes.length) done += await file.write(bytes.subarray(done));
      if (sync) await file.syncData();
    } catch (e) {
      await removeQuietly(tmp);
      throw e;
    }
    return tmp;
  }
}

async function removeQuietly(path: string): Promise<void> {
  try {
    await Deno.remove(path);
  } catch (e) {
    // Already gone is the goal; anything else would leave a hidden temp file, which list() never shows.
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
}
