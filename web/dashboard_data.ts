/**
 * What the HTTP layer needs from the lake: the live hub, and on-demand reads for the customer pages and the
 * lake browser. `lake/lake_dashboard.ts` implements it on the Delta tables.
 *
 * @module
 */
import type { StreamHub } from "./sse/stream_hub.ts";
import type { CustomerHistory, CustomerSummary } from "./protocol/mod.ts";

/** One table in the lake browser's list. */
export interface LakeTableInfo {
  name: string;
  version: number;
  lastCommitAt: number | null;
  files: number;
  bytes: number;
}

/** One column of a table schema, with its Delta type as text (`decimal(18,2)`, `struct<…>`). */
export interface LakeColumn {
  name: string;
  type: string;
  nullable: boolean;
}

/** One commit of a table's history. */
export interface LakeCommit {
  version: number;
  timestamp: number | null;
  operation: string | null;
  /** Operation parameters and metrics as short `key=value` text. */
  details: string;
}

/** A table as of one version (time travel): schema, history, sample rows. */
export interface LakeTableDetail {
  name: string;
  version: number;
  latestVersion: number;
  timestamp: number | null;
  columns: LakeColumn[];
  partitionColumns: string[];
  properties: Record<string, string>;
  /** Newest first, at most 100 commits up to `latestVersion`. */
  history: LakeCommit[];
  files: number;
  bytes: number;
  rows: number | null;
  /** The first rows of the version, values as display text (the lake's JSON encoding). */
  sample: { columns: string[]; rows: (string | null)[][] };
}

/** The health answer of `GET /api/health`. */
export interface HealthReport {
  /** "starting" until the first full read of the lake finished. */
  status: "ok" | "starting";
  now: number;
  lake: string;
  freshness: { asOf: number | null; ageMs: number | null; level: "fresh" | "delayed" | "stale" | "unknown" };
  tables: { name: string; version: number; lastCommitAt: number | null }[];
  clients: number;
  /** SSE counters since start: frames sent, snapshots, and patch frames that coalesced several patches. */
  stream: { frames: number; snapshots: number; coalesced: number };
}

/** The dashboard's view of the lake. */
export interface DashboardData {
  readonly hub: StreamHub;
  health(): HealthReport;
  /** Customers whose id, name or email matches `query`; current versions first. */
  searchCustomers(query: string, limit: number): CustomerSummary[];
  /** Null when the lake has no such customer. */
  customerHistory(customerId: number): CustomerHistory | null;
  listTables(): Promise<LakeTableInfo[]>;
  /**
   * A table at `version` (latest when null); null for an unknown table. A version the table does not have
   * rejects with a RangeError naming the table and its versions.
   */
  describeTable(name: string, version: number | null): Promise<LakeTableDetail | null>;
}
