/**
 * Exact decimal numbers: an unscaled bigint and a scale, as Delta, Parquet and Debezium store them.
 * Money never passes through a JS `number`.
 *
 * @module
 */

/** How a value is brought to a smaller scale. */
export type Rounding = "exact" | "half-up" | "floor";

const TEN = 10n;
const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

function pow10(n: number): bigint {
  return TEN ** BigInt(n);
}

/**
 * An exact decimal number `unscaled × 10^-scale`.
 *
 * @example
 * ```ts
 * const price = Decimal.parse("12.30");
 * price.mul(Decimal.parse("3")).toString(); // "36.90"
 * ```
 */
export class Decimal {
  /** The digits as an integer: 1230 for 12.30 at scale 2. */
  readonly unscaled: bigint;
  /** Digits after the decimal point; 0 or more. */
  readonly scale: number;

  constructor(unscaled: bigint, scale: number) {
    if (!Number.isInteger(scale) || scale < 0 || scale > 1000) {
      throw new RangeError(`Cannot create decimal: scale ${scale} is not an integer between 0 and 1000`);
    }
    this.unscaled = unscaled;
    this.scale = scale;
  }

  /**
   * Parses decimal text such as `"12.30"`, `"-0.5"`, `"1e3"`. With `scale`, the result has exactly that scale;
   * digits that would be lost throw a RangeError (bad input never loses data silently).
   */
  static parse(text: string, scale?: number): Decimal {
    const m = DECIMAL_TEXT.exec(text.trim());
    if (!m || (m[2] === "" && (m[3] ?? "") === "")) {
      throw new SyntaxError(`Cannot parse decimal "${text}": not a decimal number`);
    }
    const [, sign, int, frac = "", exp] = m;
    let unscaled = BigInt((int || "0") + frac);
    if (sign === "-") unscaled = -unscaled;
    let s = frac.length - (exp ? Number(exp) : 0);
    if (s < 0) {
      unscaled *= pow10(-s);
      s = 0;
    }
    const d = new Decimal(unscaled, s);
    return scale === undefined ? d : d.rescale(scale, "exact");
  }

  /** A decimal from a JS number, going through its shortest round-trip text; for literals in tests and configs. */
  static fromNumber(n: number, scale?: number): Decimal {
    if (!Number.isFinite(n)) throw new RangeError(`Cannot convert ${n} to a decimal: not a finite number`);
    return Decimal.parse(String(n), scale);
  }

  /** Zero at the given scale. */
  static zero(scale = 0): Decimal {
    return new Decimal(0n, scale);
  }

  /** Number of significant digits of the unscaled value (at least 1). */
  get precision(): number {
    const u = this.unscaled < 0n ? -this.unscaled : this.unscaled;
    return u === 0n ? 1 : u.toString().length;
  }

  /** The same value at another scale; `"exact"` throws a RangeError when non-zero digits would be dropped. */
  rescale(scale: number, rounding: Rounding = "exact"): Decimal {
    if (scale === this.scale) return this;
    if (scale > this.scale) return new Decimal(this.unscaled * pow10(scale - this.scale), scale);
    const div = pow10(this.scale - scale);
    let q = this.unscaled / div;
    const r = this.unscaled % div;
    if (r !== 0n) {
      if (rounding === "exact") {
        throw new RangeError(`Cannot rescale ${this} to scale ${scale}: digits would be lost`);
      }
      if (rounding === "floor") {
        if (r < 0n) q -= 1n;
      } else {
        const twice = (r < 0n ? -r : r) * 2n;
        if (twice >= div) q += this.unscaled < 0n ? -1n : 1n;
      }
    }
    return new Decimal(q, scale);
  }

  add(other: Decimal): Decimal {
    const s = Math.max(this.scale, other.scale);
    return new Decimal(this.rescale(s).unscaled + other.rescale(s).unscaled, s);
  }

  sub(other: Decimal): Decimal {
    return this.add(other.neg());
  }

  /** Exact product; its scale is the sum of both scales. */
  mul(other: Decimal): Decimal {
    return new Decimal(this.unscaled * other.unscaled, this.scale + other.scale);
  }

  /** Quotient rounded half-up to `scale` digits; throws a RangeError on division by zero. */
  div(other: Decimal, scale: number): Decimal {
    if (other.unscaled === 0n) throw new RangeError(`Cannot divide ${this} by zero`);
    // this/other = (a·10^-s1)/(b·10^-s2); compute with two extra digits, then round.
    const extra = scale + 1 + other.scale - this.scale;
    let num = this.unscaled;
    let den = other.unscaled;
    if (extra >= 0) num *= pow10(extra);
    else den *= pow10(-extra);
    return new Decimal(num / den, scale + 1).rescale(scale, "half-up");
  }

  neg(): Decimal {
    return new Decimal(-this.unscaled, this.scale);
  }

  /** -1, 0 or 1, comparing numeric values (1.0 equals 1.00). */
  compare(other: Decimal): number {
    const s = Math.max(this.scale, other.scale);
    const a = this.rescale(s).unscaled;
    const b = other.rescale(s).unscaled;
    return a < b ? -1 : a > b ? 1 : 0;
  }

  /** Numeric equality (1.0 equals 1.00). */
  equals(other: Decimal): boolean {
    return this.compare(other) === 0;
  }

  isZero(): boolean {
    return this.unscaled === 0n;
  }

  /** Plain text at this scale: `"12.30"`, `"-0.05"`, `"7"`. */
  toString(): string {
    const neg = this.unscaled < 0n;
    const digits = (neg ? -this.unscaled : this.unscaled).toString();
    if (this.scale === 0) return (neg ? "-" : "") + digits;
    const padded = digits.padStart(this.scale + 1, "0");
    const cut = padded.length - this.scale;
    return (neg ? "-" : "") + padded.slice(0, cut) + "." + padded.slice(cut);
  }

  /** JSON form: the exact text, so money survives JSON.stringify. */
  toJSON(): string {
    return this.toString();
  }

  /** An approximate float, for charts and display only. */
  toNumber(): number {
    return Number(this.toString());
  }
}
