import { PageHead } from "../components/PageHead.tsx";
import { formatBytes, formatCount, formatDateTime } from "../format.ts";
import type { LakeTableDetail, LakeTableInfo } from "../dashboard_data.ts";

/** The lake's tables. */
export function LakeIndexPage({ lake, tables }: { lake: string; tables: LakeTableInfo[] }) {
  return (
    <>
      <PageHead title="Lake" subtitle={`Delta tables in ${lake}`} />
      <section class="card" aria-labelledby="tables-title" data-testid="lake-tables">
        <h2 id="tables-title">{formatCount(tables.length)} tables</h2>
        {tables.length === 0 ? <p class="empty">No Delta tables yet.</p> : (
          <div class="table-scroll">
            <table class="data">
              <thead>
                <tr>
                  <th scope="col">Table</th>
                  <th scope="col" class="num">Version</th>
                  <th scope="col">Last commit</th>
                  <th scope="col" class="num">Files</th>
                  <th scope="col" class="num">Size</th>
                </tr>
              </thead>
              <tbody>
                {tables.map((t) => (
                  <tr key={t.name}>
                    <td>
                      <a class="strong" href={`/lake/${encodeURIComponent(t.name)}`}>{t.name}</a>
                    </td>
                    <td class="num">{formatCount(t.version)}</td>
                    <td>{t.lastCommitAt === null ? "—" : formatDateTime(t.lastCommitAt)}</td>
                    <td class="num">{formatCount(t.files)}</td>
                    <td class="num">{formatBytes(t.bytes)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

/** One table at one version: schema, history (each version links to itself), sample rows. */
export function LakeTablePage({ table }: { table: LakeTableDetail }) {
  const base = `/lake/${encodeURIComponent(table.name)}`;
  const travelling = table.version !== table.latestVersion;
  return (
    <>
      <PageHead
        title={table.name}
        subtitle={`Version ${table.version}${
          travelling ? ` of ${table.latestVersion} (time travel)` : " (latest)"
        }${table.timestamp === null ? "" : ` · committed ${formatDateTime(table.timestamp)}`}`}
      >
        <form class="inline-form" method="get" action={base}>
          <label for="version">Version</label>
          <input
            id="version"
            name="version"
            type="number"
            min={0}
            max={table.latestVersion}
            value={table.version}
          />
          <button class="btn" type="submit">Read</button>
          {travelling && <a class="btn btn-ghost" href={base}>Latest</a>}
        </form>
      </PageHead>
      <div class="stats card">
        <div class="stat">
          <span class="stat-label">Files</span>
          <span class="stat-value">{formatCount(table.files)}</span>
        </div>
        <div class="stat">
          <span class="stat-label">Size</span>
          <span class="stat-value">{formatBytes(table.bytes)}</span>
        </div>
        <div class="stat">
          <span class="stat-label">Rows</span>
          <span class="stat-value">{table.rows === null ? "—" : formatCount(table.rows)}</span>
        </div>
        <div class="stat">
          <span class="stat-label">Partitioned by</span>
          <span class="stat-value small">{table.partitionColumns.join(", ") || "—"}</span>
        </div>
      </div>
      <div class="split">
        <section class="card" aria-labelledby="schema-title" data-testid="lake-schema">
          <h2 id="schema-title">Schema</h2>
          <table class="data">
            <thead>
              <tr>
                <th scope="col">Column</th>
                <th scope="col">Type</th>
                <th scope="col">Nullable</th>
              </tr>
            </thead>
            <tbody>
              {table.columns.map((c) => (
                <tr key={c.name}>
                  <td>
                    <code>{c.name}</code>
                  </td>
                  <td>
                    <code>{c.type}</code>
                  </td>
                  <td>{c.nullable ? "yes" : "no"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section class="card" aria-labelledby="history-title" data-testid="lake-history">
          <h2 id="history-title">History</h2>
          <div class="table-scroll short">
            <table class="data">
              <thead>
                <tr>
                  <th scope="col" class="num">Version</th>
                  <th scope="col">Time</th>
                  <th scope="col">Operation</th>
                </tr>
              </thead>
              <tbody>
                {table.history.map((h) => (
                  <tr key={h.version} class={h.version === table.version ? "is-selected" : ""}>
                    <td class="num">
                      <a
                        href={`${base}?version=${h.version}`}
                        aria-current={h.version === table.version ? "true" : undefined}
                      >
                        {h.version}
                      </a>
                    </td>
                    <td>{h.timestamp === null ? "—" : formatDateTime(h.timestamp)}</td>
                    <td>
                      {h.operation ?? "—"}
                      {h.details && <span class="sub">{h.details}</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      </div>
      <section class="card" aria-labelledby="rows-title" data-testid="lake-rows">
        <h2 id="rows-title">Sample rows at version {table.version}</h2>
        {table.sample.rows.length === 0
          ? <p class="empty">The table has no rows at this version.</p>
          : (
            <div class="table-scroll">
              <table class="data compact">
                <thead>
                  <tr>{table.sample.columns.map((c) => <th scope="col" key={c}>{c}</th>)}</tr>
                </thead>
                <tbody>
                  {table.sample.rows.map((r, i) => (
                    <tr key={i}>
                      {r.map((v, j) => <td key={j}>{v === null ? <span class="muted">null</span> : v}</td>)}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
      </section>
    </>
  );
}
