import { PageHead } from "../components/PageHead.tsx";
import {
  KpiTilesIsland,
  LiveChartIsland,
  LiveFeedIsland,
  LowStockIsland,
  StatusFunnelIsland,
  TopProductsIsland,
} from "../islands/mod.ts";
import type { ChartRange } from "../islands/LiveChart.tsx";

/** The overview: KPIs, live chart, best sellers, stock, funnel and the live feed. */
export function OverviewPage({ range }: { range: ChartRange }) {
  return (
    <>
      <PageHead title="Overview" subtitle="Today so far (UTC) compared with yesterday up to the same time" />
      <KpiTilesIsland />
      <div class="grid-main">
        <div class="stack">
          <LiveChartIsland range={range} />
          <TopProductsIsland />
        </div>
        <div class="stack">
          <StatusFunnelIsland />
          <LowStockIsland />
          <LiveFeedIsland />
        </div>
      </div>
    </>
  );
}
