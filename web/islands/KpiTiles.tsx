import { formatChange, formatCount, formatMoney } from "../format.ts";
import { useTopic } from "../client/store.ts";
import { Sparkline } from "../components/Sparkline.tsx";
import type { KpiTile } from "../protocol/mod.ts";

function display(tile: KpiTile, value: string): string {
  return tile.unit === "money" ? formatMoney(value) : formatCount(value);
}

/** Revenue, orders, average order value and active customers today, vs yesterday at the same time. */
export default function KpiTiles() {
  const { tiles } = useTopic("kpis");
  if (tiles.length === 0) {
    return <p class="empty" data-testid="kpi-empty">No sales in the lake yet.</p>;
  }
  return (
    <div class="kpi-grid" role="group" aria-label="Key figures">
      {tiles.map((tile) => {
        const change = tile.previous === null
          ? null
          : formatChange(Number(tile.value), Number(tile.previous));
        const dir = change === null
          ? "flat"
          : change.startsWith("+")
          ? "up"
          : change.startsWith("-")
          ? "down"
          : "flat";
        return (
          <section
            class="card kpi"
            key={tile.id}
            aria-labelledby={`kpi-${tile.id}`}
            data-testid={`kpi-${tile.id}`}
          >
            <h2 class="kpi-label" id={`kpi-${tile.id}`}>{tile.label}</h2>
            <p class="kpi-value">{display(tile, tile.value)}</p>
            <p class={`kpi-change change-${dir}`}>
              {change === null ? <span class="muted">no data yesterday</span> : (
                <>
                  <span aria-hidden="true">{dir === "up" ? "▲ " : dir === "down" ? "▼ " : "■ "}</span>
                  {change} <span class="muted">vs yesterday ({display(tile, tile.previous!)})</span>
                </>
              )}
            </p>
            <Sparkline values={tile.spark} label={`${tile.label}, last 60 minutes`} />
          </section>
        );
      })}
    </div>
  );
}
