/**
 * The error for a location that holds no Delta table (yet): callers such as the dashboard and the stream
 * processor wait for the table to appear instead of failing.
 *
 * @module
 */

/** No `_delta_log/` commit or checkpoint exists at the table location. */
export class TableNotFoundError extends Error {
  override name = "TableNotFoundError";
  constructor(readonly tableUrl: string, options?: ErrorOptions) {
    super(`Cannot open "${tableUrl}": no Delta table there (no commits in _delta_log/)`, options);
  }
}
