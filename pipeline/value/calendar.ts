/**
 * Proleptic Gregorian calendar arithmetic on day numbers (days since 1970-01-01), valid far beyond JS Date's
 * range. Algorithms from Howard Hinnant's "chrono-compatible low-level date algorithms".
 *
 * @module
 */

/** Days since 1970-01-01 of a civil date (month 1–12). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The civil date [year, month 1–12, day 1–31] of a day number. */
export function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

/** ISO year text: four digits, or a sign and more digits outside 0000–9999. */
export function formatYear(year: number): string {
  if (year >= 0 && year <= 9999) return String(year).padStart(4, "0");
  return (year < 0 ? "-" : "+") + String(Math.abs(year)).padStart(6, "0");
}

/** "YYYY-MM-DD" of a day number. */
export function formatDays(days: number): string {
  const [y, m, d] = civilFromDays(days);
  return `${formatYear(y)}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

const DATE_TEXT = /^([+-]?\d{4,6})-(\d{2})-(\d{2})$/;

/** Day number of "YYYY-MM-DD"; a SyntaxError names the text when it is not a valid date. */
export function parseDays(text: string): number {
  const m = DATE_TEXT.exec(text);
  if (!m) throw new SyntaxError(`Cannot parse date "${text}": expected YYYY-MM-DD`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const days = daysFromCivil(y, mo, d);
  const [cy, cm, cd] = civilFromDays(days);
  if (cy !== y || cm !== mo || cd !== d) throw new SyntaxError(`Cannot parse date "${text}": no such day`);
  return days;
}
