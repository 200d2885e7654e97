import type { DashboardDoc } from "./views.ts";

/**
 * An SSE event id: the server process's epoch (so ids from a previous process are never mistaken for this
 * one's) and the sequence number of the last patch the event includes.
 */
export interface EventId {
  epoch: string;
  seq: number;
}

/** Data of an `event: snapshot` frame. */
export type SnapshotData = DashboardDoc;

/** `{epoch: "k3x9", seq: 42}` → `"k3x9.42"`. */
export function formatEventId(id: EventId): string {
  return `${id.epoch}.${id.seq}`;
}

/** Parses an id from `Last-Event-ID` or `?since=`; null when it is not one of ours (the client gets a snapshot). */
export function parseEventId(text: string | null | undefined): EventId | null {
  const m = /^([A-Za-z0-9_-]{1,32})\.(\d{1,15})$/.exec(text?.trim() ?? "");
  return m ? { epoch: m[1], seq: Number(m[2]) } : null;
}
