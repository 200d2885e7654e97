/**
 * The tab's shared state: one signal per document topic, fed by the one SSE connection (`stream.ts`) and read
 * by every island. During server rendering the islands read the page's document instead (`withServerDoc`),
 * so server HTML and the first client render agree.
 *
 * @module
 */
import { batch, type Signal, signal } from "@preact/signals";
import { applyPatch, type DashboardDoc, emptyDoc, type Patch, type Topic } from "../protocol/mod.ts";

/** The connection as the status bar shows it. */
export type ConnectionState = "connecting" | "live" | "reconnecting";

const initial = emptyDoc();

/** Module-level signals: one store per tab, shared by all islands (they are chunks of one bundle). */
export const store = {
  topics: Object.fromEntries(
    Object.entries(initial).map(([k, v]) => [k, signal(v)]),
  ) as { [K in Topic]: Signal<DashboardDoc[K]> },
  /** Id of the last snapshot or patch applied. */
  lastEventId: signal<string | null>(null),
  connection: signal<ConnectionState>("connecting"),
  /** Server clock minus browser clock (ms), from heartbeats; corrects "… ago" texts. */
  clockOffset: signal(0),
};

let serverDoc: DashboardDoc | null = null;

/** Runs a synchronous server render in which `useTopic` reads `doc`. */
export function withServerDoc<R>(doc: DashboardDoc, render: () => R): R {
  const outer = serverDoc;
  serverDoc = doc;
  try {
    return render();
  } finally {
    serverDoc = outer;
  }
}

/** The current value of a topic; in an island's render this subscribes the island to it. */
export function useTopic<T extends Topic>(topic: T): DashboardDoc[T] {
  return serverDoc !== null ? serverDoc[topic] : store.topics[topic].value;
}

function currentDoc(): DashboardDoc {
  const doc = {} as Record<Topic, unknown>;
  for (const k of Object.keys(store.topics) as Topic[]) doc[k] = store.topics[k].peek();
  return doc as DashboardDoc;
}

function setDoc(doc: Partial<DashboardDoc>): void {
  batch(() => {
    for (const [k, v] of Object.entries(doc) as [Topic, DashboardDoc[Topic]][]) {
      const s = store.topics[k] as Signal<DashboardDoc[Topic]>;
      if (s.peek() !== v) s.value = v;
    }
  });
}

/** Replaces the given topics (a snapshot, or the page's server-rendered state) at event `id`. */
export function seedStore(doc: Partial<DashboardDoc>, id: string | null): void {
  setDoc(doc);
  store.lastEventId.value = id;
}

/** Applies a patch at event `id`; only the topics it changes notify their islands. */
export function patchStore(patch: Patch, id: string | null): void {
  setDoc(applyPatch(currentDoc(), patch));
  store.lastEventId.value = id;
}
