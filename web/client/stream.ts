/**
 * One EventSource per tab: snapshot and patches into the store, heartbeats into the clock offset, and a
 * visible connection state. EventSource reconnects by itself (sending Last-Event-ID) after network errors;
 * when it gives up (a non-200 answer, e.g. during a restart) this module re-creates it with backoff and resumes
 * from the last applied id.
 *
 * @module
 */
import type { Patch, SnapshotData } from "../protocol/mod.ts";
import { patchStore, seedStore, store } from "./store.ts";

/** Options of {@linkcode connectStream}. */
export interface StreamOptions {
  /** @default "/api/stream" */
  url?: string;
  /** Reconnect when nothing (not even a heartbeat) arrived for this long, in ms. @default 40000 */
  staleMs?: number;
}

/** Opens the tab's stream; returns a function that closes it. */
export function connectStream(options: StreamOptions = {}): () => void {
  const url = options.url ?? "/api/stream";
  const staleMs = options.staleMs ?? 40_000;
  let es: EventSource | null = null;
  let lastMessage = Date.now();
  let backoff = 500;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  const touch = () => {
    lastMessage = Date.now();
    backoff = 500;
    store.connection.value = "live";
  };

  const open = () => {
    const since = store.lastEventId.peek();
    lastMessage = Date.now();
    es = new EventSource(since ? `${url}?since=${encodeURIComponent(since)}` : url);
    es.addEventListener("snapshot", (e) => {
      touch();
      seedStore(JSON.parse(e.data) as SnapshotData, e.lastEventId || null);
    });
    es.addEventListener("patch", (e) => {
      touch();
      patchStore(JSON.parse(e.data) as Patch, e.lastEventId || null);
    });
    es.addEventListener("heartbeat", (e) => {
      touch();
      const { now } = JSON.parse(e.data) as { now: number };
      store.clockOffset.value = now - Date.now();
    });
    es.onopen = touch;
    es.onerror = () => {
      store.connection.value = "reconnecting";
      if (es?.readyState === EventSource.CLOSED) reopenLater();
    };
  };

  const reopenLater = () => {
    es?.close();
    es = null;
    if (closed || retryTimer !== undefined) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      if (!closed) open();
    }, backoff);
    backoff = Math.min(backoff * 2, 10_000);
  };

  const watchdog = setInterval(() => {
    if (es && Date.now() - lastMessage > staleMs) {
      store.connection.value = "reconnecting";
      reopenLater();
    }
  }, 5000);

  open();
  return () => {
    closed = true;
    clearInterval(watchdog);
    clearTimeout(retryTimer);
    es?.close();
  };
}
