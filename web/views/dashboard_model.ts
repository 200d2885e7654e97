/**
 * The dashboard's in-memory model of the lake: every followed table's current rows (keyed) or recent rows
 * (append-only), the view models built on them, and the patches that bring a published document up to date.
 * Pure: commits and clock readings come in, patches and documents go out.
 *
 * @module
 */
import { ECOMMERCE_TABLES } from "../../pipeline/catalog/mod.ts";
import { type Row, Timestamp } from "../../pipeline/value/mod.ts";
import {
  applyPatch,
  type DashboardDoc,
  emptyDoc,
  FEED_LIMIT,
  type FeedItem,
  type Patch,
  type ReplaceTopic,
  type SalesPoint,
  type TableStats,
} from "../protocol/mod.ts";
import type { TableChange } from "../lake/table_change.ts";
import { ActiveCustomers } from "./active_customers.ts";
import {
  CUSTOMER_LTV_TABLE,
  CustomerIndex,
  CUSTOMERS_SCD2_TABLE,
  ORDER_STATUS_TABLE,
  ORDERS_TABLE,
} from "./customer_index.ts";
import { feedItems } from "./feed_view.ts";
import { funnelView, STATUS_COUNTS_TABLE } from "./funnel_view.ts";
import { KeyedRows, type RowChange } from "./keyed_rows.ts";
import { kpiView } from "./kpi_view.ts";
import { PIPELINE_METRICS_TABLE, PipelineModel, QUARANTINE_TABLE } from "./pipeline_model.ts";
import { SALES_TABLE, SalesModel } from "./sales_model.ts";
import { INVENTORY_LEVELS_TABLE, PRODUCT_COLUMNS, stockView } from "./stock_view.ts";
import { PRODUCT_SALES_TABLE, topView } from "./top_view.ts";
import type { CustomerHistory, CustomerSummary } from "../protocol/mod.ts";

/**
 * How the dashboard reads a table: "keyed" keeps every current row (removed rows are known from the files
 * that held them); "append" reads only rows newly appended (and the newest ones at start); tables not planned
 * are followed for their log statistics only.
 */
export interface TablePlan {
  mode: "keyed" | "append";
  /** Key columns (keyed tables). */
  key: readonly string[];
  /** Whether row changes appear in the live feed. */
  feed: boolean;
  /** Rows read at start for append tables. */
  recentRows?: number;
}

const MIRRORS: [string, TablePlan][] = ECOMMERCE_TABLES.filter((t) => t.name !== "customers").map((
  t,
) => [t.name, { mode: "keyed", key: t.key, feed: true }]);

/** Every table whose rows the dashboard reads, and how. */
export const TABLE_PLANS: ReadonlyMap<string, TablePlan> = new Map<string, TablePlan>([
  ...MIRRORS,
  [CUSTOMERS_SCD2_TABLE.name, { mode: "keyed", key: CUSTOMERS_SCD2_TABLE.key, feed: true }],
  [SALES_TABLE.name, { mode: "keyed", key: [SALES_TABLE.windowStart], feed: false }],
  [PRODUCT_SALES_TABLE.name, { mode: "keyed", key: PRODUCT_SALES_TABLE.key, feed: false }],
  [INVENTORY_LEVELS_TABLE.name, { mode: "keyed", key: INVENTORY_LEVELS_TABLE.key, feed: false }],
  [STATUS_COUNTS_TABLE.name, { mode: "keyed", key: STATUS_COUNTS_TABLE.key, feed: false }],
  [CUSTOMER_LTV_TABLE.name, { mode: "keyed", key: CUSTOMER_LTV_TABLE.key, feed: false }],
  [PIPELINE_METRICS_TABLE.name, { mode: "append", key: [], feed: false, recentRows: 120 }],
  [QUARANTINE_TABLE.name, { mode: "append", key: [], feed: false, recentRows: 5 }],
]);

/** Mirror column with each row's source commit time: the newest one is the data's freshness. */
const SOURCE_COMMIT_TS = "source_commit_ts";

const REPLACE_TOPICS: ReplaceTopic[] = ["status", "kpis", "top", "stock", "funnel", "pipeline"];

/** The dashboard's model of the lake. */
export class DashboardModel {
  readonly #tables = new Map<string, KeyedRows>();
  readonly #sales = new SalesModel();
  readonly #active = new ActiveCustomers();
  readonly #customers = new CustomerIndex();
  #pipeline = new PipelineModel();
  /** The newest rows of each append-only table (as many as its plan reads at start), to rebuild from on a reset. */
  readonly #recent = new Map<string, Row[]>();
  #stats: TableStats[] = [];
  #dirty = new Set<ReplaceTopic>(REPLACE_TOPICS);
  #salesChanges: Record<string, SalesPoint | null> = {};
  #feed: FeedItem[] = [];
  #feedSeq = 0;
  #sourceAsOf: number | null = null;
  #published: DashboardDoc = emptyDoc();

  /**
   * Applies one commit of a table. `live` commits (after the initial read) also produce feed items. A change
   * with `reset` replaces what the table contributed (keyed tables: its `removed` rows are every row it had).
   */
  apply(change: TableChange, live: boolean): void {
    const plan = TABLE_PLANS.get(change.table);
    if (!plan) return;
    if (plan.mode === "append") {
      const kept = change.reset === undefined ? this.#recent.get(change.table) ?? [] : [];
      this.#recent.set(change.table, [...kept, ...change.added].slice(-(plan.recentRows ?? 100)));
      if (change.reset === undefined) this.#addAppended(change.table, change.added);
      else {
        // The pipeline figures mix both append tables: rebuild them from what is kept of each.
        this.#pipeline = new PipelineModel();
        for (const [table, rows] of this.#recent) this.#addAppended(table, rows);
      }
      this.#dirty.add("pipeline").add("status");
      return;
    }
    if (change.table === SALES_TABLE.name) {
      Object.assign(this.#salesChanges, this.#sales.apply(change.removed, change.added));
      this.#dirty.add("kpis");
      return;
    }
    let rows = this.#tables.get(change.table);
    if (!rows) this.#tables.set(change.table, rows = new KeyedRows(plan.key));
    const changes: RowChange[] = rows.apply(change.removed, change.added);
    for (const row of change.added) {
      const ts = row[SOURCE_COMMIT_TS];
      if (ts instanceof Timestamp && (this.#sourceAsOf === null || ts.epochMillis > this.#sourceAsOf)) {
        this.#sourceAsOf = ts.epochMillis;
        this.#dirty.add("status");
      }
    }
    if (changes.length === 0) return;
    switch (change.table) {
      case ORDERS_TABLE.name:
        this.#active.apply(changes);
        this.#customers.applyOrders(changes);
        this.#dirty.add("kpis");
        break;
      case CUSTOMERS_SCD2_TABLE.name:
        this.#customers.applyVersions(changes);
        break;
      case PRODUCT_SALES_TABLE.name:
        this.#dirty.add("top");
        break;
      case INVENTORY_LEVELS_TABLE.name:
      case "products":
        this.#dirty.add("stock");
        break;
      case STATUS_COUNTS_TABLE.name:
        this.#dirty.add("funnel");
        break;
    }
    if (live && !change.initial && plan.feed) {
      const items = feedItems(
        change.table,
        change.version,
        change.timestamp,
        plan.key,
        changes,
        () => `${change.table}.${change.version}.${++this.#feedSeq}`,
        FEED_LIMIT,
      );
      this.#feed = [...this.#feed, ...items].slice(-FEED_LIMIT);
    }
  }

  #addAppended(table: string, rows: readonly Row[]): void {
    if (table === PIPELINE_METRICS_TABLE.name) this.#pipeline.addBatches(rows);
    if (table === QUARANTINE_TABLE.name) this.#pipeline.addQuarantined(rows);
  }

  /** Replaces the per-table log statistics. */
  setStats(stats: readonly TableStats[]): void {
    this.#stats = [...stats].sort((a, b) => a.name.localeCompare(b.name));
    this.#dirty.add("status").add("pipeline");
  }

  #topic(topic: ReplaceTopic, now: number): DashboardDoc[ReplaceTopic] {
    switch (topic) {
      case "status":
        return this.#pipeline.status(this.#stats, now, this.#sourceAsOf);
      case "kpis":
        return kpiView(this.#sales, this.#active, now);
      case "top":
        return topView(this.#tables.get(PRODUCT_SALES_TABLE.name) ?? new KeyedRows(PRODUCT_SALES_TABLE.key));
      case "stock":
        return stockView(
          this.#tables.get(INVENTORY_LEVELS_TABLE.name) ?? new KeyedRows(INVENTORY_LEVELS_TABLE.key),
          this.#tables.get("products") ?? new KeyedRows(PRODUCT_COLUMNS.key),
        );
      case "funnel":
        return funnelView(
          this.#tables.get(STATUS_COUNTS_TABLE.name) ?? new KeyedRows(STATUS_COUNTS_TABLE.key),
        );
      case "pipeline":
        return this.#pipeline.view(this.#stats);
    }
  }

  /**
   * Everything that changed since the last patch or document, at `now`: topics whose value differs from the
   * published one, changed and expired sales minutes, and new feed items. Time-dependent topics (KPIs, status)
   * are recomputed on every call, so a periodic call rolls the day over and ages the figures.
   */
  takePatch(now: number): Patch {
    this.#dirty.add("kpis").add("status");
    const set: Record<string, unknown> = {};
    for (const topic of this.#dirty) {
      const value = this.#topic(topic, now);
      if (JSON.stringify(value) !== JSON.stringify(this.#published[topic])) set[topic] = value;
    }
    this.#dirty.clear();
    const sales = { ...this.#salesChanges };
    const windowStart = now - 86_400_000;
    for (const [k, v] of Object.entries(sales)) if (v !== null && v.t < windowStart) delete sales[k];
    Object.assign(sales, this.#sales.expired(this.#published.sales, now));
    for (const k of Object.keys(sales)) {
      if (sales[k] === null && !(k in this.#published.sales)) delete sales[k];
    }
    this.#salesChanges = {};
    const patch: Patch = {};
    if (Object.keys(set).length > 0) patch.set = set as Patch["set"];
    if (Object.keys(sales).length > 0) patch.sales = sales;
    if (this.#feed.length > 0) patch.feed = this.#feed;
    this.#feed = [];
    this.#published = applyPatch(this.#published, patch);
    return patch;
  }

  /** The full document at `now` (also marks everything published). */
  doc(now: number): DashboardDoc {
    for (const t of REPLACE_TOPICS) this.#dirty.add(t);
    this.takePatch(now);
    this.#published = { ...this.#published, sales: this.#sales.series(now) };
    return this.#published;
  }

  /** Customer search (see {@linkcode CustomerIndex.search}). */
  searchCustomers(query: string, limit: number): CustomerSummary[] {
    return this.#customers.search(query, limit);
  }

  /** A customer's history page, or null. */
  customerHistory(customerId: number): CustomerHistory | null {
    return this.#customers.history(customerId, {
      orders: this.#tables.get(ORDERS_TABLE.name) ?? null,
      ltv: this.#tables.get(CUSTOMER_LTV_TABLE.name) ?? null,
      statuses: this.#tables.get(ORDER_STATUS_TABLE.name) ?? null,
    });
  }
}
