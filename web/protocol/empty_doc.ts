import type { DashboardDoc } from "./views.ts";

/** The document before the lake has been read: every topic present and empty. */
export function emptyDoc(): DashboardDoc {
  return {
    status: { asOf: null, lastCommitAt: null, eventsPerSecond: null, sourceLagMs: null, versions: {} },
    kpis: { periodStart: 0, tiles: [] },
    sales: {},
    top: { products: [], categories: [] },
    stock: { items: [], lowCount: 0, outOfStock: 0, products: 0 },
    funnel: { stages: [], total: 0 },
    feed: [],
    pipeline: {
      tables: [],
      quarantine: { count: 0, latest: [] },
      batches: [],
      latencyP50: null,
      latencyP95: null,
    },
  };
}
