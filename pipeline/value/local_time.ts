/**
 * A time of day without a zone (Debezium `Time`, `MicroTime`, `NanoTime`), as nanoseconds since midnight plus
 * the number of fraction digits the source carries.
 */
export class LocalTime {
  readonly nanos: bigint;
  /** Fraction digits to print: 3 for milliseconds, 6 for microseconds, 9 for nanoseconds. */
  readonly digits: number;

  constructor(nanos: bigint, digits = 9) {
    if (nanos < 0n || nanos >= 86_400_000_000_000n) {
      throw new RangeError(`Cannot create time of day: ${nanos} ns is outside one day`);
    }
    this.nanos = nanos;
    this.digits = digits;
  }

  /** Microseconds since midnight (truncated). */
  get micros(): bigint {
    return this.nanos / 1000n;
  }

  /** "HH:MM:SS" plus `digits` fraction digits. */
  toString(): string {
    const secs = this.nanos / 1_000_000_000n;
    const frac = this.nanos % 1_000_000_000n;
    const hh = String(secs / 3600n).padStart(2, "0");
    const mm = String((secs / 60n) % 60n).padStart(2, "0");
    const ss = String(secs % 60n).padStart(2, "0");
    const f = this.digits > 0 ? "." + String(frac).padStart(9, "0").slice(0, this.digits) : "";
    return `${hh}:${mm}:${ss}${f}`;
  }

  toJSON(): string {
    return this.toString();
  }
}
