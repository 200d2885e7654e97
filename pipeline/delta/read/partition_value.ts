/**
 * Partition values (PROTOCOL.md "Partition Value Serialization"): the strings of `add.partitionValues` parsed by
 * the column's Delta type. Never parsed from paths.
 *
 * @module
 */
import { Decimal, LocalDate, Timestamp, type Value } from "../../value/mod.ts";
import { type DataType, decimalParts } from "../schema/types.ts";
import { wallClockToUtc } from "./time_zone.ts";

/** Options for {@linkcode parsePartitionValue}. */
export interface PartitionValueOptions {
  /**
   * IANA time zone for `timestamp` partition values written without a zone (`"2021-09-08 11:11:11"`, Spark
   * before Delta 3.3 wrote them in its session time zone). Values with `Z` or an offset ignore it.
   * @default "UTC"
   */
  timeZone?: string;
}

const encoder = new TextEncoder();
const HAS_ZONE = /(Z|[+-]\d{2}(:?\d{2})?)$/i;
const INTEGER = /^[+-]?\d+$/;

/**
 * The value of a serialized partition value. null and `""` are null (the protocol reads an empty string as
 * null). A value that does not parse as its type is a SyntaxError naming `column`.
 */
export function parsePartitionValue(
  text: string | null | undefined,
  type: DataType,
  column: string,
  options: PartitionValueOptions = {},
): Value {
  if (text === null || text === undefined || text === "") return null;
  const bad = (why = `not a valid ${typeof type === "string" ? type : type.type}`) =>
    new SyntaxError(`Cannot parse partition value ${JSON.stringify(text)} of column "${column}": ${why}`);
  if (typeof type !== "string") throw bad("partition columns must have a primitive type");
  const dec = decimalParts(type);
  if (dec) {
    try {
      return Decimal.parse(text).rescale(dec.scale, "exact");
    } catch (e) {
      throw Object.assign(bad(), { cause: e });
    }
  }
  switch (type) {
    case "string":
      return text;
    case "byte":
    case "short":
    case "integer": {
      if (!INTEGER.test(text)) throw bad();
      return Number(text);
    }
    case "long":
      if (!INTEGER.test(text)) throw bad();
      return BigInt(text);
    case "float":
    case "double": {
      const n = Number(text);
      if (Number.isNaN(n) && text !== "NaN") throw bad();
      return n;
    }
    case "boolean": {
      const t = text.toLowerCase();
      if (t === "true") return true;
      if (t === "false") return false;
      throw bad();
    }
    case "date":
      try {
        return LocalDate.parse(text);
      } catch (e) {
        throw Object.assign(bad(), { cause: e });
      }
    case "timestamp":
    case "timestamp_ntz": {
      let ts: Timestamp;
      try {
        ts = Timestamp.parse(text, { zoned: type === "timestamp" });
      } catch (e) {
        throw Object.assign(bad(), { cause: e });
      }
      if (type === "timestamp" && !HAS_ZONE.test(text.trim())) {
        const zone = options.timeZone ?? "UTC";
        const ms = ts.epochMillis;
        const subMs = ts.epochNanos - BigInt(ms) * 1_000_000n;
        ts = new Timestamp(BigInt(wallClockToUtc(zone, ms)) * 1_000_000n + subMs, 6, true);
      }
      return ts.with({ digits: 6 });
    }
    case "binary":
      return encoder.encode(text);
  }
  throw bad(`type ${type} cannot be a partition column`);
}
