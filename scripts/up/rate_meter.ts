/**
 * A rate over a sliding time window, from samples of a growing counter.
 *
 * @module
 */

/**
 * Turns samples of a monotonically growing count (operations, events) into a per-second rate over the last
 * `windowMs`, so the status line shows what is happening now rather than an average since the start.
 *
 * @example
 * ```ts
 * const meter = new RateMeter(5000);
 * meter.sample(0, 0);
 * meter.sample(100, 2000);
 * meter.rate(); // 50 per second
 * ```
 */
export class RateMeter {
  readonly #windowMs: number;
  readonly #samples: { count: number; at: number }[] = [];

  /** @param windowMs how far back the rate looks. @default 5000 */
  constructor(windowMs = 5000) {
    if (!(windowMs > 0)) throw new RangeError(`Cannot measure a rate over ${windowMs} ms: use a window > 0`);
    this.#windowMs = windowMs;
  }

  /** Records the counter's value `count` at time `at` (ms, monotonic). */
  sample(count: number, at: number): void {
    this.#samples.push({ count, at });
    // Keep one sample at or before the window's start, so the rate always spans the whole window.
    while (this.#samples.length > 2 && this.#samples[1].at <= at - this.#windowMs) this.#samples.shift();
  }

  /** Per second over the window; null until two samples at different times exist. */
  rate(): number | null {
    const first = this.#samples[0];
    const last = this.#samples[this.#samples.length - 1];
    if (!first || last.at <= first.at) return null;
    return ((last.count - first.count) * 1000) / (last.at - first.at);
  }
}
