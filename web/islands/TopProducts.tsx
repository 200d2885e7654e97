import { formatCount, formatMoney } from "../format.ts";
import { useTopic } from "../client/store.ts";

/** Best-selling products and categories by revenue (all time, from `product_sales`). */
export default function TopProducts() {
  const { products, categories } = useTopic("top");
  const maxCategory = Math.max(0, ...categories.map((c) => Number(c.revenue)));
  return (
    <div class="split" role="group" aria-label="Top products and categories">
      <section class="card" aria-labelledby="top-products-title" data-testid="top-products">
        <h2 id="top-products-title">Top products</h2>
        {products.length === 0 ? <p class="empty">No product sales yet.</p> : (
          <table class="data">
            <thead>
              <tr>
                <th scope="col" class="num">#</th>
                <th scope="col">Product</th>
                <th scope="col" class="num">Units</th>
                <th scope="col" class="num">Revenue</th>
              </tr>
            </thead>
            <tbody>
              {products.map((p, i) => (
                <tr key={p.productId}>
                  <td class="num muted">{i + 1}</td>
                  <td>
                    <span class="strong">{p.name}</span>
                    <span class="sub">{p.category}</span>
                  </td>
                  <td class="num">{formatCount(p.units)}</td>
                  <td class="num">{formatMoney(p.revenue)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section class="card" aria-labelledby="top-categories-title" data-testid="top-categories">
        <h2 id="top-categories-title">Categories</h2>
        {categories.length === 0 ? <p class="empty">No category sales yet.</p> : (
          <ul class="bars">
            {categories.map((c) => (
              <li key={c.category}>
                <span class="bar-label">{c.category}</span>
                <span class="bar-value">{formatMoney(c.revenue)}</span>
                <span class="bar-track" aria-hidden="true">
                  <svg class="bar-svg" viewBox="0 0 100 6" preserveAspectRatio="none">
                    <rect
                      width={maxCategory > 0 ? (Number(c.revenue) / maxCategory) * 100 : 0}
                      height="6"
                      rx="3"
                    />
                  </svg>
                </span>
                <span class="sub">{formatCount(c.units)} units</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
