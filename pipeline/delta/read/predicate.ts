/**
 * Simple scan predicates `column op value` (op in = != < <= > >=) and `column is [not] null`, with SQL null
 * semantics: a comparison with null is not true.
 *
 * @module
 */
import { Decimal, LocalDate, type Row, Timestamp, type Value } from "../../value/mod.ts";
import { decimalParts, type StructField, type StructType } from "../schema/types.ts";
import { compareValues } from "./compare_values.ts";

/** Comparison operators. */
export type CompareOp = "=" | "!=" | "<" | "<=" | ">" | ">=";

/** One condition on a top-level column; a scan's filter is the AND of its predicates. */
export type Predicate =
  | { column: string; op: CompareOp; value: Value }
  | { column: string; op: "is null" | "is not null" };

const TEXT =
  /^\s*([A-Za-z_][\w$]*|`[^`]+`)\s*(==|!=|<>|<=|>=|=|<|>|\s+is\s+not\s+null\s*$|\s+is\s+null\s*$)\s*(.*)$/is;

/**
 * Parses `"col op value"` against the schema: the literal is read as the column's type (`'quoted'` or bare
 * strings, ISO dates and timestamps, exact decimals). Throws a SyntaxError for text that is not a predicate and
 * a TypeError for an unknown column or a type that cannot be compared.
 */
export function parsePredicate(text: string, schema: StructType): Predicate {
  const m = TEXT.exec(text);
  if (!m) {
    throw new SyntaxError(
      `Cannot parse filter "${text}": expected "column op value" with op one of = != < <= > >=, or "column is [not] null"`,
    );
  }
  const name = m[1].startsWith("`") ? m[1].slice(1, -1) : m[1];
  const field = findColumn(schema, name);
  if (!field) {
    throw new TypeError(
      `Cannot filter on "${name}": no such column (columns: ${schema.fields.map((f) => f.name).join(", ")})`,
    );
  }
  const op = m[2].trim().toLowerCase().replace(/\s+/g, " ");
  if (op === "is null" || op === "is not null") return { column: field.name, op };
  if (m[3].trim() === "") throw new SyntaxError(`Cannot parse filter "${text}": the value is missing`);
  const normalized: CompareOp = op === "==" ? "=" : op === "<>" ? "!=" : op as CompareOp;
  return { column: field.name, op: normalized, value: parseLiteral(m[3].trim(), field) };
}

/**
 * Parses a conjunction `"a > 1 and b = 'x y'"` (AND outside quotes, any case) into predicates, each as
 * {@linkcode parsePredicate} reads it.
 */
export function parseFilter(text: string, schema: StructType): Predicate[] {
  const parts: string[] = [];
  let start = 0;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"' || c === "`") {
      quote = c;
    } else if (/\s/.test(c)) {
      const m = /^\s+and\s+/i.exec(text.slice(i));
      if (m) {
        parts.push(text.slice(start, i));
        i += m[0].length - 1;
        start = i + 1;
      }
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => parsePredicate(p, schema));
}

/** The schema field called `name` (exact match first, then ignoring case as Spark does). */
export function findColumn(schema: StructType, name: string): StructField | undefined {
  return schema.fields.find((f) => f.name === name) ??
    schema.fields.find((f) => f.name.toLowerCase() === name.toLowerCase());
}

/** A literal read as the type of `field`; a SyntaxError names the column and the text. */
export function parseLiteral(text: string, field: StructField): Value {
  const type = field.type;
  const unquoted = /^'(.*)'$/s.exec(text)?.[1] ?? /^"(.*)"$/s.exec(text)?.[1] ?? text;
  const bad = (e?: unknown) =>
    new SyntaxError(
      `Cannot compare column "${field.name}" (${typeof type === "string" ? type : type.type}) with ${text}`,
      {
        cause: e,
      },
    );
  if (typeof type !== "string") {
    throw new TypeError(`Cannot filter on "${field.name}": only primitive columns can be compared`);
  }
  if (unquoted.toLowerCase() === "null" && unquoted === text) {
    throw new SyntaxError(`Cannot compare column "${field.name}" with null: use "is null" or "is not null"`);
  }
  try {
    const dec = decimalParts(type);
    if (dec) return Decimal.parse(unquoted);
    switch (type) {
      case "string":
        return unquoted;
      case "byte":
      case "short":
      case "integer":
      case "float":
      case "double": {
        const n = Number(unquoted);
        if (unquoted.trim() === "" || (Number.isNaN(n) && unquoted !== "NaN")) throw bad();
        return n;
      }
      case "long":
        if (!/^[+-]?\d+$/.test(unquoted)) throw bad();
        return BigInt(unquoted);
      case "boolean":
        if (/^true$/i.test(unquoted)) return true;
        if (/^false$/i.test(unquoted)) return false;
        throw bad();
      case "date":
        return LocalDate.parse(unquoted);
      case "timestamp":
        return Timestamp.parse(/^\d{4}-\d{2}-\d{2}$/.test(unquoted) ? unquoted + "T00:00:00Z" : unquoted);
      case "timestamp_ntz":
        return Timestamp.parse(/^\d{4}-\d{2}-\d{2}$/.test(unquoted) ? unquoted + "T00:00:00" : unquoted, {
          zoned: false,
        }).with({ zoned: false });
      case "binary":
        return new TextEncoder().encode(unquoted);
    }
  } catch (e) {
    if (e instanceof SyntaxError && e.message.startsWith("Cannot compare")) throw e;
    throw bad(e);
  }
  throw new TypeError(`Cannot filter on "${field.name}": type ${type} cannot be compared`);
}

/** Whether `value` satisfies `predicate` (SQL semantics: comparisons with null are false). */
export function testValue(predicate: Predicate, value: Value): boolean {
  switch (predicate.op) {
    case "is null":
      return value === null;
    case "is not null":
      return value !== null;
  }
  if (predicate.op === "!=" && typeof value === "number" && Number.isNaN(value)) return true;
  const c = compareValues(value, predicate.value);
  if (c === null) return false;
  switch (predicate.op) {
    case "=":
      return c === 0;
    case "!=":
      return c !== 0;
    case "<":
      return c < 0;
    case "<=":
      return c <= 0;
    case ">":
      return c > 0;
    case ">=":
      return c >= 0;
  }
}

/** Whether a row satisfies every predicate. */
export function matchesAll(predicates: readonly Predicate[], row: Row): boolean {
  for (const p of predicates) if (!testValue(p, row[p.column] ?? null)) return false;
  return true;
}

/** A predicate as text, for messages and `describe`: `amount >= 10.00`. */
export function predicateToString(p: Predicate): string {
  if (!("value" in p)) return `${p.column} ${p.op}`;
  return `${p.column} ${p.op} ${
    p.value instanceof Uint8Array ? new TextDecoder().decode(p.value) : String(p.value)
  }`;
}

/**
 * `predicate` with its value converted to the column's type, so callers may write `{ value: 10 }` for a long or
 * decimal column or `{ value: "2024-01-02" }` for a date: numbers become bigint/Decimal, strings are parsed
 * like CLI literals, Dates become timestamps. A value that cannot be converted is a TypeError (a filter that
 * silently matches nothing would hide the mistake).
 */
export function coercePredicate(predicate: Predicate, field: StructField): Predicate {
  if (!("value" in predicate)) return { ...predicate, column: field.name };
  const type = field.type;
  let value = predicate.value;
  const fail = () =>
    new TypeError(
      `Cannot compare column "${field.name}" (${typeof type === "string" ? type : type.type}) with ${
        typeof value === "object" ? value?.constructor?.name : typeof value
      } ${String(value)}`,
    );
  if (typeof value === "string" && type !== "string") {
    try {
      value = parseLiteral(value, field);
    } catch (e) {
      throw Object.assign(fail(), { cause: e });
    }
  } else if (typeof value === "number" && typeof type === "string") {
    if (type === "long") {
      if (!Number.isInteger(value)) throw fail();
      value = BigInt(value);
    } else if (decimalParts(type)) {
      value = Decimal.fromNumber(value);
    } else if (!["byte", "short", "integer", "float", "double"].includes(type)) throw fail();
  } else if (typeof value === "bigint" && typeof type === "string" && decimalParts(type)) {
    value = new Decimal(value, 0);
  } else if ((value as unknown) instanceof Date && (type === "timestamp" || type === "timestamp_ntz")) {
    value = Timestamp.fromMillis((value as unknown as Date).getTime(), type === "timestamp");
  }
  return { ...predicate, column: field.name, value };
}
