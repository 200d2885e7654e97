/**
 * A lock file that serialises `up` and `down` across processes: engineers and test runners share one stack
 * directory, and two `up`s racing would start every service twice. A lock left by a process that has died is
 * taken over.
 *
 * @module
 */
import { removeIfExists } from "./files.ts";
import { formatPidFile, processStartTime, readLivePidFile } from "./pid_file.ts";

/**
 * Acquires the lock at `path`, waiting up to `timeoutMs` while another live process holds it.
 * Returns the release function.
 */
export async function acquireLock(
  path: string,
  options: { timeoutMs: number; onWait?: (holderPid: number) => void },
): Promise<() => Promise<void>> {
  const mine = formatPidFile({ pid: Deno.pid, startTime: processStartTime(Deno.pid) ?? "0" });
  const deadline = Date.now() + options.timeoutMs;
  let told = false;
  while (true) {
    try {
      await Deno.writeTextFile(path, mine, { createNew: true });
      return async () => {
        // Only remove the lock if it is still ours (a stale-lock takeover by another process replaces it).
        const text = await Deno.readTextFile(path).catch((e) => {
          if (e instanceof Deno.errors.NotFound) return "";
          throw e;
        });
        if (text === mine) await Deno.remove(path);
      };
    } catch (e) {
      if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
    }
    let holder;
    try {
      holder = readLivePidFile(path);
    } catch (e) {
      // A lock file cut short by a crash is as dead as its writer.
      if (!(e instanceof SyntaxError)) throw e;
      holder = null;
    }
    if (holder === null) {
      await removeIfExists(path);
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Cannot lock "${path}": process ${holder.pid} has held it for over ${options.timeoutMs / 1000} s`,
      );
    }
    if (!told) options.onWait?.(holder.pid);
    told = true;
    await new Promise((r) => setTimeout(r, 250));
  }
}
