import { formatCount, formatNumber } from "../format.ts";
import { useTopic } from "../client/store.ts";

/** Products at or below their reorder threshold, fewest days of cover first. */
export default function LowStock() {
  const stock = useTopic("stock");
  return (
    <section class="card" aria-labelledby="low-stock-title" data-testid="low-stock">
      <div class="card-head">
        <h2 id="low-stock-title">Low stock</h2>
        <span class="muted">
          {formatCount(stock.lowCount)} low · {formatCount(stock.outOfStock)} out of stock ·{" "}
          {formatCount(stock.products)} products
        </span>
      </div>
      {stock.items.length === 0
        ? <p class="empty">Every product is above its reorder threshold.</p>
        : (
          <div class="table-scroll">
            <table class="data">
              <thead>
                <tr>
                  <th scope="col">Product</th>
                  <th scope="col" class="num">Stock</th>
                  <th scope="col" class="num">
                    <abbr title="Units sold in the last 7 days">7-day</abbr>
                  </th>
                  <th scope="col" class="num">
                    <abbr title="Days the stock lasts at the recent sell rate">Cover</abbr>
                  </th>
                </tr>
              </thead>
              <tbody>
                {stock.items.map((it) => (
                  <tr key={it.productId}>
                    <td>
                      <span class="strong">{it.name}</span>
                      {it.stock === 0 && <span class="tag tag-bad">Out of stock</span>}
                    </td>
                    <td class="num">{formatCount(it.stock)}</td>
                    <td class="num">{it.sold7d === null ? "—" : formatCount(it.sold7d)}</td>
                    <td class="num">
                      {it.daysOfCover === null ? "—" : `${formatNumber(it.daysOfCover, 1)} d`}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
    </section>
  );
}
