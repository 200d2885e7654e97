/**
 * The rows of data files a writer wrote or read a moment ago, so a copy-on-write rewrite of the same file in
 * the next batch skips fetching and decoding it.
 *
 * @module
 */
import type { Row } from "../../value/mod.ts";

/**
 * Rows of immutable data files by an id the caller qualifies (store URL and path), least recently used
 * evicted first once the cells held (rows × columns of the first row) pass `maxCells`. An entry holds exactly
 * the rows the file decodes to, in file order, with every column of the table; nobody mutates them.
 */
export class RowCache {
  #entries = new Map<string, { rows: readonly Row[]; cells: number }>();
  #cells = 0;

  constructor(readonly maxCells: number) {
    if (!(maxCells >= 0)) throw new RangeError(`Cannot create a row cache of ${maxCells} cells`);
  }

  /** Cells held. */
  get cells(): number {
    return this.#cells;
  }

  get(id: string): readonly Row[] | undefined {
    const entry = this.#entries.get(id);
    if (entry === undefined) return undefined;
    this.#entries.delete(id);
    this.#entries.set(id, entry);
    return entry.rows;
  }

  set(id: string, rows: readonly Row[]): void {
    this.delete(id);
    const cells = rows.length === 0 ? 0 : rows.length * Object.keys(rows[0]).length;
    if (cells > this.maxCells) return;
    this.#entries.set(id, { rows, cells });
    this.#cells += cells;
    for (const [oldest, entry] of this.#entries) {
      if (this.#cells <= this.maxCells) break;
      this.#entries.delete(oldest);
      this.#cells -= entry.cells;
    }
  }

  delete(id: string): void {
    const entry = this.#entries.get(id);
    if (entry === undefined) return;
    this.#entries.delete(id);
    this.#cells -= entry.cells;
  }
}
