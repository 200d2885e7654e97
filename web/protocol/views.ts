/**
 * The dashboard document: what the server computes from the lake and every tab holds, topic by topic. All
 * values are plain JSON (money as exact decimal text, times as epoch milliseconds) so the same shapes travel in
 * SSE frames, in server-rendered pages and in island props.
 *
 * @module
 */

/** Freshness and headline pipeline figures, shown on every page. */
export interface StatusView {
  /** Newest source commit time the lake reflects (epoch ms); null before any data. */
  asOf: number | null;
  /** Newest Delta commit time over all followed tables (epoch ms); null before any commit. */
  lastCommitAt: number | null;
  /** Events per second the processor handled over its recent batches; null when unknown. */
  eventsPerSecond: number | null;
  /** How far the processor is behind its source (ms), from the latest batch; null when unknown. */
  sourceLagMs: number | null;
  /** Table name → current version, for islands that refetch when a table changes. */
  versions: Record<string, number>;
}

/** One KPI tile. */
export interface KpiTile {
  id: "revenue" | "orders" | "aov" | "customers";
  label: string;
  /** "money": exact decimal text; "count": integer text. */
  unit: "money" | "count";
  value: string;
  /** The same figure for the previous period (yesterday up to the same time of day); null when unknown. */
  previous: string | null;
  /** Per-minute values of the last 60 minutes, oldest first. */
  spark: number[];
}

/** The KPI tiles and the period they cover. */
export interface KpiView {
  /** Start of the current period (UTC midnight, epoch ms). */
  periodStart: number;
  tiles: KpiTile[];
}

/** One minute of sales (a `sales` topic entry, keyed by `t` as text). */
export interface SalesPoint {
  /** Window start, epoch ms. */
  t: number;
  orders: number;
  units: number;
  /** Revenue as a float, for charts only (exact figures are in the KPI tiles). */
  revenue: number;
}

/** A product's sales. */
export interface ProductSales {
  productId: number;
  name: string;
  category: string;
  units: number;
  revenue: string;
}

/** A category's sales. */
export interface CategorySales {
  category: string;
  units: number;
  revenue: string;
}

/** Best sellers. */
export interface TopView {
  products: ProductSales[];
  categories: CategorySales[];
}

/** One product whose stock is at or below its reorder threshold. */
export interface LowStockItem {
  productId: number;
  name: string;
  stock: number;
  /** Units sold in the last 7 days. */
  sold7d: number | null;
  /** Days the stock lasts at the recent sell rate; null when nothing sold recently. */
  daysOfCover: number | null;
}

/** Inventory alerts. */
export interface StockView {
  items: LowStockItem[];
  lowCount: number;
  outOfStock: number;
  products: number;
}

/** Orders per status, in funnel order. */
export interface FunnelView {
  stages: { status: string; orders: number; kind: "flow" | "cancelled" | "returned" }[];
  total: number;
}

/** One change in the live feed, derived from a Delta commit by comparing rows by key. */
export interface FeedItem {
  /** Unique within one server process. */
  id: string;
  table: string;
  op: "c" | "u" | "d";
  /** Key columns as text: `order_id=42`. */
  key: string;
  /** Delta commit time (epoch ms). */
  at: number;
  version: number;
  /** Changed columns (updates), or the first columns of the row (inserts, deletes). */
  fields: { column: string; before: string | null; after: string | null }[];
}

/** One table's log and file statistics. */
export interface TableStats {
  name: string;
  version: number;
  /** Commit time of the current version (epoch ms). */
  lastCommitAt: number | null;
  operation: string | null;
  files: number;
  bytes: number;
  /** Files under the small-file threshold. */
  smallFiles: number;
  rows: number | null;
}

/** One quarantined message. */
export interface QuarantineItem {
  at: number | null;
  source: string;
  error: string;
}

/** One processor batch from `_pipeline_metrics`. */
export interface BatchMetric {
  at: number;
  events: number;
  durationMs: number | null;
  latencyMs: number | null;
  lagMs: number | null;
}

/** Pipeline health. */
export interface PipelineView {
  tables: TableStats[];
  quarantine: { count: number; latest: QuarantineItem[] };
  batches: BatchMetric[];
  /** End-to-end latency (source commit → Delta commit) percentiles over the recent batches (ms). */
  latencyP50: number | null;
  latencyP95: number | null;
}

/** Everything a tab holds. `sales` is keyed by window start; `feed` is newest last and bounded. */
export interface DashboardDoc {
  status: StatusView;
  kpis: KpiView;
  sales: Record<string, SalesPoint>;
  top: TopView;
  stock: StockView;
  funnel: FunnelView;
  feed: FeedItem[];
  pipeline: PipelineView;
}

/** Topic names of the document. */
export type Topic = keyof DashboardDoc;

/** Topics replaced whole by a patch. */
export type ReplaceTopic = Exclude<Topic, "sales" | "feed">;
