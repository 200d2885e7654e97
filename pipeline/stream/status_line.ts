/**
 * The one-line live status on a terminal: what the job is doing, throughput, latency and lag, redrawn in place
 * at most a few times a second, out of the way of log lines.
 *
 * @module
 */

/** What the status line shows. */
export interface StatusSnapshot {
  job: string;
  /** recovering, running, idle, standby, stopping. */
  phase: string;
  lastBatch: number;
  /** Change events per second over the last few seconds. */
  eventsPerSecond: number;
  /** End-to-end latency quantiles (bucket bounds) in ms, null before any event. */
  p50Ms: number | null;
  p99Ms: number | null;
  /** Seconds the lake trails the newest source commit read, null before any event. */
  lagSeconds: number | null;
  quarantined: number;
}

function ms(v: number | null): string {
  if (v === null) return "–";
  if (v === Infinity) return "> 5 min";
  return v >= 1000 ? `${(v / 1000).toFixed(v >= 10_000 ? 0 : 1)} s` : `${Math.round(v)} ms`;
}

/** The status as one line (no newline). */
export function formatStatus(s: StatusSnapshot): string {
  const rate = s.eventsPerSecond >= 1000
    ? `${(s.eventsPerSecond / 1000).toFixed(1)}k`
    : s.eventsPerSecond.toFixed(0);
  const lag = s.lagSeconds === null ? "–" : `${s.lagSeconds.toFixed(1)} s`;
  return `lakestream ${s.job} │ ${s.phase} │ batch ${s.lastBatch} │ ${rate} ev/s │ latency p50 ${
    ms(s.p50Ms)
  } p99 ${ms(s.p99Ms)} │ lag ${lag} │ quarantined ${s.quarantined}`;
}

/** Events per second over a sliding window of cumulative counts. */
export class RateMeter {
  readonly #windowMs: number;
  readonly #samples: [number, number][] = [];

  constructor(windowMs = 5000) {
    this.#windowMs = windowMs;
  }

  /** Records the cumulative count at time `at` (ms); returns the rate per second over the window. */
  sample(at: number, total: number): number {
    this.#samples.push([at, total]);
    while (this.#samples.length > 2 && at - this.#samples[1][0] >= this.#windowMs) this.#samples.shift();
    const [t0, n0] = this.#samples[0];
    return at > t0 ? ((total - n0) * 1000) / (at - t0) : 0;
  }
}

const CLEAR = "\r\x1b[2K";

/**
 * Draws the status on a terminal line. Log lines go through {@linkcode StatusLine.wrap}, which clears the
 * status before the line and draws it again after, so the two never mix.
 */
export class StatusLine {
  readonly #write: (text: string) => void;
  readonly #now: () => number;
  readonly #minIntervalMs: number;
  #shown = "";
  #last = -Infinity;

  constructor(write: (text: string) => void, options: { now?: () => number; minIntervalMs?: number } = {}) {
    this.#write = write;
    this.#now = options.now ?? (() => performance.now());
    this.#minIntervalMs = options.minIntervalMs ?? 250;
  }

  /** Redraws the line (at most every `minIntervalMs` unless `force`). */
  update(s: StatusSnapshot, force = false): void {
    const at = this.#now();
    if (!force && at - this.#last < this.#minIntervalMs) return;
    this.#last = at;
    this.#shown = formatStatus(s);
    this.#write(CLEAR + this.#shown);
  }

  /** A line writer that keeps the status line below the lines it writes. */
  wrap(writeLine: (line: string) => void): (line: string) => void {
    return (line) => {
      if (this.#shown) this.#write(CLEAR);
      writeLine(line);
      if (this.#shown) this.#write(this.#shown);
    };
  }

  /** Removes the line (at exit). */
  clear(): void {
    if (this.#shown) this.#write(CLEAR);
    this.#shown = "";
  }
}
