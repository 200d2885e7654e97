import { formatCount, formatNumber } from "../format.ts";
import { useTopic } from "../client/store.ts";

/** Orders per status in funnel order, with cancellations and returns set apart. */
export default function StatusFunnel() {
  const { stages, total } = useTopic("funnel");
  const max = Math.max(0, ...stages.map((s) => s.orders));
  return (
    <section class="card" aria-labelledby="funnel-title" data-testid="status-funnel">
      <div class="card-head">
        <h2 id="funnel-title">Order status</h2>
        <span class="muted">{formatCount(total)} orders</span>
      </div>
      {stages.length === 0 ? <p class="empty">No orders yet.</p> : (
        <ul class="bars">
          {stages.map((s) => (
            <li key={s.status} class={`stage-${s.kind}`}>
              <span class="bar-label">{s.status}</span>
              <span class="bar-value">
                {formatCount(s.orders)}
                <span class="muted">
                  {total > 0 ? ` · ${formatNumber((s.orders / total) * 100, 1)} %` : ""}
                </span>
              </span>
              <span class="bar-track" aria-hidden="true">
                <svg class="bar-svg" viewBox="0 0 100 6" preserveAspectRatio="none">
                  <rect width={max > 0 ? (s.orders / max) * 100 : 0} height="6" rx="3" />
                </svg>
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
