/**
 * Waiting in the processor's background loops.
 *
 * @module
 */

/** Resolves after `ms`, or as soon as `signal` aborts (never rejects: the loop checks the signal itself). */
export function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
