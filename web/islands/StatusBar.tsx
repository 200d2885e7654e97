import { formatDuration, formatNumber, formatTime } from "../format.ts";
import { store, useTopic } from "../client/store.ts";
import { useNow } from "../client/use_now.ts";

/** Freshness level of data `ageMs` old: green under 5 s, amber under 30 s, red beyond. */
export function freshnessLevel(ageMs: number): "fresh" | "delayed" | "stale" {
  return ageMs < 5000 ? "fresh" : ageMs < 30_000 ? "delayed" : "stale";
}

const LEVEL_TEXT = { fresh: "Live", delayed: "Delayed", stale: "Stalled" } as const;

/** The always-visible status bar: connection state, data freshness, throughput and lag. */
export default function StatusBar() {
  const status = useTopic("status");
  const connection = store.connection.value;
  const now = useNow();
  const asOf = status.asOf ?? status.lastCommitAt;
  const level = now === null || asOf === null ? null : freshnessLevel(now - asOf);
  const pill = connection === "reconnecting"
    ? { cls: "pill pill-offline", text: "Reconnecting…" }
    : level === null
    ? { cls: "pill pill-neutral", text: connection === "connecting" ? "Connecting…" : "Waiting for data" }
    : { cls: `pill pill-${level}`, text: LEVEL_TEXT[level] };
  return (
    <div
      class={`status-bar${connection === "reconnecting" ? " is-offline" : ""}`}
      role="status"
      aria-live="polite"
      aria-label="Connection and data freshness"
    >
      <span class={pill.cls} data-testid="connection">
        <span class="pill-dot" aria-hidden="true"></span>
        {pill.text}
      </span>
      <span class="status-item" data-testid="freshness">
        {asOf === null ? "No data yet" : (
          <>
            Data as of <time dateTime={new Date(asOf).toISOString()}>{formatTime(asOf)}</time>
            {now !== null && <span class="muted">{` · ${formatDuration(now - asOf)} ago`}</span>}
          </>
        )}
      </span>
      {status.eventsPerSecond !== null && (
        <span class="status-item hide-narrow">
          <span class="muted">Events/s</span> {formatNumber(status.eventsPerSecond, 0)}
        </span>
      )}
      {status.sourceLagMs !== null && (
        <span class="status-item hide-narrow">
          <span class="muted">Source lag</span> {formatDuration(status.sourceLagMs)}
        </span>
      )}
    </div>
  );
}
