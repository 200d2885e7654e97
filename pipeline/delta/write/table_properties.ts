/**
 * Typed access to the table properties the writer obeys (delta-lake.md §4), with Spark's defaults.
 *
 * @module
 */

const UNITS: Record<string, number> = {
  millisecond: 1,
  second: 1000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 604_800_000,
};

/** Milliseconds of a Spark interval text such as `"interval 7 days"` or `"interval 1 week"`. */
export function parseInterval(text: string, property: string): number {
  const m = /^\s*(?:interval\s+)?(\d+)\s+(millisecond|second|minute|hour|day|week)s?\s*$/i.exec(text);
  if (!m) {
    throw new SyntaxError(
      `Cannot parse table property ${property}="${text}": expected "interval <n> <unit>"`,
    );
  }
  return Number(m[1]) * UNITS[m[2].toLowerCase()];
}

/** `delta.checkpointInterval` (default 10). */
export function checkpointInterval(config: Record<string, string>): number {
  const v = config["delta.checkpointInterval"];
  if (v === undefined) return 10;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new RangeError(`Cannot use table property delta.checkpointInterval="${v}": not a positive integer`);
  }
  return n;
}

/** `delta.deletedFileRetentionDuration` in ms (default 1 week). */
export function deletedFileRetention(config: Record<string, string>): number {
  const v = config["delta.deletedFileRetentionDuration"];
  return v === undefined ? UNITS.week : parseInterval(v, "delta.deletedFileRetentionDuration");
}

/** `delta.logRetentionDuration` in ms (default 30 days). */
export function logRetention(config: Record<string, string>): number {
  const v = config["delta.logRetentionDuration"];
  return v === undefined ? 30 * UNITS.day : parseInterval(v, "delta.logRetentionDuration");
}

/** `delta.enableExpiredLogCleanup` (default true). */
export function expiredLogCleanupEnabled(config: Record<string, string>): boolean {
  return config["delta.enableExpiredLogCleanup"] !== "false";
}
