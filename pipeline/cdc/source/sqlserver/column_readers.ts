/**
 * How each captured SQL Server column is selected and read exactly, learnt from SQL Server's own metadata the
 * way Debezium does (`cdc.captured_columns` with the change table's `sys.columns`): a select-list item that casts
 * to text what the driver would read lossily (decimals and money as JS numbers, bigint, date and time values
 * rounded to milliseconds or shifted by the client's zone, GUID casing), and the conversion of that text to the
 * lake's value model with a Delta type derived from the SQL type. For catalog tables the catalog's Delta type
 * wins, as long as it holds every value of the SQL type exactly.
 *
 * | SQL Server | selected as | value | Delta type |
 * |---|---|---|---|
 * | `bit` | as is (boolean) | boolean | `boolean` |
 * | `tinyint`, `smallint` / `int` | as is (number) | number | `short` / `integer` |
 * | `bigint` | `CONVERT(varchar(20), c)` | bigint | `long` |
 * | `real` / `float` | as is (number) | number | `float` / `double` |
 * | `decimal(p,s)`, `numeric(p,s)` | `CONVERT(varchar(41), c)` | Decimal, scale s | `decimal(p,s)` |
 * | `money` / `smallmoney` | `CONVERT(varchar(24), c, 2)` (4 digits; the default style rounds to 2) | Decimal, scale 4 | `decimal(19,4)` / `decimal(10,4)` |
 * | `date` | `CONVERT(varchar(10), c, 23)` | LocalDate | `date` |
 * | `datetime2(n)`, `datetime`, `smalldatetime` | `CONVERT(varchar(27), c, 121)` | Timestamp, wall clock read as UTC, `n` digits | `timestamp` |
 * | `datetimeoffset(n)` | `CONVERT(varchar(34), c, 121)` (offset kept) | Timestamp (the instant), `n` digits | `timestamp` |
 * | `time(n)` | `CONVERT(varchar(16), c, 121)` | LocalTime, `n` digits | none (Delta has no time of day) |
 * | `char`, `varchar`, `nchar`, `nvarchar`, `text`, `ntext`, `xml` | as is | string | `string` |
 * | `uniqueidentifier` | `CONVERT(char(36), c)` | upper-case string | `string` |
 * | `binary`, `varbinary`, `image`, `timestamp` (rowversion) | as is (bytes) | Uint8Array | `binary` |
 *
 * Anything else (`sql_variant`, `hierarchyid`, `geometry`, `geography`, CLR types) is a
 * {@linkcode ColumnTypeError} naming the table, column and type: never a lossy value.
 *
 * Date and time values without an offset are wall-clock values that the catalog stores as Delta `timestamp`
 * read as UTC (the sources write UTC, `SYSUTCDATETIME()`), Debezium's convention for SQL Server.
 *
 * @module
 */
import { decimalParts, type PrimitiveType } from "../../../delta/schema/types.ts";
import type { ColumnDef } from "../../../catalog/mod.ts";
import { Decimal, LocalDate, LocalTime, Timestamp, type Value } from "../../../value/mod.ts";

/** One captured column as SQL Server describes it (`cdc.captured_columns` + the change table's `sys.columns`). */
export interface SqlColumn {
  /** Column name. */
  name: string;
  /** Position in the capture instance (`column_ordinal`, from 1). */
  ordinal: number;
  /** System type name in lower case (`decimal`, `datetime2`); alias types resolved to their base type. */
  type: string;
  /** `sys.columns.precision`: digits of decimal types. */
  precision: number;
  /** `sys.columns.scale`: decimal scale; fraction digits of `datetime2`, `datetimeoffset` and `time`. */
  scale: number;
}

/** How one captured column is selected and converted. */
export interface ColumnReader {
  /** The source column name (also the alias of its select-list item). */
  readonly name: string;
  /** The SQL Server type as declared: `decimal(19,4)`, `datetime2(7)`, `nvarchar`. */
  readonly sqlType: string;
  /**
   * The Delta type of the lake column: the catalog's for catalog columns, else derived from the SQL type; null
   * when no Delta type holds the value (`time`, read as a LocalTime).
   */
  readonly deltaType: PrimitiveType | null;
  /** The select-list item, aliased to the column name. */
  readonly select: string;
  /** The value the driver returned for {@linkcode select} (null for SQL NULL) → the lake's value. */
  read(raw: unknown): Value;
}

/**
 * A captured column that cannot be read exactly: an unsupported SQL type, or a catalog type that does not hold
 * the SQL type. Not a connection problem, so the source fails at once instead of retrying.
 */
export class ColumnTypeError extends TypeError {
  override name = "ColumnTypeError";
}

/** Bracket-quoted SQL Server identifier (T-SQL `QUOTENAME`): any name is safe in a query. */
export function quoteName(name: string): string {
  return `[${name.replaceAll("]", "]]")}]`;
}

type Read = (raw: unknown, path: string) => Value;

interface SqlKind {
  delta: PrimitiveType | null;
  /** The cast of the quoted column; absent when the driver reads the type exactly as it is. */
  cast?: (q: string) => string;
  read: Read;
}

function bad(path: string, expected: string, raw: unknown): TypeError {
  const shown = typeof raw === "string"
    ? JSON.stringify(raw)
    : raw instanceof Uint8Array
    ? "bytes"
    : String(raw);
  return new TypeError(`Cannot read SQL Server column "${path}": expected ${expected}, got ${shown}`);
}

function integer(min: number, max: number): Read {
  return (raw, path) => {
    if (typeof raw === "number" && Number.isInteger(raw) && raw >= min && raw <= max) return raw;
    throw bad(path, `an integer between ${min} and ${max}`, raw);
  };
}

const INT64_TEXT = /^-?\d{1,19}$/;

function bigintValue(raw: unknown, path: string): Value {
  if (typeof raw === "string" && INT64_TEXT.test(raw)) {
    const v = BigInt(raw);
    if (v >= -(2n ** 63n) && v < 2n ** 63n) return v;
  }
  throw bad(path, "bigint text", raw);
}

function float(raw: unknown, path: string): Value {
  if (typeof raw === "number") return raw;
  throw bad(path, "a number", raw);
}

const DECIMAL_TEXT = /^-?(\d+\.?\d*|\.\d+)$/;

function decimal(scale: number): Read {
  return (raw, path) => {
    if (typeof raw !== "string" || !DECIMAL_TEXT.test(raw)) throw bad(path, "decimal text", raw);
    try {
      return Decimal.parse(raw, scale);
    } catch (e) {
      throw new RangeError(`Cannot read SQL Server column "${path}": ${raw} does not fit scale ${scale}`, {
        cause: e,
      });
    }
  };
}

const DATE_TEXT = /^\d{4}-\d{2}-\d{2}$/;
const FRACTION = String.raw`(?:\.(\d{1,7}))?`;
const WALL_CLOCK_TEXT = new RegExp(String.raw`^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}${FRACTION}$`);
const OFFSET_TEXT = new RegExp(
  String.raw`^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}${FRACTION} ?[+-]\d{2}:\d{2}$`,
);
const TIME_TEXT = new RegExp(String.raw`^(\d{2}):(\d{2}):(\d{2})${FRACTION}$`);

function date(raw: unknown, path: string): Value {
  if (typeof raw !== "string" || !DATE_TEXT.test(raw)) throw bad(path, "date text (yyyy-mm-dd)", raw);
  return LocalDate.parse(raw);
}

/** Style-121 text of a wall-clock (`zone` false) or offset (`zone` true) value → an instant with `digits`. */
function timestamp(zone: boolean, digits: number): Read {
  const pattern = zone ? OFFSET_TEXT : WALL_CLOCK_TEXT;
  const expected = zone ? "date-time text with an offset" : "date-time text without an offset";
  return (raw, path) => {
    if (typeof raw !== "string" || !pattern.test(raw)) throw bad(path, expected, raw);
    try {
      return Timestamp.parse(raw, { zoned: true }).with({ digits });
    } catch (e) {
      throw new TypeError(`Cannot read SQL Server column "${path}": ${(e as Error).message}`, { cause: e });
    }
  };
}

function time(digits: number): Read {
  return (raw, path) => {
    const m = typeof raw === "string" ? TIME_TEXT.exec(raw) : null;
    if (!m) throw bad(path, "time text (hh:mm:ss.fffffff)", raw);
    const [, hh, mm, ss, frac = ""] = m;
    const seconds = (Number(hh) * 60 + Number(mm)) * 60 + Number(ss);
    try {
      return new LocalTime(BigInt(seconds) * 1_000_000_000n + BigInt(frac.padEnd(9, "0")), digits);
    } catch (e) {
      throw new RangeError(`Cannot read SQL Server column "${path}": ${(e as Error).message}`, { cause: e });
    }
  };
}

function string(raw: unknown, path: string): Value {
  if (typeof raw === "string") return raw;
  throw bad(path, "a string", raw);
}

const GUID_TEXT = /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/;

function guid(raw: unknown, path: string): Value {
  if (typeof raw === "string" && GUID_TEXT.test(raw)) return raw.toUpperCase();
  throw bad(path, "uniqueidentifier text", raw);
}

function binary(raw: unknown, path: string): Value {
  // A plain view of the driver's Buffer, so values compare and print like every other source's bytes.
  if (raw instanceof Uint8Array) return new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
  throw bad(path, "bytes", raw);
}

function boolean(raw: unknown, path: string): Value {
  if (typeof raw === "boolean") return raw;
  throw bad(path, "a boolean", raw);
}

const asText = (length: number, style?: number) => (q: string) =>
  `CONVERT(varchar(${length}), ${q}${style === undefined ? "" : `, ${style}`})`;

const STRING: SqlKind = { delta: "string", read: string };
const BINARY: SqlKind = { delta: "binary", read: binary };

/** The kind of a supported SQL type, or undefined. */
function sqlKind(c: SqlColumn): SqlKind | undefined {
  switch (c.type) {
    case "bit":
      return { delta: "boolean", read: boolean };
    case "tinyint":
      return { delta: "short", read: integer(0, 255) };
    case "smallint":
      return { delta: "short", read: integer(-32768, 32767) };
    case "int":
      return { delta: "integer", read: integer(-2147483648, 2147483647) };
    case "bigint":
      return { delta: "long", cast: asText(20), read: bigintValue };
    case "real":
      return { delta: "float", read: float };
    case "float":
      return { delta: "double", read: float };
    case "decimal":
    case "numeric":
      return { delta: `decimal(${c.precision},${c.scale})`, cast: asText(41), read: decimal(c.scale) };
    case "money":
      return { delta: "decimal(19,4)", cast: asText(24, 2), read: decimal(4) };
    case "smallmoney":
      return { delta: "decimal(10,4)", cast: asText(24, 2), read: decimal(4) };
    case "date":
      return { delta: "date", cast: asText(10, 23), read: date };
    case "datetime2":
    case "datetime":
    case "smalldatetime":
      return { delta: "timestamp", cast: asText(27, 121), read: timestamp(false, c.scale) };
    case "datetimeoffset":
      return { delta: "timestamp", cast: asText(34, 121), read: timestamp(true, c.scale) };
    case "time":
      return { delta: null, cast: asText(16, 121), read: time(c.scale) };
    case "char":
    case "varchar":
    case "nchar":
    case "nvarchar":
    case "text":
    case "ntext":
    case "xml":
      return STRING;
    case "uniqueidentifier":
      return { delta: "string", cast: (q) => `CONVERT(char(36), ${q})`, read: guid };
    case "binary":
    case "varbinary":
    case "image":
    case "timestamp":
    case "rowversion":
      return BINARY;
  }
  return undefined;
}

/** `decimal(18,2)`, `datetime2(7)`, `nvarchar`: the type as declared. */
function declared(c: SqlColumn): string {
  switch (c.type) {
    case "decimal":
    case "numeric":
      return `${c.type}(${c.precision},${c.scale})`;
    case "datetime2":
    case "datetimeoffset":
    case "time":
      return `${c.type}(${c.scale})`;
  }
  return c.type;
}

const INTEGER_RANGE: Partial<Record<PrimitiveType, [bigint, bigint]>> = {
  byte: [-128n, 127n],
  short: [-32768n, 32767n],
  integer: [-2147483648n, 2147483647n],
  long: [-(2n ** 63n), 2n ** 63n - 1n],
};

/**
 * The conversion of a value of Delta type `from` to the catalog's `to`, or null when some value of `from` would
 * not fit exactly. Only widenings: integers to wider integers or decimals, decimals to a scale and integer part
 * at least as large, timestamps between zoned and wall-clock.
 */
function widening(from: PrimitiveType | null, to: PrimitiveType): ((v: Value) => Value) | null {
  if (from === to) return (v) => v;
  if (from === null) return null;
  const fromRange = INTEGER_RANGE[from];
  const toRange = INTEGER_RANGE[to];
  if (fromRange && toRange && fromRange[0] >= toRange[0] && fromRange[1] <= toRange[1]) {
    return to === "long" ? (v) => BigInt(v as number | bigint) : (v) => Number(v as number | bigint);
  }
  const toDecimal = decimalParts(to);
  if (toDecimal && fromRange) {
    const digits = String(fromRange[1]).length;
    if (digits > toDecimal.precision - toDecimal.scale) return null;
    return (v) => new Decimal(BigInt(v as number | bigint), 0).rescale(toDecimal.scale);
  }
  const fromDecimal = decimalParts(from);
  if (toDecimal && fromDecimal) {
    const fromInteger = fromDecimal.precision - fromDecimal.scale;
    if (fromDecimal.scale > toDecimal.scale || fromInteger > toDecimal.precision - toDecimal.scale) {
      return null;
    }
    return (v) => (v as Decimal).rescale(toDecimal.scale);
  }
  if ((from === "timestamp" || from === "timestamp_ntz") && (to === "timestamp" || to === "timestamp_ntz")) {
    const zoned = to === "timestamp";
    return (v) => (v as Timestamp).with({ zoned });
  }
  if (from === "float" && to === "double") return (v) => v;
  return null;
}

/**
 * The reader of one captured column of table `table` (`dbo.Orders`, for messages); `catalog` is the catalog's
 * column when the table is in the catalog. Throws {@linkcode ColumnTypeError} for a type it cannot read exactly.
 */
export function columnReader(table: string, column: SqlColumn, catalog?: ColumnDef): ColumnReader {
  const path = `${table}.${column.name}`;
  const sqlType = declared(column);
  const kind = sqlKind(column);
  if (!kind) {
    throw new ColumnTypeError(
      `Cannot read SQL Server column "${path}" of type ${sqlType}: the type is not supported (exclude the column ` +
        `from the capture instance with @captured_column_list)`,
    );
  }
  let read = kind.read;
  let deltaType = kind.delta;
  if (catalog && catalog.type !== kind.delta) {
    const widen = widening(kind.delta, catalog.type);
    if (!widen) {
      throw new ColumnTypeError(
        `Cannot read SQL Server column "${path}" of type ${sqlType} as the catalog's ${catalog.type}: ` +
          `not every value would fit exactly`,
      );
    }
    read = (raw, p) => widen(kind.read(raw, p));
    deltaType = catalog.type;
  }
  const q = quoteName(column.name);
  return {
    name: column.name,
    sqlType,
    deltaType,
    select: kind.cast ? `${kind.cast(q)} AS ${q}` : q,
    read: (raw) => raw === null || raw === undefined ? null : read(raw, path),
  };
}

/**
 * The readers of a capture instance's columns in ordinal order, keyed by column name; `catalog` gives the
 * catalog column of a source column when the table is in the catalog.
 */
export function columnReaders(
  table: string,
  columns: readonly SqlColumn[],
  catalog: (column: string) => ColumnDef | undefined = () => undefined,
): ReadonlyMap<string, ColumnReader> {
  if (columns.length === 0) {
    throw new ColumnTypeError(
      `Cannot read SQL Server table "${table}": SQL Server lists no captured columns`,
    );
  }
  const sorted = [...columns].sort((a, b) => a.ordinal - b.ordinal);
  return new Map(sorted.map((c) => [c.name, columnReader(table, c, catalog(c.name))]));
}

/** The select list of the readers' columns, each cast so the driver reads it exactly. */
export function selectList(readers: ReadonlyMap<string, ColumnReader>): string {
  return [...readers.values()].map((r) => r.select).join(", ");
}
