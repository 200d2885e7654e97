/**
 * The dashboard's wire protocol, shared by server and browser: the document, its patches, and the SSE
 * event names.
 *
 * @module
 */
export * from "./views.ts";
export { applyPatch, FEED_LIMIT, isEmptyPatch, mergePatches, type Patch } from "./patch.ts";
export { emptyDoc } from "./empty_doc.ts";
export { type EventId, formatEventId, parseEventId, type SnapshotData } from "./event_id.ts";
export type {
  CustomerHistory,
  CustomerLtv,
  CustomerOrder,
  CustomerSummary,
  CustomerVersion,
} from "./customers.ts";
