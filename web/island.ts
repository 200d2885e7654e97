/**
 * Islands without Fresh: a server-side wrapper that marks where an interactive component sits in the HTML
 * (`<x-island data-island="Name" data-props="{…}">`) and records which islands and document topics a page
 * uses, so the page ships only their state and the client boot hydrates exactly those.
 *
 * @module
 */
import { type ComponentType, h, type VNode } from "preact";
import type { Topic } from "./protocol/mod.ts";

interface Collector {
  islands: Set<string>;
  topics: Set<Topic>;
}

let collector: Collector | null = null;

/** What a render used. */
export interface IslandUse<R> {
  result: R;
  islands: Set<string>;
  topics: Set<Topic>;
}

/** Runs a synchronous render and returns the islands and topics it used. */
export function collectIslands<R>(render: () => R): IslandUse<R> {
  const outer = collector;
  const c: Collector = { islands: new Set(), topics: new Set() };
  collector = c;
  try {
    return { result: render(), ...c };
  } finally {
    collector = outer;
  }
}

/**
 * Wraps an island component for server rendering. Props must be plain JSON (they travel in `data-props`);
 * `topics` are the document topics the island reads, shipped with the page.
 */
export function defineIsland<P extends object>(
  name: string,
  Component: ComponentType<P>,
  topics: Topic[] = [],
): (props: P) => VNode {
  if (!/^[A-Z][A-Za-z0-9]*$/.test(name)) {
    throw new TypeError(`Cannot define island "${name}": the name must be PascalCase letters and digits`);
  }
  const Island = (props: P): VNode => {
    if (collector) {
      collector.islands.add(name);
      for (const t of topics) collector.topics.add(t);
    }
    const attrs: Record<string, string> = { "data-island": name, "data-props": JSON.stringify(props) };
    return h("x-island", attrs, h(Component, props)) as VNode;
  };
  return Island;
}
