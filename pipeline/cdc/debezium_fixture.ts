/**
 * Builds Debezium messages the way Kafka Connect's JsonConverter writes them (compact JSON, `{"schema","payload"}`
 * with schemas on), for tests, fuzzing and benchmarks. Values are given as JSON text fragments so int64 digits
 * beyond 2^53 are written exactly.
 *
 * @module
 */
import type { ConnectSchema } from "./connect_schema.ts";

/** One column of a fixture table: its Connect schema (without `field`) and a value per row as JSON text. */
export interface FixtureColumn {
  name: string;
  schema: Omit<ConnectSchema, "field">;
}

/** Options of {@linkcode debeziumMessage}. */
export interface FixtureMessage {
  connector: "postgresql" | "sqlserver";
  /** Topic prefix (`topic.prefix`). */
  prefix: string;
  /** Database, schema and table of the change. */
  db: string;
  schema: string;
  table: string;
  columns: FixtureColumn[];
  keyColumns: string[];
  op: "c" | "u" | "d" | "r";
  /** Row images as maps of column → JSON text. */
  before: Record<string, string> | null;
  after: Record<string, string> | null;
  /** Commit time, epoch ms. */
  tsMs: number;
  /** PostgreSQL: LSN and txId; SQL Server: LSNs and serial. */
  lsn?: number;
  lastCommitLsn?: number | null;
  txId?: number;
  commitLsn?: string;
  changeLsn?: string | null;
  eventSerialNo?: number | null;
  snapshot?: string;
  /** Write `{"schema":…,"payload":…}` (true) or the bare payload. @default true */
  schemas?: boolean;
}

function sourceSchema(connector: "postgresql" | "sqlserver"): ConnectSchema {
  const common: ConnectSchema[] = [
    { type: "string", optional: false, field: "version" },
    { type: "string", optional: false, field: "connector" },
    { type: "string", optional: false, field: "name" },
    { type: "int64", optional: false, field: "ts_ms" },
    {
      type: "string",
      optional: true,
      name: "io.debezium.data.Enum",
      version: 1,
      parameters: {
        allowed: "true,first,first_in_data_collection,last_in_data_collection,last,false,incremental",
      },
      default: "false",
      field: "snapshot",
    },
    { type: "string", optional: false, field: "db" },
    { type: "string", optional: true, field: "sequence" },
    { type: "int64", optional: true, field: "ts_us" },
    { type: "int64", optional: true, field: "ts_ns" },
    { type: "string", optional: false, field: "schema" },
    { type: "string", optional: false, field: "table" },
  ];
  const specific: ConnectSchema[] = connector === "postgresql"
    ? [
      { type: "int64", optional: true, field: "txId" },
      { type: "int64", optional: true, field: "lsn" },
      { type: "int64", optional: true, field: "xmin" },
    ]
    : [
      { type: "string", optional: true, field: "change_lsn" },
      { type: "string", optional: true, field: "commit_lsn" },
      { type: "int64", optional: true, field: "event_serial_no" },
    ];
  return {
    type: "struct",
    fields: [...common, ...specific],
    optional: false,
    name: `io.debezium.connector.${connector}.Source`,
    version: 1,
    field: "source",
  };
}

function topicName(m: FixtureMessage): string {
  return m.connector === "sqlserver"
    ? `${m.prefix}.${m.db}.${m.schema}.${m.table}`
    : `${m.prefix}.${m.schema}.${m.table}`;
}

function rowText(columns: FixtureColumn[], row: Record<string, string> | null): string {
  if (row === null) return "null";
  return "{" + columns.map((c) => `${JSON.stringify(c.name)}:${row[c.name] ?? "null"}`).join(",") + "}";
}

/** The topic of a fixture message (`prefix.schema.table`, SQL Server `prefix.db.schema.table`). */
export function fixtureTopic(m: FixtureMessage): string {
  return topicName(m);
}

/** The value of a change event, as JsonConverter writes it. */
export function debeziumMessage(m: FixtureMessage): string {
  const topic = topicName(m);
  const valueSchema: ConnectSchema = {
    type: "struct",
    fields: m.columns.map((c) => ({ ...c.schema, field: c.name })),
    optional: true,
    name: `${topic}.Value`,
  };
  const tsNs = `${m.tsMs}000123`;
  const source = m.connector === "postgresql"
    ? `{"version":"3.2.7.Final","connector":"postgresql","name":${
      JSON.stringify(m.prefix)
    },"ts_ms":${m.tsMs},` +
      `"snapshot":${JSON.stringify(m.snapshot ?? "false")},"db":${JSON.stringify(m.db)},` +
      `"sequence":${
        JSON.stringify(
          JSON.stringify([m.lastCommitLsn == null ? null : String(m.lastCommitLsn), String(m.lsn ?? 0)]),
        )
      },` +
      `"ts_us":${m.tsMs}000,"ts_ns":${m.tsMs}000000,"schema":${JSON.stringify(m.schema)},` +
      `"table":${JSON.stringify(m.table)},"txId":${m.txId ?? 1},"lsn":${m.lsn ?? 0},"xmin":null}`
    : `{"version":"3.2.7.Final","connector":"sqlserver","name":${
      JSON.stringify(m.prefix)
    },"ts_ms":${m.tsMs},` +
      `"snapshot":${JSON.stringify(m.snapshot ?? "false")},"db":${JSON.stringify(m.db)},"sequence":null,` +
      `"ts_us":${m.tsMs}000,"ts_ns":${m.tsMs}000000,"schema":${JSON.stringify(m.schema)},` +
      `"table":${JSON.stringify(m.table)},"change_lsn":${JSON.stringify(m.changeLsn ?? null)},` +
      `"commit_lsn":${JSON.stringify(m.commitLsn ?? "00000000:00000000:0000")},` +
      `"event_serial_no":${m.eventSerialNo ?? "null"}}`;
  const payload = `{"before":${rowText(m.columns, m.before)},"after":${rowText(m.columns, m.after)},` +
    `"source":${source},"transaction":null,"op":"${m.op}","ts_ms":${m.tsMs + 7},"ts_us":${m.tsMs + 7}000,` +
    `"ts_ns":${tsNs}}`;
  if (m.schemas === false) return payload;
  const schema: ConnectSchema = {
    type: "struct",
    fields: [
      { ...valueSchema, field: "before" },
      { ...valueSchema, field: "after" },
      sourceSchema(m.connector),
      {
        type: "struct",
        fields: [
          { type: "string", optional: false, field: "id" },
          { type: "int64", optional: false, field: "total_order" },
          { type: "int64", optional: false, field: "data_collection_order" },
        ],
        optional: true,
        name: "event.block",
        version: 1,
        field: "transaction",
      },
      { type: "string", optional: false, field: "op" },
      { type: "int64", optional: true, field: "ts_ms" },
      { type: "int64", optional: true, field: "ts_us" },
      { type: "int64", optional: true, field: "ts_ns" },
    ],
    optional: false,
    name: `${topic}.Envelope`,
    version: 2,
  };
  return `{"schema":${JSON.stringify(schema)},"payload":${payload}}`;
}

/** The key of a change event, as JsonConverter writes it. */
export function debeziumKey(m: FixtureMessage): string {
  const row = m.after ?? m.before ?? {};
  const cols = m.columns.filter((c) => m.keyColumns.includes(c.name));
  const payload = rowText(cols, row);
  if (m.schemas === false) return payload;
  const schema: ConnectSchema = {
    type: "struct",
    fields: cols.map((c) => ({ ...c.schema, optional: false, field: c.name })),
    optional: false,
    name: `${topicName(m)}.Key`,
  };
  return `{"schema":${JSON.stringify(schema)},"payload":${payload}}`;
}

/** Base64 of a big-endian two's-complement integer (Kafka Connect Decimal's wire form), minimal length. */
export function decimalBase64(unscaled: bigint): string {
  const bytes: number[] = [];
  let v = unscaled;
  do {
    bytes.unshift(Number(v & 0xffn));
    v >>= 8n;
  } while (!((v === 0n && (bytes[0] & 0x80) === 0) || (v === -1n && (bytes[0] & 0x80) !== 0)));
  return btoa(String.fromCharCode(...bytes));
}

/** The e-commerce `orders` table as Debezium's PostgreSQL connector describes it. */
export const ORDERS_COLUMNS: FixtureColumn[] = [
  { name: "orderid", schema: { type: "int32", optional: false, default: 0 } },
  { name: "ordernumber", schema: { type: "string", optional: true } },
  {
    name: "totalamount",
    schema: {
      type: "bytes",
      optional: true,
      name: "org.apache.kafka.connect.data.Decimal",
      version: 1,
      parameters: { scale: "2", "connect.decimal.precision": "18" },
    },
  },
  { name: "statusid", schema: { type: "int32", optional: true } },
  { name: "customerid", schema: { type: "int32", optional: true } },
  {
    name: "createdat",
    schema: { type: "int64", optional: true, name: "io.debezium.time.MicroTimestamp", version: 1 },
  },
  {
    name: "updatedat",
    schema: { type: "int64", optional: true, name: "io.debezium.time.MicroTimestamp", version: 1 },
  },
];
