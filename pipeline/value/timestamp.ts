import { daysFromCivil, formatDays } from "./calendar.ts";

const NS_PER_DAY = 86_400_000_000_000n;
const TIMESTAMP_TEXT =
  /^([+-]?\d{4,6})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** The digit at `i` of `text`, or -1. */
function digitAt(text: string, i: number): number {
  const d = text.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : -1;
}

/** `n` digits from `i` as a number, or -1 when one is not a digit. */
function digitsAt(text: string, i: number, n: number): number {
  let v = 0;
  for (let j = i; j < i + n; j++) {
    const d = digitAt(text, j);
    if (d < 0) return -1;
    v = v * 10 + d;
  }
  return v;
}

/**
 * `YYYY-MM-DDTHH:MM:SS[.f…]Z`, the form Debezium's ZonedTimestamp and our own JSON use, without the regular
 * expression and with one BigInt multiplication (the stream decodes several per change event); null for any
 * other form (the general parser then decides).
 */
function parseUtc(text: string): Timestamp | null {
  const n = text.length;
  if (n < 20 || n > 30 || text.charCodeAt(n - 1) !== 90 /* Z */ || text[4] !== "-" || text[7] !== "-") {
    return null;
  }
  if (text[10] !== "T" || text[13] !== ":" || text[16] !== ":") return null;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23) return null;
  if (minute < 0 || minute > 59 || second < 0 || second > 60) return null;
  let fraction = 0;
  let digits = 0;
  if (n > 20) {
    if (text[19] !== "." || n === 21) return null;
    digits = n - 21;
    fraction = digitsAt(text, 20, digits);
    if (fraction < 0) return null;
    for (let i = digits; i < 9; i++) fraction *= 10;
  }
  const seconds = daysFromCivil(year, month, day) * 86_400 + (hour * 60 + minute) * 60 + second;
  return new Timestamp(BigInt(seconds) * 1_000_000_000n + BigInt(fraction), Math.max(6, digits), true);
}

/** Options for {@linkcode Timestamp.parse}. */
export interface TimestampParseOptions {
  /**
   * Whether text without a zone is an instant in UTC (`true`, Delta `timestamp`) or a wall-clock value
   * (`false`, Delta `timestamp_ntz`). Text with a zone is always an instant.
   * @default true
   */
  zoned?: boolean;
}

/**
 * A point in time with nanosecond resolution.
 *
 * `zoned: true` is an instant (Delta `timestamp`, printed with `Z`); `zoned: false` is a wall-clock value
 * without a zone (Delta `timestamp_ntz`, Debezium `Timestamp`/`MicroTimestamp`/`NanoTimestamp`), stored as if UTC
 * and printed without `Z`. `digits` is the fraction precision of the source (3, 6 or 9), used when printing.
 */
export class Timestamp {
  readonly epochNanos: bigint;
  readonly digits: number;
  readonly zoned: boolean;

  constructor(epochNanos: bigint, digits = 6, zoned = true) {
    if (!Number.isInteger(digits) || digits < 0 || digits > 9) {
      throw new RangeError(`Cannot create timestamp: ${digits} fraction digits is outside 0–9`);
    }
    this.epochNanos = epochNanos;
    this.digits = digits;
    this.zoned = zoned;
  }

  static fromMicros(micros: bigint | number, zoned = true): Timestamp {
    return new Timestamp(BigInt(micros) * 1000n, 6, zoned);
  }

  static fromMillis(millis: bigint | number, zoned = true): Timestamp {
    return new Timestamp(BigInt(millis) * 1_000_000n, 3, zoned);
  }

  static fromNanos(nanos: bigint | number, zoned = true): Timestamp {
    return new Timestamp(BigInt(nanos), 9, zoned);
  }

  /**
   * Parses ISO-8601 (`2024-01-02T03:04:05.123456Z`, `…+11:00`) and Spark's space-separated form
   * (`2021-09-08 11:11:11`, 0–9 fraction digits). Digits printed later = max(6, digits given).
   */
  static parse(text: string, options: TimestampParseOptions = {}): Timestamp {
    const fast = parseUtc(text);
    if (fast !== null) return fast;
    const m = TIMESTAMP_TEXT.exec(text.trim());
    if (!m) {
      throw new SyntaxError(
        `Cannot parse timestamp "${text}": expected ISO-8601 such as 2024-01-02T03:04:05Z`,
      );
    }
    const [, y, mo, d, hh, mi, ss = "0", frac = "", zone] = m;
    const [month, day, hour, minute, second] = [Number(mo), Number(d), Number(hh), Number(mi), Number(ss)];
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
      throw new SyntaxError(`Cannot parse timestamp "${text}": a field is out of range`);
    }
    let nanos = BigInt(daysFromCivil(Number(y), month, day)) * NS_PER_DAY +
      BigInt((hour * 60 + minute) * 60 + second) * 1_000_000_000n +
      BigInt(frac.padEnd(9, "0") || "0");
    let zoned = options.zoned ?? true;
    if (zone) {
      zoned = true;
      if (zone.toUpperCase() !== "Z") {
        const sign = zone[0] === "-" ? -1n : 1n;
        const digits = zone.slice(1).replace(":", "");
        const offMin = BigInt(Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || "0"));
        nanos -= sign * offMin * 60_000_000_000n;
      }
    }
    return new Timestamp(nanos, Math.max(6, frac.length), zoned);
  }

  /** Microseconds since the epoch, rounded toward negative infinity (what Delta and Parquet store). */
  get epochMicros(): bigint {
    const q = this.epochNanos / 1000n;
    return this.epochNanos < 0n && this.epochNanos % 1000n !== 0n ? q - 1n : q;
  }

  /** Milliseconds since the epoch (floor), as a number; for clocks, stats and charts. */
  get epochMillis(): number {
    const q = this.epochNanos / 1_000_000n;
    return Number(this.epochNanos < 0n && this.epochNanos % 1_000_000n !== 0n ? q - 1n : q);
  }

  /** ISO-8601 with `digits` fraction digits; `Z` when zoned. */
  toString(): string {
    let days = this.epochNanos / NS_PER_DAY;
    let rest = this.epochNanos % NS_PER_DAY;
    if (rest < 0n) {
      rest += NS_PER_DAY;
      days -= 1n;
    }
    const secs = rest / 1_000_000_000n;
    const frac = rest % 1_000_000_000n;
    const hh = String(secs / 3600n).padStart(2, "0");
    const mm = String((secs / 60n) % 60n).padStart(2, "0");
    const ss = String(secs % 60n).padStart(2, "0");
    const f = this.digits > 0 ? "." + String(frac).padStart(9, "0").slice(0, this.digits) : "";
    return `${formatDays(Number(days))}T${hh}:${mm}:${ss}${f}${this.zoned ? "Z" : ""}`;
  }

  toJSON(): string {
    return this.toString();
  }

  /** The same moment printed with other fraction digits or zone flag. */
  with(options: { digits?: number; zoned?: boolean }): Timestamp {
    return new Timestamp(this.epochNanos, options.digits ?? this.digits, options.zoned ?? this.zoned);
  }

  compare(other: Timestamp): number {
    return this.epochNanos < other.epochNanos ? -1 : this.epochNanos > other.epochNanos ? 1 : 0;
  }
}
