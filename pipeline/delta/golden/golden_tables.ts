/**
 * Test support: the real Delta tables in `../shared/delta-golden` (read in place, never copied into the repo),
 * opened as stores.
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { LocalStore } from "../storage/local_store.ts";
import { MemoryStore } from "../storage/memory_store.ts";

/** The folder of the golden tables, next to the repository. */
export const GOLDEN_ROOT: string = fileURLToPath(
  new URL("../../../../shared/delta-golden/", import.meta.url),
);

/** The table root (`<name>/delta`) of a golden table. */
export function goldenPath(name: string): string {
  return join(GOLDEN_ROOT, name, "delta");
}

/** A read-only view of a golden table in place. */
export function goldenStore(name: string): LocalStore {
  return new LocalStore(goldenPath(name));
}

/**
 * A copy of a golden table in memory, with the files' modification times, that a test may change (corrupt a
 * checkpoint, delete a commit) without touching the shared folder.
 */
export async function goldenCopy(name: string): Promise<MemoryStore> {
  const clock = { now: 0 };
  const copy = new MemoryStore({ url: `memory://${name}`, now: () => clock.now });
  for await (const meta of goldenStore(name).list("")) {
    clock.now = meta.lastModified;
    await copy.put(meta.key, await Deno.readFile(join(goldenPath(name), meta.key)));
  }
  return copy;
}
