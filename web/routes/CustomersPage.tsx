import { PageHead } from "../components/PageHead.tsx";
import { CustomerTimelineIsland } from "../islands/mod.ts";
import type { CustomerHistory, CustomerSummary } from "../protocol/mod.ts";

/** Customer search by id, name or email. */
export function CustomerSearchPage({ query, results }: { query: string; results: CustomerSummary[] | null }) {
  return (
    <>
      <PageHead title="Customers" subtitle="Search by id, name or email to see a customer's full history" />
      <form class="card search" method="get" action="/customers" role="search">
        <label for="q">Customer</label>
        <input
          id="q"
          name="q"
          type="search"
          value={query}
          placeholder="e.g. 42, Ada Lovelace, ada@example.com"
          maxLength={200}
          autoComplete="off"
        />
        <button class="btn" type="submit">Search</button>
      </form>
      {results !== null && (
        <section class="card" aria-labelledby="results-title" data-testid="customer-results">
          <h2 id="results-title">
            {results.length === 0 ? `No customer matches “${query}”` : `Customers matching “${query}”`}
          </h2>
          {results.length > 0 && (
            <table class="data">
              <thead>
                <tr>
                  <th scope="col" class="num">Id</th>
                  <th scope="col">Name</th>
                  <th scope="col">Email</th>
                  <th scope="col" class="num">Versions</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {results.map((c) => (
                  <tr key={c.customerId}>
                    <td class="num">{c.customerId}</td>
                    <td>
                      <a class="strong" href={`/customers/${c.customerId}`}>{c.name}</a>
                    </td>
                    <td>{c.email ?? "—"}</td>
                    <td class="num">{c.versions}</td>
                    <td>
                      {c.status === "current"
                        ? <span class="tag tag-good">current</span>
                        : <span class="tag tag-bad">deleted</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
    </>
  );
}

/** One customer's SCD2 history. */
export function CustomerPage({ history }: { history: CustomerHistory }) {
  return (
    <>
      <PageHead title={history.name} subtitle={`Customer #${history.customerId}`}>
        <a class="btn btn-ghost" href="/customers">← Search</a>
      </PageHead>
      <CustomerTimelineIsland history={history} />
    </>
  );
}
