import type { FakerReport } from "./run_faker.ts";

/** The one-line live progress display: operations, rate, row changes, errors. */
export function formatProgress(report: FakerReport, elapsedMs: number): string {
  const rows = Object.values(report.changes).reduce((n, t) => n + t.c + t.u + t.d, 0);
  const rate = elapsedMs > 0 ? report.operations / (elapsedMs / 1000) : 0;
  const orders = report.byKind.newOrder ?? 0;
  return `faker ${report.dialect}: ${report.operations.toLocaleString("en-US")} tx (${
    formatRate(rate)
  }/s) · ${rows.toLocaleString("en-US")} rows · ${
    orders.toLocaleString("en-US")
  } orders · ${report.retries} retries · ${report.errors} errors · ${(elapsedMs / 1000).toFixed(1)} s`;
}

/** A rate for people: one decimal below 10 per second, whole numbers with separators above. */
export function formatRate(perSecond: number): string {
  return perSecond < 10 ? perSecond.toFixed(1) : Math.round(perSecond).toLocaleString("en-US");
}
