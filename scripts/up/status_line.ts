/**
 * The one-line live status `deno task up` shows on a terminal.
 *
 * @module
 */

/**
 * What the status line shows: null where a figure is not known yet, a missing field where the stack cannot
 * measure it (the Docker stack runs the faker and the processor in containers).
 */
export interface UpStatus {
  /** `live` while the faker runs, then what the stop is waiting for (e.g. `draining`). */
  phase: string;
  /** Time since the platform started, ms. */
  elapsedMs: number;
  /** Faker transactions per second (null once it stopped). */
  fakerTxPerSec?: number | null;
  /** Change events the processor committed per second. */
  eventsPerSec?: number | null;
  /** How far the lake trails the newest source commit read, at the last batch, ms. */
  lagMs?: number | null;
  /** Time since the lake's last commit, ms. */
  lastCommitAgeMs?: number | null;
  /** Browsers connected to the dashboard's live stream. */
  clients?: number;
}

function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

function duration(ms: number): string {
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, "0");
  return h > 0 ? `${h}h${pad(m)}m${pad(s % 60)}s` : `${m}m${pad(s % 60)}s`;
}

function rate(perSec: number): string {
  return perSec < 100 ? perSec.toFixed(1) : Math.round(perSec).toLocaleString("en-US");
}

/**
 * The status as one line: phase and uptime, faker tx/s, processor events/s and lag, last commit age, dashboard
 * clients (browsers following the live stream).
 *
 * @example
 * ```ts
 * formatStatus({ phase: "live", elapsedMs: 65_000, fakerTxPerSec: 20, eventsPerSec: 143, lagMs: 310,
 *   lastCommitAgeMs: 420, clients: 1 });
 * // "live 1m05s · faker 20.0 tx/s · processor 143 ev/s, lag 0.3 s · last commit 0.4 s ago · 1 client"
 * ```
 */
export function formatStatus(s: UpStatus): string {
  const parts = [`${s.phase} ${duration(s.elapsedMs)}`];
  if (s.fakerTxPerSec !== undefined) {
    parts.push(s.fakerTxPerSec === null ? "faker stopped" : `faker ${rate(s.fakerTxPerSec)} tx/s`);
  }
  if (s.eventsPerSec !== undefined || s.lagMs !== undefined) {
    const events = s.eventsPerSec === null || s.eventsPerSec === undefined ? "–" : rate(s.eventsPerSec);
    parts.push(
      `processor ${events} ev/s, lag ${s.lagMs === null || s.lagMs === undefined ? "–" : seconds(s.lagMs)}`,
    );
  }
  if (s.lastCommitAgeMs !== undefined) {
    parts.push(
      s.lastCommitAgeMs === null ? "no commit yet" : `last commit ${seconds(s.lastCommitAgeMs)} ago`,
    );
  }
  if (s.clients !== undefined) parts.push(`${s.clients} client${s.clients === 1 ? "" : "s"}`);
  return parts.join(" · ");
}
