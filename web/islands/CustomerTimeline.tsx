import { useEffect, useRef, useState } from "preact/hooks";
import { formatCount, formatDateTime, formatMoney } from "../format.ts";
import { useTopic } from "../client/store.ts";
import type { CustomerHistory } from "../protocol/mod.ts";

/** Props of {@linkcode CustomerTimeline}. */
export interface CustomerTimelineProps {
  history: CustomerHistory;
}

/** Tables whose new versions can change a customer's page. */
const SOURCES = ["customers_scd2", "orders", "customer_ltv"];

/** A customer's SCD2 versions (what changed, valid from/to), lifetime value and latest orders; refreshes live. */
export default function CustomerTimeline(props: CustomerTimelineProps) {
  const [history, setHistory] = useState(props.history);
  const { versions } = useTopic("status");
  const stamp = SOURCES.map((t) => versions[t] ?? -1).join(",");
  const first = useRef(stamp);
  useEffect(() => {
    if (stamp === first.current) return;
    const ctl = new AbortController();
    fetch(`/api/customers/${history.customerId}`, { signal: ctl.signal })
      .then((r) => r.ok ? r.json() as Promise<CustomerHistory> : null)
      .then((h) => h && setHistory(h))
      .catch((e) => {
        if (e.name !== "AbortError") {
          console.warn(`Cannot refresh customer ${history.customerId}: ${e.message}`);
        }
      });
    return () => ctl.abort();
  }, [stamp]);

  const { ltv } = history;
  return (
    <div class="stack" role="group" aria-labelledby="customer-title" data-testid="customer-history">
      <section class="card" aria-labelledby="customer-title">
        <div class="card-head">
          <h2 id="customer-title">{history.name}</h2>
          <span class="muted">Customer #{history.customerId}</span>
        </div>
        <div class="stats">
          <div class="stat">
            <span class="stat-label">Email</span>
            <span class="stat-value small">{history.email ?? "—"}</span>
          </div>
          <div class="stat">
            <span class="stat-label">Versions</span>
            <span class="stat-value" data-testid="version-count">{history.versions.length}</span>
          </div>
          <div class="stat">
            <span class="stat-label">Orders</span>
            <span class="stat-value">{ltv ? formatCount(ltv.orders) : "—"}</span>
          </div>
          <div class="stat">
            <span class="stat-label">Lifetime value</span>
            <span class="stat-value">{ltv ? formatMoney(ltv.revenue) : "—"}</span>
          </div>
        </div>
      </section>
      <div class="split">
        <section class="card" aria-labelledby="timeline-title">
          <h2 id="timeline-title">History (SCD Type 2)</h2>
          <ol class="timeline">
            {history.versions.map((v) => (
              <li key={v.version} class={v.isCurrent ? "is-current" : v.isDeleted ? "is-deleted" : ""}>
                <div class="timeline-head">
                  <span class="strong">Version {v.version}</span>
                  {v.isCurrent && <span class="tag tag-good">current</span>}
                  {v.isDeleted && <span class="tag tag-bad">deleted</span>}
                </div>
                <p class="sub">
                  {v.validFrom === null ? "—" : formatDateTime(v.validFrom)} →{" "}
                  {v.validTo === null ? "now" : formatDateTime(v.validTo)}
                </p>
                <dl class="fields">
                  {Object.entries(v.fields).map(([k, val]) => (
                    <div key={k} class={v.changed.includes(k) ? "changed" : ""}>
                      <dt>{k}{v.changed.includes(k) && <span class="visually-hidden">(changed)</span>}</dt>
                      <dd>{val ?? "—"}</dd>
                    </div>
                  ))}
                </dl>
              </li>
            ))}
          </ol>
        </section>
        <section class="card" aria-labelledby="orders-title">
          <h2 id="orders-title">Latest orders</h2>
          {history.orders.length === 0 ? <p class="empty">No orders.</p> : (
            <table class="data">
              <thead>
                <tr>
                  <th scope="col">Order</th>
                  <th scope="col">Status</th>
                  <th scope="col" class="num">Total</th>
                </tr>
              </thead>
              <tbody>
                {history.orders.map((o) => (
                  <tr key={o.orderId}>
                    <td>
                      <span class="strong">{o.orderNumber}</span>
                      <span class="sub">{o.createdAt === null ? "" : formatDateTime(o.createdAt)}</span>
                    </td>
                    <td>{o.status}</td>
                    <td class="num">{formatMoney(o.total)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
    </div>
  );
}
