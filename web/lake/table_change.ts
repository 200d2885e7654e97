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
  /**
   * Why the table was read again instead of followed commit by commit (its log was cleaned up past the version
   * read, or the table was deleted or re-created); absent otherwise. `removed` then holds every row read before
   * and `added` the table's state now (no rows when it is gone), so applying the change replaces the table.
   */
  reset?: string;
  removed: Row[];
  added: Row[];
}
