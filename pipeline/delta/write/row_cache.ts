/**
 * The rows of data files a writer wrote or read a moment ago, so a copy-on-write rewrite of the same file in
 * the next batch skips fetching and decoding it.
 *
 * @module
 */
import type { Row } from "../../value/mod.ts";
import { BudgetCache } from "../storage/budget_cache.ts";

/**
 * Rows of immutable data files by an id the caller qualifies (store URL and path), least recently used
 * evicted first once the cells held (rows × columns of the first row) pass `maxCells`. An entry holds exactly
 * the rows the file decodes to, in file order, with every column of the table; nobody mutates them. These are
 * physical rows: a file's deletion vector (which changes while the file does not) is applied on top by the
 * reader, so a file that gets a vector stays cached and row indexes stay file positions.
 */
export class RowCache extends BudgetCache<readonly Row[]> {
  constructor(maxCells: number) {
    super(
      maxCells,
      (rows) => rows.length === 0 ? 0 : rows.length * Object.keys(rows[0]).length,
      "row cache",
      "cells",
    );
  }

  /** Cells held. */
  get cells(): number {
    return this.used;
  }
}
