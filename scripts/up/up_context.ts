/**
 * What a running `up` shares with each stack: where its output goes, the clock, and the stop requests (Ctrl-C,
 * --duration, a second Ctrl-C).
 *
 * @module
 */
import type { UpStatus } from "./status_line.ts";

/** Where `up` writes. */
export interface UpIo {
  /** A line that stays (the dashboard URL, what is starting, summaries). */
  line(text: string): void;
  /** The live status line; null when the output is not a terminal (no status then). */
  status: ((status: UpStatus) => void) | null;
}

/** The running `up`'s shared state. */
export interface UpContext {
  io: UpIo;
  /** Monotonic clock, ms. */
  now(): number;
  /** Aborted when the platform should stop gracefully (Ctrl-C, SIGTERM, --duration). */
  readonly stop: AbortSignal;
  /** Aborted when the stop should not wait any longer (a second Ctrl-C): drain nothing more, exit. */
  readonly force: AbortSignal;
  stopRequested(): boolean;
  forced(): boolean;
  /** The platform is live: the --duration starts counting (stacks take a while to start). Idempotent. */
  markLive(): void;
  /**
   * Waits `ms`, or less when stopping: a graceful stop ends the wait when `wakeOnStop` (the default), a forced
   * stop always does.
   */
  sleep(ms: number, wakeOnStop?: boolean): Promise<void>;
  /** Removes the timers and listeners it set. */
  dispose(): void;
}

/** Options of {@linkcode createUpContext}. */
export interface UpContextOptions {
  io: UpIo;
  /** Graceful stop from the caller (signals). */
  signal?: AbortSignal;
  /** Forced stop from the caller (a second signal). */
  force?: AbortSignal;
  /** Stop gracefully this many seconds after {@linkcode UpContext.markLive}. @default never */
  durationSeconds?: number | null;
  /** @default performance.now */
  now?: () => number;
}

/** A context whose `stop` follows `signal` and the duration, and whose `force` follows `force`. */
export function createUpContext(options: UpContextOptions): UpContext {
  const stop = new AbortController();
  const force = new AbortController();
  const cleanups: (() => void)[] = [];
  const follow = (from: AbortSignal | undefined, to: AbortController) => {
    if (!from) return;
    if (from.aborted) return to.abort();
    const on = () => to.abort();
    from.addEventListener("abort", on, { once: true });
    cleanups.push(() => from.removeEventListener("abort", on));
  };
  follow(options.signal, stop);
  follow(options.force, force);
  // A forced stop is a stop too.
  follow(force.signal, stop);
  let live = false;
  return {
    io: options.io,
    now: options.now ?? (() => performance.now()),
    stop: stop.signal,
    force: force.signal,
    stopRequested: () => stop.signal.aborted,
    forced: () => force.signal.aborted,
    markLive() {
      if (live || options.durationSeconds == null) return;
      live = true;
      const timer = setTimeout(() => stop.abort(), options.durationSeconds * 1000);
      cleanups.push(() => clearTimeout(timer));
    },
    sleep(ms: number, wakeOnStop = true): Promise<void> {
      const wakers = wakeOnStop ? [stop.signal, force.signal] : [force.signal];
      return new Promise((resolve) => {
        if (wakers.some((s) => s.aborted)) return resolve();
        const done = () => {
          clearTimeout(timer);
          for (const s of wakers) s.removeEventListener("abort", done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        for (const s of wakers) s.addEventListener("abort", done, { once: true });
      });
    },
    dispose() {
      for (const c of cleanups.splice(0)) c();
    },
  };
}
