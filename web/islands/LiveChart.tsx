import uPlot from "uplot";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { formatCount, formatNumber, formatTime } from "../format.ts";
import { useTopic } from "../client/store.ts";
import type { SalesPoint } from "../protocol/mod.ts";

/** The chart's time ranges, in ms. */
export const CHART_RANGES = { "15m": 15 * 60_000, "1h": 3_600_000, "24h": 86_400_000 } as const;

/** A time range of the chart. */
export type ChartRange = keyof typeof CHART_RANGES;

/** Props of {@linkcode LiveChart}. */
export interface LiveChartProps {
  range: ChartRange;
}

const HEIGHT = 260;

function cssVar(el: Element, name: string): string {
  return getComputedStyle(el).getPropertyValue(name).trim();
}

/**
 * Revenue and orders per minute (uPlot). Updates at most once per animation frame; a drag-zoom pauses the
 * live window until "Back to live".
 */
export default function LiveChart(props: LiveChartProps) {
  const sales = useTopic("sales");
  const [range, setRange] = useState<ChartRange>(props.range);
  const [live, setLive] = useState(true);
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const liveRef = useRef(true);
  const frame = useRef(0);

  const points = useMemo(() => Object.values(sales).sort((a, b) => a.t - b.t), [sales]);
  const latest: SalesPoint | undefined = points.at(-1);

  useEffect(() => {
    const el = host.current!;
    const stroke = cssVar(el, "--chart-revenue") || "#0ea5e9";
    const stroke2 = cssVar(el, "--chart-orders") || "#f97316";
    const axis = {
      stroke: cssVar(el, "--text-muted") || "#555",
      grid: { stroke: cssVar(el, "--grid") || "#eee" },
    };
    const u = new uPlot(
      {
        width: el.clientWidth || 600,
        height: el.clientHeight || HEIGHT,
        legend: { show: false },
        cursor: { drag: { x: true, y: false, setScale: true } },
        scales: {
          x: { time: true },
          revenue: { range: (_u, _min, max) => [0, Math.max(10, max * 1.1)] },
          orders: { range: (_u, _min, max) => [0, Math.max(4, Math.ceil(max * 1.1))] },
        },
        series: [
          {},
          {
            label: "Revenue / min",
            scale: "revenue",
            stroke,
            width: 2,
            fill: `${stroke}22`,
            points: { show: false },
          },
          { label: "Orders / min", scale: "orders", stroke: stroke2, width: 1.5, points: { show: false } },
        ],
        axes: [
          { ...axis, values: (_u, ticks) => ticks.map((t) => formatTime(t * 1000).slice(0, 5)) },
          {
            ...axis,
            scale: "revenue",
            size: 64,
            values: (_u, ticks) => ticks.map((t) => `$${formatCount(t)}`),
          },
          {
            ...axis,
            scale: "orders",
            side: 1,
            size: 44,
            grid: { show: false },
            values: (_u, ticks) => ticks.map((t) => Number.isInteger(t) ? formatCount(t) : ""),
          },
        ],
        hooks: {
          // A drag selection is the user zooming (uPlot then sets the x scale to it): stop following "now".
          setSelect: [(u) => {
            if (u.select.width > 0 && liveRef.current) {
              liveRef.current = false;
              setLive(false);
            }
          }],
        },
      },
      [[], [], []],
      el,
    );
    plot.current = u;
    const ro = new ResizeObserver(() =>
      u.setSize({ width: el.clientWidth, height: el.clientHeight || HEIGHT })
    );
    ro.observe(el);
    return () => {
      ro.disconnect();
      cancelAnimationFrame(frame.current);
      u.destroy();
      plot.current = null;
    };
  }, []);

  useEffect(() => {
    cancelAnimationFrame(frame.current);
    frame.current = requestAnimationFrame(() => {
      const u = plot.current;
      if (!u) return;
      const xs = points.map((p) => p.t / 1000);
      const data: uPlot.AlignedData = [xs, points.map((p) => p.revenue), points.map((p) => p.orders)];
      u.setData(data, false);
      if (liveRef.current) {
        const max = Math.max(Date.now() / 1000, xs.at(-1) ?? 0);
        u.setScale("x", { min: max - CHART_RANGES[range] / 1000, max });
      } else {
        u.redraw();
      }
    });
  }, [points, range, live]);

  const choose = (r: ChartRange) => (e: Event) => {
    e.preventDefault();
    setRange(r);
    liveRef.current = true;
    setLive(true);
    const url = new URL(location.href);
    url.searchParams.set("range", r);
    history.replaceState(null, "", url);
  };

  return (
    <section class="card chart-card" aria-labelledby="chart-title" data-testid="live-chart">
      <div class="card-head">
        <h2 id="chart-title">Revenue and orders per minute</h2>
        <div class="segmented" role="group" aria-label="Time range">
          {(Object.keys(CHART_RANGES) as ChartRange[]).map((r) => (
            <a href={`?range=${r}`} key={r} aria-pressed={r === range ? "true" : "false"} onClick={choose(r)}>
              {r}
            </a>
          ))}
        </div>
      </div>
      <p class="chart-legend">
        <span class="legend-key legend-revenue" aria-hidden="true"></span>Revenue / min
        <span class="legend-key legend-orders" aria-hidden="true"></span>Orders / min
        {latest && (
          <span class="muted" data-testid="chart-latest">
            {` · ${formatTime(latest.t).slice(0, 5)}: $${formatNumber(latest.revenue, 2)}, ${
              formatCount(latest.orders)
            } orders`}
          </span>
        )}
        {!live && (
          <button
            type="button"
            class="btn btn-small"
            onClick={() => {
              liveRef.current = true;
              setLive(true);
            }}
          >
            Back to live
          </button>
        )}
      </p>
      <div class="chart-wrap">
        <div class="chart" ref={host} role="img" aria-label="Line chart of revenue and orders per minute" />
        {points.length === 0 && <p class="chart-empty">No sales yet.</p>}
      </div>
    </section>
  );
}
