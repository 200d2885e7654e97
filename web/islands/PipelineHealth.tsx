import {
  formatBytes,
  formatCount,
  formatDateTime,
  formatDuration,
  formatNumber,
  formatTime,
} from "../format.ts";
import { useTopic } from "../client/store.ts";
import { useNow } from "../client/use_now.ts";
import { Sparkline } from "../components/Sparkline.tsx";
import { freshnessLevel } from "./StatusBar.tsx";

function Stat({ label, value, testid }: { label: string; value: string; testid?: string }) {
  return (
    <div class="stat" data-testid={testid}>
      <span class="stat-label">{label}</span>
      <span class="stat-value">{value}</span>
    </div>
  );
}

/** Freshness, throughput, lag, latency, quarantine and per-table log statistics. */
export default function PipelineHealth() {
  const status = useTopic("status");
  const pipeline = useTopic("pipeline");
  const now = useNow();
  const asOf = status.asOf ?? status.lastCommitAt;
  const level = now === null || asOf === null ? null : freshnessLevel(now - asOf);
  const dash = "—";
  return (
    <div class="stack" role="group" aria-label="Pipeline health">
      <section class="card" aria-labelledby="health-title" data-testid="pipeline-summary">
        <div class="card-head">
          <h2 id="health-title">Data freshness</h2>
          {level && (
            <span class={`pill pill-${level}`}>
              <span class="pill-dot" aria-hidden="true"></span>
              {level}
            </span>
          )}
        </div>
        <p class="freshness-line">
          {asOf === null ? "No data in the lake yet" : (
            <>
              As of <strong>{formatDateTime(asOf)}</strong>
              {now !== null && <span class="muted">{` · ${formatDuration(now - asOf)} ago`}</span>}
            </>
          )}
        </p>
        <div class="stats">
          <Stat
            label="Events / s"
            value={status.eventsPerSecond === null ? dash : formatNumber(status.eventsPerSecond, 0)}
          />
          <Stat
            label="Source lag"
            value={status.sourceLagMs === null ? dash : formatDuration(status.sourceLagMs)}
          />
          <Stat
            label="Latency p50"
            value={pipeline.latencyP50 === null ? dash : formatDuration(pipeline.latencyP50)}
          />
          <Stat
            label="Latency p95"
            value={pipeline.latencyP95 === null ? dash : formatDuration(pipeline.latencyP95)}
          />
          <Stat
            label="Quarantined"
            value={formatCount(pipeline.quarantine.count)}
            testid="quarantine-count"
          />
          <Stat label="Tables" value={formatCount(pipeline.tables.length)} />
        </div>
        {pipeline.batches.length > 1 && (
          <div class="spark-row">
            <span class="muted">Events per batch, last {pipeline.batches.length} batches</span>
            <Sparkline
              values={pipeline.batches.map((b) => b.events)}
              label="Events per batch"
              width={320}
              height={40}
            />
          </div>
        )}
      </section>
      <section class="card" aria-labelledby="tables-title" data-testid="table-stats">
        <h2 id="tables-title">Tables</h2>
        {pipeline.tables.length === 0
          ? <p class="empty">No Delta tables found in the lake.</p>
          : (
            <div class="table-scroll">
              <table class="data">
                <thead>
                  <tr>
                    <th scope="col">Table</th>
                    <th scope="col" class="num">Version</th>
                    <th scope="col">Last commit</th>
                    <th scope="col" class="num">Files</th>
                    <th scope="col" class="num">Small files</th>
                    <th scope="col" class="num">Size</th>
                    <th scope="col" class="num">Rows</th>
                  </tr>
                </thead>
                <tbody>
                  {pipeline.tables.map((t) => (
                    <tr key={t.name}>
                      <td>
                        <a href={`/lake/${encodeURIComponent(t.name)}`} class="strong">{t.name}</a>
                      </td>
                      <td class="num">{formatCount(t.version)}</td>
                      <td>
                        {t.lastCommitAt === null ? dash : formatTime(t.lastCommitAt)}
                        {now !== null && t.lastCommitAt !== null && (
                          <span class="muted">{` · ${formatDuration(now - t.lastCommitAt)} ago`}</span>
                        )}
                        {t.operation && <span class="sub">{t.operation}</span>}
                      </td>
                      <td class="num">{formatCount(t.files)}</td>
                      <td class="num">
                        {formatCount(t.smallFiles)}
                        {t.files > 0 && t.smallFiles / t.files > 0.5 && t.smallFiles > 10 && (
                          <span class="tag tag-warn">compact</span>
                        )}
                      </td>
                      <td class="num">{formatBytes(t.bytes)}</td>
                      <td class="num">{t.rows === null ? dash : formatCount(t.rows)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
      </section>
      <section class="card" aria-labelledby="quarantine-title" data-testid="quarantine">
        <h2 id="quarantine-title">Quarantined messages</h2>
        {pipeline.quarantine.latest.length === 0
          ? <p class="empty">Nothing quarantined.</p>
          : (
            <ul class="plain-list">
              {pipeline.quarantine.latest.map((q, i) => (
                <li key={i}>
                  <span class="sub">{q.at === null ? dash : formatDateTime(q.at)} · {q.source}</span>
                  <code class="wrap">{q.error}</code>
                </li>
              ))}
            </ul>
          )}
      </section>
    </div>
  );
}
