/**
 * The startup probe of delta-lake.md §12: a store that silently ignores put-if-absent (an old MinIO, s3rver, a
 * proxy dropping `If-None-Match`) would let two writers both "win" one version and lose a commit. Writers
 * probe once per store and refuse concurrent writing when the probe fails.
 *
 * @module
 */
import { AlreadyExistsError, type ObjectStore } from "./object_store.ts";

const results = new WeakMap<ObjectStore, Promise<boolean>>();

/**
 * Writes a probe object twice with `putIfAbsent` (outside the commit file names) and deletes it. Resolves true
 * when the second write was refused with AlreadyExistsError, false when the store accepted it.
 */
export async function probePutIfAbsent(store: ObjectStore): Promise<boolean> {
  const key = `_delta_log/.lakestream-probe-${crypto.randomUUID()}`;
  const bytes = new TextEncoder().encode("put-if-absent probe\n");
  await store.putIfAbsent(key, bytes);
  try {
    await store.putIfAbsent(key, bytes);
    return false;
  } catch (e) {
    if (e instanceof AlreadyExistsError) return true;
    throw e;
  } finally {
    await store.delete(key);
  }
}

/** The store does not honour put-if-absent, so concurrent writers could overwrite each other's commits. */
export class PutIfAbsentUnsupportedError extends Error {
  override name = "PutIfAbsentUnsupportedError";
  constructor(readonly url: string) {
    super(
      `Cannot write concurrently to "${url}": the store ignores put-if-absent (If-None-Match), so two writers ` +
        `could overwrite each other's commits; upgrade the server or open the table with singleWriter: true`,
    );
  }
}

/**
 * Probes `store` once (the result is cached per store object) and throws {@linkcode PutIfAbsentUnsupportedError}
 * when it ignores put-if-absent, unless the caller promises to be the only writer.
 */
export async function ensurePutIfAbsent(
  store: ObjectStore,
  options: { singleWriter?: boolean } = {},
): Promise<void> {
  let result = results.get(store);
  if (!result) {
    result = probePutIfAbsent(store);
    results.set(store, result);
    // A failed probe (network error) must not be cached as an answer.
    result.catch(() => results.delete(store));
  }
  if (!(await result) && !options.singleWriter) throw new PutIfAbsentUnsupportedError(store.url);
}
