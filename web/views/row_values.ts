/**
 * Reading lake values for display: numbers for charts and counts, exact decimals for money, epoch ms for
 * times, text for everything else. A value of the wrong kind is a TypeError naming the column.
 *
 * @module
 */
import {
  Decimal,
  LocalDate,
  type Row,
  Timestamp,
  toJsonValue,
  type Value,
} from "../../pipeline/value/mod.ts";

function wrong(row: Row, column: string, expected: string): TypeError {
  const v = row[column];
  return new TypeError(
    `Cannot read column "${column}": expected ${expected}, got ${
      v === undefined ? "no such column" : typeof v === "object" ? v?.constructor?.name ?? "null" : typeof v
    }`,
  );
}

/** A number (integers, bigint, decimals, floats); null stays null. */
export function numberOf(row: Row, column: string): number | null {
  const v = row[column];
  if (v === null) return null;
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (v instanceof Decimal) return v.toNumber();
  throw wrong(row, column, "a number");
}

/** An exact decimal (money); null stays null. */
export function decimalOf(row: Row, column: string): Decimal | null {
  const v = row[column];
  if (v === null) return null;
  if (v instanceof Decimal) return v;
  if (typeof v === "bigint") return new Decimal(v, 0);
  if (typeof v === "number" && Number.isInteger(v)) return new Decimal(BigInt(v), 0);
  if (typeof v === "string") return Decimal.parse(v);
  throw wrong(row, column, "a decimal");
}

/** Epoch milliseconds of a timestamp or date; null stays null. */
export function millisOf(row: Row, column: string): number | null {
  const v = row[column];
  if (v === null) return null;
  if (v instanceof Timestamp) return v.epochMillis;
  if (v instanceof LocalDate) return v.days * 86_400_000;
  throw wrong(row, column, "a timestamp");
}

/** A boolean; null stays null. */
export function booleanOf(row: Row, column: string): boolean | null {
  const v = row[column];
  if (v === null || typeof v === "boolean") return v;
  throw wrong(row, column, "a boolean");
}

/** Display text of any value in the lake's JSON encoding (strings bare); null stays null. */
export function textOf(v: Value | undefined): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "string") return v;
  const j = toJsonValue(v);
  return typeof j === "string" ? j : JSON.stringify(j);
}
