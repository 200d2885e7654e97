import { formatDays, parseDays } from "./calendar.ts";

/**
 * A calendar date without a time zone (Delta `date`, Debezium `io.debezium.time.Date`), as days since
 * 1970-01-01.
 */
export class LocalDate {
  readonly days: number;

  constructor(days: number) {
    if (!Number.isSafeInteger(days)) {
      throw new RangeError(`Cannot create date: ${days} is not an integer day`);
    }
    this.days = days;
  }

  /** Parses "YYYY-MM-DD". */
  static parse(text: string): LocalDate {
    return new LocalDate(parseDays(text));
  }

  /** "YYYY-MM-DD". */
  toString(): string {
    return formatDays(this.days);
  }

  toJSON(): string {
    return this.toString();
  }

  compare(other: LocalDate): number {
    return Math.sign(this.days - other.days);
  }
}
