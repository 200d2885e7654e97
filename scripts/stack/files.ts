/**
 * Small file-system helpers for the stack scripts.
 *
 * @module
 */

/** Whether `path` exists (any kind of file). */
export async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

/** Removes `path` (recursively) when it exists; a missing path is already the wanted outcome. */
export async function removeIfExists(path: string): Promise<void> {
  try {
    await Deno.remove(path, { recursive: true });
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
}

/**
 * Renames `path` to `path.1` (replacing an older one) when it has grown past `maxBytes`, so logs that are
 * appended to on every start stay bounded.
 */
export async function rotateIfLarger(path: string, maxBytes: number): Promise<boolean> {
  try {
    if ((await Deno.stat(path)).size <= maxBytes) return false;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
  await Deno.rename(path, `${path}.1`);
  return true;
}
