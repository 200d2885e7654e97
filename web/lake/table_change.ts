import type { Row } from "../../pipeline/value/mod.ts";

/**
 * The rows one Delta commit took out of a table and put into it (from the files it removed and added; a
 * rewrite of a file shows its unchanged rows on both sides).
 */
export interface TableChange {
  table: string;
  version: number;
  /** Commit time (epoch ms). */
  timestamp: number;
  operation: string | null;
  /** True for the table's state when first read (not a new commit: it produces no feed items). */
  initial: boolean;
  removed: Row[];
  added: Row[];
}
