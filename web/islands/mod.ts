/**
 * Server-side wrappers of the islands, for use in routes and the shell. The client registry in
 * `client/boot.ts` lists the same names.
 *
 * @module
 */
import { defineIsland } from "../island.ts";
import StatusBar from "./StatusBar.tsx";
import KpiTiles from "./KpiTiles.tsx";
import LiveChart from "./LiveChart.tsx";
import TopProducts from "./TopProducts.tsx";
import LowStock from "./LowStock.tsx";
import StatusFunnel from "./StatusFunnel.tsx";
import LiveFeed from "./LiveFeed.tsx";
import PipelineHealth from "./PipelineHealth.tsx";
import CustomerTimeline from "./CustomerTimeline.tsx";

export const StatusBarIsland = defineIsland("StatusBar", StatusBar, ["status"]);
export const KpiTilesIsland = defineIsland("KpiTiles", KpiTiles, ["kpis"]);
export const LiveChartIsland = defineIsland("LiveChart", LiveChart, ["sales"]);
export const TopProductsIsland = defineIsland("TopProducts", TopProducts, ["top"]);
export const LowStockIsland = defineIsland("LowStock", LowStock, ["stock"]);
export const StatusFunnelIsland = defineIsland("StatusFunnel", StatusFunnel, ["funnel"]);
export const LiveFeedIsland = defineIsland("LiveFeed", LiveFeed, ["feed"]);
export const PipelineHealthIsland = defineIsland("PipelineHealth", PipelineHealth, ["pipeline", "status"]);
export const CustomerTimelineIsland = defineIsland("CustomerTimeline", CustomerTimeline, ["status"]);
