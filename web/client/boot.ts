/**
 * The browser entry: seeds the store from the page's server-rendered state, hydrates the islands on the page
 * (each a lazy chunk of one splitting build, so they share one Preact and one store), then opens the stream.
 *
 * @module
 */
import { type ComponentType, h, hydrate } from "preact";
import type { DashboardDoc } from "../protocol/mod.ts";
import { seedStore } from "./store.ts";
import { connectStream } from "./stream.ts";

// Props are checked where the server wrappers are defined (islands/mod.ts); here they are parsed JSON.
type IslandModule = { default: unknown };

/** Island name → chunk. Literal imports, so `deno bundle --code-splitting` makes one chunk per island. */
export const ISLANDS: Record<string, () => Promise<IslandModule>> = {
  StatusBar: () => import("../islands/StatusBar.tsx"),
  KpiTiles: () => import("../islands/KpiTiles.tsx"),
  LiveChart: () => import("../islands/LiveChart.tsx"),
  TopProducts: () => import("../islands/TopProducts.tsx"),
  LowStock: () => import("../islands/LowStock.tsx"),
  StatusFunnel: () => import("../islands/StatusFunnel.tsx"),
  LiveFeed: () => import("../islands/LiveFeed.tsx"),
  PipelineHealth: () => import("../islands/PipelineHealth.tsx"),
  CustomerTimeline: () => import("../islands/CustomerTimeline.tsx"),
};

async function boot(): Promise<void> {
  const state = document.getElementById("lakestream-state");
  if (state?.textContent) {
    const { id, doc } = JSON.parse(state.textContent) as { id: string; doc: Partial<DashboardDoc> };
    seedStore(doc, id);
  }
  const roots = [...document.querySelectorAll<HTMLElement>("x-island[data-island]")];
  await Promise.all(roots.map(async (root) => {
    const name = root.dataset.island!;
    const load = ISLANDS[name];
    if (!load) throw new Error(`Cannot hydrate island "${name}": it is not in the client registry`);
    const { default: Component } = await load();
    hydrate(
      h(Component as ComponentType<Record<string, unknown>>, JSON.parse(root.dataset.props ?? "{}")),
      root,
    );
    root.dataset.hydrated = "true";
  }));
  document.documentElement.dataset.hydrated = "true";
  connectStream();
}

boot();
