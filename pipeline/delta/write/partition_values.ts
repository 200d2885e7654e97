/**
 * Partition values as Delta stores them (delta-lake.md §7): the string form in `partitionValues`, the
 * Hive-escaped folder name, and the URI-encoded `add.path`.
 *
 * @module
 */
import { Decimal, LocalDate, Timestamp, type Value } from "../../value/mod.ts";
import { type DataType, decimalParts } from "../schema/types.ts";

/** The `partitionValues` string of a value of a partition column (null for null and, as Spark does, ""). */
export function partitionValueString(type: DataType, v: Value | undefined, column: string): string | null {
  if (v == null) return null;
  const bad = (): never => {
    throw new TypeError(
      `Cannot partition by column "${column}": ${String(v)} is not a valid ${
        typeof type === "string" ? type : type.type
      }`,
    );
  };
  if (typeof type !== "string") {
    throw new TypeError(
      `Cannot partition by column "${column}": ${type.type} columns cannot be partition columns`,
    );
  }
  if (decimalParts(type)) {
    if (!(v instanceof Decimal)) return bad();
    return v.rescale(decimalParts(type)!.scale, "exact").toString();
  }
  switch (type) {
    case "string":
      if (typeof v !== "string") return bad();
      return v === "" ? null : v;
    case "long":
      if (typeof v !== "bigint" && !(typeof v === "number" && Number.isSafeInteger(v))) return bad();
      return String(v);
    case "integer":
    case "short":
    case "byte":
      if (typeof v !== "number" || !Number.isInteger(v)) return bad();
      return String(v);
    case "float":
    case "double":
      if (typeof v !== "number") return bad();
      // Java's Double.toString prints integral values with ".0".
      return Number.isInteger(v) ? v.toFixed(1) : String(v);
    case "boolean":
      if (typeof v !== "boolean") return bad();
      return String(v);
    case "date":
      if (!(v instanceof LocalDate)) return bad();
      return v.toString();
    case "timestamp":
      if (!(v instanceof Timestamp)) return bad();
      // ISO-8601 UTC with microseconds: the form the spec recommends and Delta-Spark ≥ 3.3 writes.
      return new Timestamp(v.epochMicros * 1000n, 6, true).toString();
    case "timestamp_ntz":
      if (!(v instanceof Timestamp)) return bad();
      return new Timestamp(v.epochMicros * 1000n, 6, false).toString().replace("T", " ");
  }
  throw new TypeError(
    `Cannot partition by column "${column}": type ${type} is not supported as a partition column`,
  );
}

// deno-lint-ignore no-control-regex -- Hive escapes control characters in folder names
const HIVE_ESCAPE = /["#%'*/:=?\\{[\]^\u0000-\u001f\u007f]/g;

/** Hive's folder-name escaping (`%XX` for `" # % ' * / : = ? \ { [ ] ^`, DEL and control characters). */
export function escapePartitionValue(value: string): string {
  return value.replace(HIVE_ESCAPE, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0"));
}

/** The relative folder of a partition: `a=1/b=__HIVE_DEFAULT_PARTITION__`, or "" when unpartitioned. */
export function partitionFolder(columns: readonly string[], values: Record<string, string | null>): string {
  return columns.map((c) => {
    const v = values[c];
    return `${escapePartitionValue(c)}=${
      v === null || v === undefined ? "__HIVE_DEFAULT_PARTITION__" : escapePartitionValue(v)
    }`;
  }).join("/");
}

// deno-lint-ignore no-control-regex -- control characters are not allowed raw in a URI path
const URI_ESCAPE = /[%\s"<>\\^`{|}\u0000-\u001f\u007f]/g;

/**
 * A storage key as `add.path`: percent-encoded once as a URI path (`%` → `%25`, space → `%20`), non-ASCII kept
 * raw, as Spark's Hadoop `Path.toUri` does; readers decode it exactly once.
 */
export function keyToAddPath(key: string): string {
  return key.replace(URI_ESCAPE, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0"));
}

/** The value of a `partitionValues` string for a column of `type` (the inverse of {@linkcode partitionValueString}). */
export function parsePartitionValue(type: DataType, text: string | null | undefined, column: string): Value {
  if (text === null || text === undefined) return null;
  if (typeof type !== "string") {
    throw new TypeError(`Cannot read partition column "${column}": ${type.type} is not a partition type`);
  }
  const dec = decimalParts(type);
  if (dec) return Decimal.parse(text, dec.scale);
  switch (type) {
    case "string":
      return text;
    case "long":
      return BigInt(text);
    case "integer":
    case "short":
    case "byte":
    case "float":
    case "double": {
      const n = Number(text);
      if (Number.isNaN(n) && text !== "NaN") {
        throw new SyntaxError(`Cannot read partition column "${column}": "${text}" is not a number`);
      }
      return n;
    }
    case "boolean":
      return text === "true";
    case "date":
      return LocalDate.parse(text);
    case "timestamp":
      return Timestamp.parse(text, { zoned: true });
    case "timestamp_ntz":
      return Timestamp.parse(text, { zoned: false });
    case "binary":
      return new TextEncoder().encode(text);
  }
  throw new TypeError(`Cannot read partition column "${column}": type ${type} is not supported`);
}
