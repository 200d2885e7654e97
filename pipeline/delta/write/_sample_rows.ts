/**
 * A sample table for the Parquet writer's tests: every primitive type, over several pages.
 *
 * @module
 */
import { Decimal, LocalDate, type Row, Timestamp } from "../../value/mod.ts";
import type { StructField } from "../schema/types.ts";

export const f = (name: string, type: StructField["type"], nullable = true): StructField => ({
  name,
  type,
  nullable,
  metadata: {},
});

/** Every primitive type; `id` is not nullable. */
export const FIELDS = [
  f("id", "long", false),
  f("b", "byte"),
  f("s", "short"),
  f("i", "integer"),
  f("narrow", "integer"),
  f("f32", "float"),
  f("f64", "double"),
  f("flag", "boolean"),
  f("status", "string"),
  f("unique", "string"),
  f("bin", "binary"),
  f("day", "date"),
  f("ts", "timestamp"),
  f("ntz", "timestamp_ntz"),
  f("d9", "decimal(9,2)"),
  f("d18", "decimal(18,2)"),
  f("d38", "decimal(38,10)"),
  f("customer", "long"),
];

/**
 * Rows over several pages, with nulls in runs and scattered, dictionary and PLAIN columns; `ntz` holds
 * nanoseconds unless `microsOnly` (what a column batch can carry).
 */
export function sampleRows(n: number, microsOnly = false): Row[] {
  const rows: Row[] = [];
  for (let r = 0; r < n; r++) {
    const nul = (every: number) => r % every === 3 || (r > 1000 && r < 1040);
    rows.push({
      id: BigInt(r) - 5n,
      b: nul(7) ? null : (r % 256) - 128,
      s: nul(11) ? null : (r * 7) % 65536 - 32768,
      i: nul(5) ? null : ((r * 1_000_003) % 2 ** 32) - 2 ** 31,
      narrow: nul(13) ? null : r % 10,
      f32: nul(9) ? null : Math.fround(r / 3),
      f64: nul(17) ? null : r * 1.5 - 1e6,
      flag: nul(3) ? null : r % 3 === 1,
      status: nul(19) ? null : ["pending", "paid", "ünï 😀", ""][r % 4],
      unique: nul(23) ? null : `value-${r}-${"x".repeat(r % 40)}`,
      bin: nul(29) ? null : new Uint8Array([r & 255, 0, 255]),
      day: nul(31) ? null : new LocalDate(19_000 + (r % 500) - 250),
      ts: nul(37) ? null : Timestamp.fromMicros(1_700_000_000_000_000n + BigInt(r) * 1_000_003n - 999n),
      ntz: nul(41)
        ? null
        : microsOnly
        ? Timestamp.fromMicros(BigInt(r) * 1_234_567n - 10n ** 12n, false)
        : new Timestamp(BigInt(r) * 1_234_567_891n - 10n ** 15n, 9, false),
      d9: nul(43) ? null : new Decimal(BigInt(r * 37) - 5_000_000n, 2),
      d18: nul(47) ? null : new Decimal(BigInt(r) * 123_456_789_012n - 10n ** 16n, 2),
      d38: nul(53) ? null : new Decimal(BigInt(r) * 10n ** 26n - 10n ** 30n, 10),
      customer: nul(59) ? null : BigInt((r * 7919) % 1000) - 500n,
    });
  }
  return rows;
}
