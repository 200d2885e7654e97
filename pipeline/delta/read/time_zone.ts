/**
 * Wall-clock times in a named time zone (IANA, through Intl) → instants. Needed for zone-less timestamp
 * partition values such as `"2021-09-08 11:11:11"`, which Spark wrote in its session time zone.
 *
 * @module
 */

const formats = new Map<string, Intl.DateTimeFormat>();

function format(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat("en-US", {
        timeZone,
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        second: "numeric",
        era: "short",
      });
    } catch (e) {
      throw new RangeError(`Cannot use time zone "${timeZone}": not a known IANA time zone`, { cause: e });
    }
    formats.set(timeZone, f);
  }
  return f;
}

/** Offset of `timeZone` from UTC at the instant `epochMs`, in ms (positive east of Greenwich). */
export function zoneOffsetMs(timeZone: string, epochMs: number): number {
  const parts: Record<string, string> = {};
  for (const p of format(timeZone).formatToParts(new Date(epochMs))) parts[p.type] = p.value;
  let year = Number(parts.year);
  if (parts.era === "BC" || parts.era === "B") year = 1 - year;
  const d = new Date(0);
  d.setUTCFullYear(year, Number(parts.month) - 1, Number(parts.day));
  d.setUTCHours(Number(parts.hour), Number(parts.minute), Number(parts.second), 0);
  const wall = d.getTime();
  return wall - (epochMs - (((epochMs % 1000) + 1000) % 1000));
}

/**
 * The UTC instant (ms) at which clocks in `timeZone` show the wall-clock time `wallMs` (a wall clock written as
 * if it were UTC). In an overlap the earlier instant
 * wins; a time in a gap moves later by the gap's length (java.time's rules, which Spark follows).
 */
export function wallClockToUtc(timeZone: string, wallMs: number): number {
  if (timeZone === "UTC" || timeZone === "Etc/UTC") return wallMs;
  // Offsets a day before and after cover any transition near this wall time.
  const before = zoneOffsetMs(timeZone, wallMs - 86_400_000);
  const after = zoneOffsetMs(timeZone, wallMs + 86_400_000);
  const valid = [...new Set([before, after])]
    .map((offset) => wallMs - offset)
    .filter((instant) => zoneOffsetMs(timeZone, instant) === wallMs - instant);
  // Overlap: the earlier instant; gap: shifted later by the gap, as java.time's ZonedDateTime.of does.
  return valid.length > 0 ? Math.min(...valid) : wallMs - before;
}
