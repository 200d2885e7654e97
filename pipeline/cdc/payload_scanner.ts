/**
 * The fast path of the Debezium decoder: a reader compiled once per topic schema (and table) that walks a change
 * event's payload bytes expecting the keys in the order `JsonConverter` writes them (the schema's field order)
 * and converts each row value straight from the bytes into the value model, with lake column names.
 *
 * It only reads what it is sure of and throws {@linkcode SCAN_BAIL} on any surprise (a key out of order or
 * unknown, whitespace, a value of an unexpected kind); the decoder then decodes that message the generic way,
 * so results never depend on this path. Row fields of types it does not read itself go through the same
 * compiled converter as the generic path, with the value `JSON.parse` would give.
 *
 * @module
 */
import { Decimal, LocalDate, type Row, Timestamp, type Value } from "../value/mod.ts";
import type { ConnectSchema } from "./connect_schema.ts";
import { ByteRun } from "./byte_run.ts";
import { JsonBytes, SCAN_BAIL, valueMemo } from "./json_bytes.ts";
import { objectMaker } from "./object_maker.ts";
import { type CompileOptions, type FieldPlan, structFieldPlans } from "./value_converter.ts";

/** What the scanner read from one payload: the fields the decoder needs, rows already converted. */
export interface ScannedPayload {
  op: unknown;
  /** `source` with only the fields the decoder reads, as `JSON.parse` gives them. */
  source: unknown;
  transaction: unknown;
  before: Row | null;
  after: Row | null;
}

/** Reads the payload bytes (between `"payload":` and the envelope's last `}`); throws SCAN_BAIL on a surprise. */
export type PayloadScanner = (payload: Uint8Array) => ScannedPayload;

/** How to compile a scanner for one envelope schema and table. */
export interface PayloadScannerOptions {
  /** Schema of the `before` and `after` row images (the decoder's choice, shared with its generic path). */
  rowSchema: (path: "before" | "after") => ConnectSchema | undefined;
  /** Renaming and zoned columns of the rows, as the generic path compiles them. */
  rowOptions: CompileOptions;
  /** The `source` fields the decoder reads; the others are checked and skipped. */
  sourceFields: ReadonlySet<string>;
}

type Read = (r: JsonBytes) => Value;

const enc = new TextEncoder();

/** `"name":` after `{` (first field) or `,`. */
function keyToken(name: string, first: boolean): ByteRun {
  return new ByteRun(enc.encode(`${first ? "" : ","}${JSON.stringify(name)}:`));
}

// Names whose converter is the plain one of their type (they only say what the text means).
const PLAIN_NAMES = new Set([
  "io.debezium.data.Uuid",
  "io.debezium.data.Json",
  "io.debezium.data.Xml",
  "io.debezium.data.Enum",
  "io.debezium.data.EnumSet",
]);

const INT_RANGES: Record<string, [number, number]> = {
  int8: [-128, 127],
  int16: [-32768, 32767],
  int32: [-2147483648, 2147483647],
};

/** A reader for a non-null value of `schema` straight from bytes, or null to use the generic converter. */
function typedReader(schema: ConnectSchema, zoned: boolean): Read | null {
  const name = schema.name;
  switch (name) {
    case "org.apache.kafka.connect.data.Decimal": {
      const scale = Number(schema.parameters?.scale);
      if (!Number.isInteger(scale) || scale < 0 || scale > 1000) return null;
      return (r) => new Decimal(r.base64Unscaled(), scale);
    }
    case "io.debezium.time.MicroTimestamp":
      return (r) => new Timestamp(r.int64() * 1000n, 6, zoned);
    case "io.debezium.time.NanoTimestamp":
      return (r) => new Timestamp(r.int64(), 9, zoned);
    case "io.debezium.time.Timestamp":
    case "org.apache.kafka.connect.data.Timestamp":
      return (r) => new Timestamp(r.int64() * 1_000_000n, 3, zoned);
    case "io.debezium.time.Date":
    case "org.apache.kafka.connect.data.Date":
      return (r) => new LocalDate(r.int(-2147483648, 2147483647));
  }
  if (name !== undefined && !PLAIN_NAMES.has(name)) return null;
  switch (schema.type) {
    case "int8":
    case "int16":
    case "int32": {
      const [min, max] = INT_RANGES[schema.type];
      return (r) => r.int(min, max);
    }
    case "int64":
      return (r) => r.int64();
    case "boolean":
      return (r) => r.bool();
    case "string": {
      const memo = valueMemo();
      return (r) => r.stringSame(memo);
    }
    case "bytes":
      return (r) => r.base64Bytes();
    case "float":
    case "float32":
    case "float64":
    case "double":
      // Numbers only: "NaN" and the infinities come as strings, which the generic converter reads.
      return (r) => r.b[r.pos] === 34 ? null : r.number();
  }
  return null;
}

function fieldReader(plan: FieldPlan): Read {
  const convert = plan.convert;
  const typed = typedReader(plan.schema, plan.zoned);
  if (typed === null) return (r) => convert(r.value());
  return (r) => {
    if (r.null()) return convert(null); // the schema's default, null, or the generic path's error
    const v = typed(r);
    return v === null ? convert(r.value()) : v;
  };
}

function rowReader(
  schema: ConnectSchema,
  path: string,
  options: CompileOptions,
): (r: JsonBytes) => Row | null {
  const plans = structFieldPlans(schema, path, options);
  const keys = plans.map((p, i) => keyToken(p.source, i === 0));
  const make = objectMaker(plans.map((p) => p.lake));
  const reads = plans.map(fieldReader);
  const values: Value[] = new Array(reads.length);
  return (r) => {
    if (r.null()) return null;
    r.byte(123);
    for (let i = 0; i < reads.length; i++) {
      r.token(keys[i]);
      values[i] = reads[i](r);
    }
    r.byte(125);
    return make(values) as Row;
  };
}

/** `source` with only `fields`, read as `JSON.parse` would; integers stay exact (`optionalInt64` reads them). */
function sourceReader(schema: ConnectSchema, fields: ReadonlySet<string>): (r: JsonBytes) => unknown {
  const keys = schema.fields!.map((f, i) => keyToken(f.field!, i === 0));
  // Each field's memo holds its value and the next key: most source fields repeat, one comparison for both.
  const parts = schema.fields!.map((f, i) => ({
    read: fields.has(f.field!),
    memo: valueMemo(),
    next: i + 1 < keys.length ? keys[i + 1] : null,
  }));
  const make = objectMaker(schema.fields!.filter((f) => fields.has(f.field!)).map((f) => f.field!));
  const values: unknown[] = [];
  return (r) => {
    r.byte(123);
    if (keys.length > 0) r.token(keys[0]);
    let n = 0;
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i];
      if (p.read) values[n++] = r.valueSame(p.memo, true, p.next);
      else r.skipSame(p.memo, p.next);
    }
    r.byte(125);
    return make(values);
  };
}

/**
 * Compiles the scanner of a change-event envelope schema (`before`, `after`, `source`, `op`, …), or returns
 * null when the schema is not one (its payloads then always take the generic path).
 */
export function compilePayloadScanner(
  envelope: ConnectSchema,
  options: PayloadScannerOptions,
): PayloadScanner | null {
  const fields = envelope.type === "struct" ? envelope.fields ?? [] : [];
  const source = fields.find((f) => f.field === "source");
  if (!fields.some((f) => f.field === "op") || source?.type !== "struct" || !source.fields) return null;
  const rows: { before?: (r: JsonBytes) => Row | null; after?: (r: JsonBytes) => Row | null } = {};
  for (const path of ["before", "after"] as const) {
    if (!fields.some((f) => f.field === path)) continue;
    const schema = options.rowSchema(path);
    // Row structs only: a logical-type name would give the row another converter.
    if (
      schema?.type !== "struct" || !schema.fields ||
      /^(io\.debezium|org\.apache\.kafka)\./.test(schema.name ?? "")
    ) {
      return null;
    }
    rows[path] = rowReader(schema, path, options.rowOptions);
  }
  const readSource = sourceReader(source, options.sourceFields);
  const steps = fields.map((f, i) => ({
    key: keyToken(f.field!, i === 0),
    field: f.field!,
    memo: valueMemo(),
  }));
  const reader = new JsonBytes();
  return (payload) => {
    const r = reader.reset(payload);
    const out: ScannedPayload = {
      op: undefined,
      source: undefined,
      transaction: undefined,
      before: null,
      after: null,
    };
    r.byte(123);
    for (let i = 0; i < steps.length; i++) {
      const s = steps[i];
      r.token(s.key);
      switch (s.field) {
        case "before":
          out.before = rows.before!(r);
          break;
        case "after":
          out.after = rows.after!(r);
          break;
        case "source":
          out.source = r.null() ? null : readSource(r);
          break;
        case "op":
          out.op = r.null() ? null : r.stringSame(s.memo);
          break;
        case "transaction":
          out.transaction = r.null() ? null : r.value();
          break;
        default:
          r.skipSame(s.memo);
      }
    }
    r.byte(125);
    if (!r.done) throw SCAN_BAIL;
    return out;
  };
}
