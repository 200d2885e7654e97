/**
 * Decodes Debezium messages (Kafka Connect `JsonConverter`, schemas on or off; Debezium 1.x–3.x; SQL Server,
 * PostgreSQL and MySQL connectors) into {@linkcode SourceRecord}s.
 *
 * Speed: with schemas on, every message of a topic repeats the same schema text. The decoder keeps, per topic,
 * the exact bytes `{"schema":<schema>,"payload":` of the last message and what it compiled from them; a message
 * that starts with those bytes has only its payload read. A change event's payload goes first through the
 * schema-directed scanner (`payload_scanner.ts`), which reads the bytes in the order `JsonConverter` writes them
 * and converts the rows as it goes; any surprise sends the message down the generic path: `JSON.parse` of the
 * payload text with numbers kept exact by the tiers of `lossless_json.ts`, then the compiled converters. Both
 * paths give the same records (`decoder_scanner_test.ts` checks it).
 *
 * @module
 */
import type { TableDef } from "../catalog/mod.ts";
import { decodeBase64, type JsonValue, type Row, Timestamp } from "../value/mod.ts";
import type { ChangeEvent, ChangeOp } from "./change_event.ts";
import { asConnectSchema, type ConnectSchema, fieldSchema } from "./connect_schema.ts";
import { schemalessRow } from "./delta_value.ts";
import { NeedsLosslessParse, NumberText, parseLossless, quoteUnsafeIntegers } from "./lossless_json.ts";
import { Naming, tableFromTopic, type TableNaming } from "./naming.ts";
import { ByteRun } from "./byte_run.ts";
import { compilePayloadScanner, type PayloadScanner, type ScannedPayload } from "./payload_scanner.ts";
import { NEEDS_QUOTED_INTEGERS, rawInt64, typeError } from "./raw_value.ts";
import { mysqlPosition, postgresPosition, sqlServerPosition } from "./source_position.ts";
import type { SourceRecord, TransactionRecord } from "./source_record.ts";
import { compileConverter, type CompileOptions, type Converter } from "./value_converter.ts";

/** One Kafka message as the decoder needs it: bytes (or text) of key and value, null for Kafka nulls. */
export interface DebeziumMessage {
  /** The topic; optional for bare values (the table then comes from `source.table`). */
  topic?: string | null;
  key: Uint8Array | string | null;
  value: Uint8Array | string | null;
  /**
   * The Kafka offset, when known: it orders PostgreSQL events that share an LSN (a snapshot's rows) the same way
   * in every run, so positions survive a restart of the consumer.
   */
  offset?: string | number | bigint;
}

/** Options of {@linkcode DebeziumDecoder}. */
export interface DebeziumDecoderOptions {
  /**
   * Captured tables: names map to their lake names and keys come from them when a message has no key.
   * @default ECOMMERCE_TABLES
   */
  tables?: readonly TableDef[];
  /**
   * Maximum number of distinct schemas kept compiled.
   * @default 1000
   */
  schemaCacheSize?: number;
  /**
   * Whether a change without a key (no Kafka key, and a table outside the catalog) is an error. Tools that read
   * bare message values, where no Kafka key exists, turn this off and get an empty key instead.
   * @default true
   */
  requireKey?: boolean;
  /**
   * Whether change events are read by the schema-directed payload scanner first (false: always the generic
   * path; for differential tests).
   * @default true
   */
  scanPayloads?: boolean;
}

/** Counters of what one decoder did, for metrics. */
export interface DecoderStats {
  /** Messages decoded. */
  decoded: number;
  /** Messages that needed the quoted-integer tier (tier 2). */
  quotedIntegerParses: number;
  /** Messages that needed the source-text tier (tier 3). */
  sourceTextParses: number;
  /** Schemas compiled. */
  schemasCompiled: number;
  /** Messages read by the payload scanner (the rest took the generic path). */
  scanned: number;
}

interface SchemaEntry {
  /** `{"schema":<schema text>,"payload":`, or null when the message could not be split. */
  prefix: string | null;
  /** The same as UTF-8 bytes. */
  prefixBytes: ByteRun | null;
  schema: ConnectSchema;
  /** Tier to start with: 2 once a message of this schema needed it. */
  startTier: 1 | 2;
  /** Row (or key) converters of this schema, per table. */
  converters: Map<TableNaming, TableConverters>;
  /** Payload scanners of this schema per source table name (null: its payloads cannot be scanned). */
  scanners: Map<string, PayloadScanner | null>;
  /** The source table of the last change scanned (at first the topic's), the guess for the next one. */
  scanTable: string | null;
}

type Parsed = { entry: SchemaEntry | null; payload: unknown };

interface TableConverters {
  before?: Converter | null;
  after?: Converter | null;
  key?: Converter;
}

function tableConverters(entry: SchemaEntry, table: TableNaming): TableConverters {
  let c = entry.converters.get(table);
  if (c === undefined) entry.converters.set(table, c = {});
  return c;
}

const SCHEMA_OPEN = '{"schema":{';
const PAYLOAD_KEY = ',"payload":';
const SNAPSHOT_TRUE = new Set([
  "true",
  "first",
  "first_in_data_collection",
  "last_in_data_collection",
  "last",
  "incremental",
]);
const OPS = new Set(["c", "u", "d", "r"]);
const HEARTBEAT_TOPIC = "__debezium-heartbeat";
/** Every `source` field this file reads: the payload scanner checks and skips the others. */
const SOURCE_FIELDS: ReadonlySet<string> = new Set([
  "connector",
  "table",
  "schema",
  "ts_ms",
  "ts_us",
  "snapshot",
  "commit_lsn",
  "change_lsn",
  "event_serial_no",
  "lsn",
  "sequence",
  "txId",
  "gtid",
  "file",
  "pos",
  "row",
]);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

// Deno's fatal TextDecoder is ~5× slower than the replacing one: decode with replacement, and only when a U+FFFD
// shows up ask the fatal decoder whether the bytes were really invalid.
const utf8 = new TextDecoder();
const utf8Fatal = new TextDecoder("utf-8", { fatal: true });
const utf8Encoder = new TextEncoder();

function startsWithSchemaOpen(input: Uint8Array | string): boolean {
  if (typeof input === "string") return input.startsWith(SCHEMA_OPEN);
  if (input.length < SCHEMA_OPEN.length) return false;
  for (let i = 0; i < SCHEMA_OPEN.length; i++) if (input[i] !== SCHEMA_OPEN.charCodeAt(i)) return false;
  return true;
}

function toText(input: Uint8Array | string): string {
  if (typeof input === "string") return input;
  const text = utf8.decode(input);
  if (text.indexOf("\uFFFD") >= 0) {
    try {
      utf8Fatal.decode(input);
    } catch (e) {
      throw new SyntaxError("Cannot decode message: not valid UTF-8", { cause: e });
    }
  }
  return text;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof NumberText);
}

function optionalString(o: Record<string, unknown>, field: string, path: string): string | null {
  const v = o[field];
  if (v === undefined || v === null) return null;
  if (typeof v !== "string") throw typeError(`${path}.${field}`, "a string", v);
  return v;
}

function optionalInt64(o: Record<string, unknown>, field: string, path: string): bigint | null {
  const v = o[field];
  if (v === undefined || v === null) return null;
  // The docs' examples write some int64s as strings; real messages never do, but the digits are unambiguous.
  if (typeof v === "string" && /^-?\d+$/.test(v)) return BigInt(v);
  return rawInt64(v, `${path}.${field}`);
}

/**
 * Commit time: `ts_us` when it carries sub-millisecond digits, else `ts_ms`. `ts_us` is read the same at every
 * parse tier (a tier-3 {@linkcode NumberText} too), so the result never depends on which tier a message needed.
 */
function sourceTime(o: Record<string, unknown>, path: string): Timestamp | null {
  const us = o.ts_us instanceof NumberText ? Number(o.ts_us.text) : o.ts_us;
  if (typeof us === "number" && Number.isSafeInteger(us) && us % 1000 !== 0) return Timestamp.fromMicros(us);
  const ms = typeof o.ts_ms === "number" && Number.isSafeInteger(o.ts_ms)
    ? o.ts_ms
    : optionalInt64(o, "ts_ms", path);
  return ms === null ? null : Timestamp.fromMillis(ms);
}

function snapshotFlag(v: unknown): boolean {
  if (typeof v === "boolean") return v; // the docs' examples; real messages carry strings
  return typeof v === "string" && SNAPSHOT_TRUE.has(v);
}

function sqlServerLikePosition(source: Record<string, unknown>, path: string): string {
  const commit = optionalString(source, "commit_lsn", path);
  if (commit === null) throw new TypeError(`Cannot decode "${path}": a SQL Server event needs commit_lsn`);
  return sqlServerPosition({
    commitLsn: commit,
    changeLsn: optionalString(source, "change_lsn", path),
    eventSerialNo: typeof source.event_serial_no === "number" && Number.isSafeInteger(source.event_serial_no)
      ? source.event_serial_no
      : optionalInt64(source, "event_serial_no", path),
  });
}

function postgresSequenceCommit(source: Record<string, unknown>, path: string): bigint | number | null {
  const seq = source.sequence;
  if (seq === undefined || seq === null) return null;
  if (typeof seq !== "string") throw typeError(`${path}.sequence`, "a JSON array text", seq);
  const commit = sequenceCommit(seq);
  if (commit === undefined) throw typeError(`${path}.sequence`, '["<last commit LSN>","<LSN>"]', seq);
  return commit;
}

/**
 * The first LSN of a `sequence` text `[null|"<digits>",null|"<digits>"]` (null for `null`), or undefined when
 * the text has another form. Read by hand: a regular expression here cost more than the rest of the position.
 */
function sequenceCommit(seq: string): bigint | number | null | undefined {
  const n = seq.length;
  if (seq.charCodeAt(0) !== 91 || seq.charCodeAt(n - 1) !== 93) return undefined; // [ ]
  let commit: bigint | number | null = null;
  let i = 1;
  if (seq.charCodeAt(1) === 34) { // "
    let v = 0; // exact up to 15 digits
    i = 2;
    for (let c = seq.charCodeAt(i); c >= 48 && c <= 57; c = seq.charCodeAt(++i)) v = v * 10 + (c - 48);
    if (i === 2 || seq.charCodeAt(i) !== 34) return undefined;
    commit = i - 2 <= 15 ? v : BigInt(seq.slice(2, i));
    i++;
  } else if (seq.startsWith("null", 1)) {
    i = 5;
  } else {
    return undefined;
  }
  if (seq.charCodeAt(i) !== 44 || sequenceItem(seq, i + 1) !== n - 1) return undefined; // ,
  return commit;
}

/** End of the `null` or `"<digits>"` at `at` in a sequence text, or -1. */
function sequenceItem(seq: string, at: number): number {
  if (seq.startsWith("null", at)) return at + 4;
  if (seq.charCodeAt(at) !== 34) return -1; // "
  let i = at + 1;
  for (let c = seq.charCodeAt(i); c >= 48 && c <= 57; c = seq.charCodeAt(++i));
  return i > at + 1 && seq.charCodeAt(i) === 34 ? i + 1 : -1;
}

/**
 * Numbers PostgreSQL events that share an LSN in arrival order, per table: a snapshot's rows all carry its LSN.
 * A decoder restarted inside such a run numbers from 0 again, which only affects the order among snapshot rows
 * of different keys. LSNs are compared as numbers when safe, whichever parse tier read them.
 */
class LsnTies {
  readonly #last = new Map<string, { commit: unknown; lsn: unknown; sub: number }>();
  // The last `schema.table` key and its parts: composing (and hashing) it anew for every event cost ~0.1 µs.
  #schema: unknown = undefined;
  #table: unknown = undefined;
  #key = "undefined.undefined";

  /** The key of a `source` block's schema and table. */
  key(schema: unknown, table: unknown): string {
    if (schema !== this.#schema || table !== this.#table) {
      this.#schema = schema;
      this.#table = table;
      this.#key = `${schema}.${table}`;
    }
    return this.#key;
  }

  /** The number of the next event of `table` at this position; {@linkcode record} it once it is decoded. */
  next(table: string, commit: unknown, lsn: unknown): number {
    const prev = this.#last.get(table);
    return prev !== undefined && prev.commit === same(commit) && prev.lsn === same(lsn) ? prev.sub + 1 : 0;
  }

  record(table: string, commit: unknown, lsn: unknown, sub: number): void {
    const prev = this.#last.get(table);
    if (prev === undefined) {
      this.#last.set(table, { commit: same(commit), lsn: same(lsn), sub });
    } else {
      prev.commit = same(commit);
      prev.lsn = same(lsn);
      prev.sub = sub;
    }
  }
}

function same(v: unknown): unknown {
  return typeof v === "bigint" && v <= MAX_SAFE && v >= -MAX_SAFE ? Number(v) : v;
}

/**
 * The position of an event from its `source` block, by connector. PostgreSQL events sharing an LSN are ordered
 * by their Kafka `offset` when known, else numbered by `ties`.
 */
function positionOf(
  source: Record<string, unknown>,
  path: string,
  ties?: LsnTies,
  offset?: string | number | bigint,
): string {
  const connector = source.connector;
  if (connector === "sqlserver" || (connector === undefined && "commit_lsn" in source)) {
    return sqlServerLikePosition(source, path);
  }
  if (connector === "postgresql" || (connector === undefined && "lsn" in source)) {
    const lastCommitLsn = postgresSequenceCommit(source, path);
    const lsn = typeof source.lsn === "number" && Number.isSafeInteger(source.lsn)
      ? source.lsn
      : optionalInt64(source, "lsn", path);
    if (offset !== undefined) return postgresPosition({ lastCommitLsn, lsn, sub: BigInt(offset) });
    if (ties === undefined) return postgresPosition({ lastCommitLsn, lsn, sub: 0 });
    const table = ties.key(source.schema, source.table);
    const sub = ties.next(table, lastCommitLsn, lsn);
    const position = postgresPosition({ lastCommitLsn, lsn, sub });
    ties.record(table, lastCommitLsn, lsn, sub); // only once the position is good: a failed event counts nothing
    return position;
  }
  if (connector === "mysql") {
    const file = optionalString(source, "file", path);
    if (file === null) throw new TypeError(`Cannot decode "${path}": a MySQL event needs file`);
    return mysqlPosition(
      file,
      optionalInt64(source, "pos", path) ?? 0n,
      optionalInt64(source, "row", path) ?? 0n,
    );
  }
  throw new TypeError(`Cannot decode "${path}.connector": unknown connector ${JSON.stringify(connector)}`);
}

function transactionIdOf(
  source: Record<string, unknown>,
  payload: Record<string, unknown>,
  path: string,
): string | null {
  if (source.connector === "sqlserver") return optionalString(source, "commit_lsn", path);
  if (typeof source.txId === "number" && Number.isSafeInteger(source.txId)) return String(source.txId);
  const tx = optionalInt64(source, "txId", path);
  if (tx !== null) return tx.toString();
  const gtid = source.gtid;
  if (typeof gtid === "string") return gtid;
  const block = payload.transaction;
  if (isObject(block) && typeof block.id === "string") return stableTransactionId(block.id);
  return null;
}

/** PostgreSQL transaction ids are `"<txId>:<lsn>"` with a different LSN per event; the txId is the stable part. */
function stableTransactionId(id: string): string {
  return /^\d+:\d+$/.test(id) ? id.slice(0, id.indexOf(":")) : id;
}

/** Decodes Debezium messages; keep one per consumer (it caches compiled schemas per topic). */
export class DebeziumDecoder {
  readonly #naming: Naming;
  // The schema entry of each topic's last value and key (two maps: a composed key string would be hashed anew
  // for every message).
  readonly #valueEntries = new Map<string, SchemaEntry>();
  readonly #keyEntries = new Map<string, SchemaEntry>();
  readonly #bySchema = new Map<string, SchemaEntry>();
  readonly #cacheSize: number;
  readonly #requireKey: boolean;
  readonly #scanPayloads: boolean;
  readonly #ties = new LsnTies();
  readonly stats: DecoderStats = {
    decoded: 0,
    quotedIntegerParses: 0,
    sourceTextParses: 0,
    schemasCompiled: 0,
    scanned: 0,
  };

  constructor(options: DebeziumDecoderOptions = {}) {
    this.#naming = new Naming(options.tables);
    this.#cacheSize = options.schemaCacheSize ?? 1000;
    this.#requireKey = options.requireKey ?? true;
    this.#scanPayloads = options.scanPayloads ?? true;
  }

  /**
   * Decodes one message. Throws SyntaxError (not JSON, not UTF-8), TypeError (wrong shape or type, unknown
   * operation, missing key) or RangeError (value out of range), each naming what is wrong.
   */
  decode(message: DebeziumMessage): SourceRecord {
    const topic = message.topic ?? null;
    const record = this.#decode(topic, message);
    this.stats.decoded++;
    return record;
  }

  #decode(topic: string | null, message: DebeziumMessage): SourceRecord {
    if (message.value === null) {
      const table = topic === null ? null : this.#naming.table(tableFromTopic(topic));
      if (table === null) {
        throw new TypeError("Cannot decode tombstone: a null value needs a topic to name its table");
      }
      return { kind: "tombstone", table: table.name, key: this.#key(topic, message.key, table) };
    }
    const value = message.value;
    let fast: { entry: SchemaEntry; payload: string } | null;
    if (topic !== null && value instanceof Uint8Array) {
      const entry = this.#cachedEntry(this.#valueEntries, topic, value);
      if (entry !== null) {
        const payload = value.subarray(entry.prefixBytes!.bytes.length, value.length - 1);
        if (this.#scanPayloads && !topic.startsWith(HEARTBEAT_TOPIC)) {
          const record = this.#scanned(entry, payload, topic, message);
          if (record !== null) return record;
        }
        return this.#tiers(entry, toText(payload), false, topic, message);
      }
      fast = this.#split(this.#valueEntries, topic, value);
    } else {
      fast = topic !== null
        ? this.#splitCached(this.#valueEntries, topic, value)
        : this.#split(null, null, value);
    }
    if (fast !== null) return this.#tiers(fast.entry, fast.payload, false, topic, message);
    return this.#tiers(null, toText(value), true, topic, message);
  }

  /** The schema entry cached for `topic` if `input` starts with its prefix and ends with `}`. */
  #cachedEntry(
    cache: Map<string, SchemaEntry>,
    topic: string,
    input: Uint8Array | string,
  ): SchemaEntry | null {
    const entry = cache.get(topic);
    if (entry === undefined || entry.prefix === null) return null;
    if (typeof input === "string") {
      return input.startsWith(entry.prefix) && input.endsWith("}") ? entry : null;
    }
    return input.length > entry.prefixBytes!.bytes.length && input[input.length - 1] === 125 &&
        entry.prefixBytes!.startsOf(input)
      ? entry
      : null;
  }

  /** Payload text of `input` if it starts with its topic's cached schema prefix, or once split and cached. */
  #splitCached(
    cache: Map<string, SchemaEntry>,
    topic: string,
    input: Uint8Array | string,
  ): { entry: SchemaEntry; payload: string } | null {
    const entry = this.#cachedEntry(cache, topic, input);
    if (entry !== null) {
      const payload = typeof input === "string"
        ? input.slice(entry.prefix!.length, -1)
        : toText(input.subarray(entry.prefixBytes!.bytes.length, input.length - 1));
      return { entry, payload };
    }
    return this.#split(cache, topic, input);
  }

  /**
   * The record of a change event read by the payload scanner, or null when the scanner cannot read it or the
   * decoding fails: the caller then takes the generic path, which gives the same record or the real error.
   */
  #scanned(
    entry: SchemaEntry,
    payload: Uint8Array,
    topic: string,
    message: DebeziumMessage,
  ): SourceRecord | null {
    const tableSource = entry.scanTable ??= tableFromTopic(topic);
    let scanner = entry.scanners.get(tableSource);
    if (scanner === undefined) {
      scanner = this.#compileScanner(entry, this.#naming.table(tableSource));
      entry.scanners.set(tableSource, scanner);
    }
    if (scanner === null) return null;
    let scanned: ScannedPayload;
    try {
      scanned = scanner(payload);
    } catch {
      return null; // a surprise in the bytes; the generic path decides
    }
    const source = scanned.source;
    if (!isObject(source)) return null;
    const sourceTable = source.table ?? tableFromTopic(topic);
    if (sourceTable !== tableSource) {
      // Rows were named for another table: remember this one for the next message.
      if (typeof sourceTable === "string") entry.scanTable = sourceTable;
      return null;
    }
    try {
      const record = this.#change(
        entry,
        scanned as unknown as Record<string, unknown>,
        topic,
        message,
        scanned,
      );
      this.stats.scanned++;
      return record;
    } catch {
      return null;
    }
  }

  #compileScanner(entry: SchemaEntry, table: TableNaming): PayloadScanner | null {
    if (entry.schema.name === "io.debezium.connector.common.Heartbeat") return null;
    try {
      return compilePayloadScanner(entry.schema, {
        rowSchema: (path) => this.#rowSchema(entry, path),
        rowOptions: this.#rowOptions(table),
        sourceFields: SOURCE_FIELDS,
      });
    } catch {
      return null; // a schema the converters cannot compile: the generic path reports it per message
    }
  }

  /** Splits `input` at its payload; the entry is cached for `topic` in `cache` when both are given. */
  #split(
    cache: Map<string, SchemaEntry> | null,
    topic: string | null,
    input: Uint8Array | string,
  ): { entry: SchemaEntry; payload: string } | null {
    if (!startsWithSchemaOpen(input)) return null;
    const text = toText(input);
    const at = text.indexOf(PAYLOAD_KEY);
    if (at < 0 || !text.endsWith("}")) return null;
    const schemaText = text.slice(SCHEMA_OPEN.length - 1, at);
    let entry = this.#bySchema.get(schemaText);
    if (entry === undefined) {
      let schema: ConnectSchema;
      try {
        schema = asConnectSchema(JSON.parse(schemaText));
      } catch {
        return null; // `,"payload":` inside the schema (a parameter named payload): take the whole-text path
      }
      const prefix = text.slice(0, at + PAYLOAD_KEY.length);
      entry = this.#remember(schemaText, {
        prefix,
        // toText checked the bytes are valid UTF-8, so these are the message's own bytes.
        prefixBytes: new ByteRun(utf8Encoder.encode(prefix)),
        schema,
        startTier: 1,
        converters: new Map(),
        scanners: new Map(),
        scanTable: null,
      });
    }
    if (cache !== null && topic !== null) cache.set(topic, entry);
    return { entry, payload: text.slice(at + PAYLOAD_KEY.length, -1) };
  }

  #remember(schemaText: string, entry: SchemaEntry): SchemaEntry {
    if (this.#bySchema.size >= this.#cacheSize) {
      this.#bySchema.delete(this.#bySchema.keys().next().value!);
    }
    this.#bySchema.set(schemaText, entry);
    this.stats.schemasCompiled++;
    return entry;
  }

  /** The schema entry of a whole parsed `{schema, payload}` object (pretty-printed or unsplittable input). */
  #entryOfParsed(schema: unknown): SchemaEntry {
    const text = JSON.stringify(schema);
    return this.#bySchema.get(text) ??
      this.#remember(text, {
        prefix: null,
        prefixBytes: null,
        schema: asConnectSchema(schema),
        startTier: 1,
        converters: new Map(),
        scanners: new Map(),
        scanTable: null,
      });
  }

  /** Parses at the cheapest tier that keeps every number exact and decodes the payload. */
  #tiers(
    entry: SchemaEntry | null,
    text: string,
    whole: boolean,
    topic: string | null,
    message: DebeziumMessage,
  ): SourceRecord {
    let tier: 1 | 2 | 3 = entry?.startTier ?? 1;
    for (;;) {
      let parsed: Parsed;
      if (tier === 1) {
        parsed = this.#unwrap(JSON.parse(text), entry, whole);
      } else if (tier === 2) {
        try {
          parsed = this.#unwrap(JSON.parse(quoteUnsafeIntegers(text)), entry, whole);
        } catch (e) {
          if (!(e instanceof SyntaxError)) throw e;
          tier = 3; // a long digit run inside a string: only the reviver can tell
          continue;
        }
      } else {
        parsed = this.#unwrap(parseLossless(text), entry, whole);
      }
      entry = parsed.entry;
      try {
        const record = this.#payload(parsed.entry, parsed.payload, topic, message);
        if (tier === 2) {
          this.stats.quotedIntegerParses++;
          if (parsed.entry) parsed.entry.startTier = 2;
        } else if (tier === 3) {
          this.stats.sourceTextParses++;
        }
        return record;
      } catch (e) {
        if (!(e instanceof NeedsLosslessParse)) throw e;
        if (tier === 3) {
          throw new TypeError("Cannot decode payload: a number cannot be read exactly", { cause: e });
        }
        tier = e === NEEDS_QUOTED_INTEGERS && tier === 1 && parsed.entry !== null ? 2 : 3;
      }
    }
  }

  /** Splits a whole parsed message into schema entry and payload. */
  #unwrap(parsed: unknown, entry: SchemaEntry | null, whole: boolean): Parsed {
    if (!whole) return { entry, payload: parsed };
    if (isObject(parsed) && "payload" in parsed && "schema" in parsed && Object.keys(parsed).length === 2) {
      if (parsed.schema === null) return { entry: null, payload: parsed.payload };
      return { entry: entry ?? this.#entryOfParsed(parsed.schema), payload: parsed.payload };
    }
    return { entry: null, payload: parsed };
  }

  #payload(
    entry: SchemaEntry | null,
    payload: unknown,
    topic: string | null,
    message: DebeziumMessage,
  ): SourceRecord {
    if (!isObject(payload)) throw typeError("payload", "an object", payload);
    const schemaName = entry?.schema.name ?? "";
    if (
      (topic !== null && topic.startsWith(HEARTBEAT_TOPIC)) ||
      schemaName === "io.debezium.connector.common.Heartbeat"
    ) {
      const ts = optionalInt64(payload, "ts_ms", "payload");
      return { kind: "heartbeat", ts: ts === null ? null : Timestamp.fromMillis(ts) };
    }
    if ("op" in payload) return this.#change(entry, payload, topic, message);
    if (
      schemaName === "io.debezium.connector.common.TransactionMetadataValue" ||
      ("status" in payload && "id" in payload)
    ) {
      return this.#transaction(payload);
    }
    if ("tableChanges" in payload) {
      if ("position" in payload && !("ddl" in payload)) {
        return {
          kind: "ignored",
          reason: "an internal schema-history record (consumers read the schema-change topic)",
        };
      }
      return this.#schemaChange(payload);
    }
    const keys = Object.keys(payload);
    if (keys.length === 1 && keys[0] === "ts_ms") {
      return this.#payload(entry, payload, HEARTBEAT_TOPIC, message);
    }
    throw new TypeError(
      `Cannot decode payload: not a Debezium change, transaction, heartbeat or schema change (fields ${
        keys.slice(0, 8).join(", ")
      })`,
    );
  }

  #rowSchema(entry: SchemaEntry, path: "before" | "after"): ConnectSchema | undefined {
    return fieldSchema(entry.schema, path) ??
      fieldSchema(entry.schema, path === "after" ? "before" : "after");
  }

  /** Row images take lake column names; the catalog's Delta `timestamp` columns read as UTC instants. */
  #rowOptions(table: TableNaming): CompileOptions {
    const zoned = new Set(table.def?.columns.filter((c) => c.type === "timestamp").map((c) => c.name));
    return { rename: (f) => table.column(f), zonedColumns: zoned };
  }

  #rowConverter(entry: SchemaEntry, table: TableNaming, path: "before" | "after"): Converter | null {
    const cached = tableConverters(entry, table);
    let conv = cached[path];
    if (conv === undefined) {
      const rowSchema = this.#rowSchema(entry, path);
      conv = rowSchema === undefined || rowSchema.type !== "struct"
        ? null
        : compileConverter(rowSchema, { path, ...this.#rowOptions(table) });
      cached[path] = conv;
    }
    return conv;
  }

  #row(entry: SchemaEntry | null, raw: unknown, table: TableNaming, path: "before" | "after"): Row | null {
    if (raw === null || raw === undefined) return null;
    const conv = entry === null ? null : this.#rowConverter(entry, table, path);
    return conv === null ? schemalessRow(raw, table, path) : conv(raw) as Row;
  }

  /** A change event; `scanned` holds its rows when the payload scanner read them. */
  #change(
    entry: SchemaEntry | null,
    payload: Record<string, unknown>,
    topic: string | null,
    message: DebeziumMessage,
    scanned?: ScannedPayload,
  ): SourceRecord {
    const op = payload.op;
    if (typeof op !== "string") throw typeError("payload.op", "an operation code", op);
    const source = payload.source;
    if (!isObject(source)) throw typeError("payload.source", "an object", source);
    const sourceTable = optionalString(source, "table", "payload.source") ??
      (topic !== null ? tableFromTopic(topic) : null);
    if (sourceTable === null || sourceTable === "") {
      if (op === "m") return this.#message(payload);
      throw new TypeError('Cannot decode "payload.source.table": the event names no table and has no topic');
    }
    const table = this.#naming.table(sourceTable);
    if (op === "t") {
      return {
        kind: "truncate",
        table: table.name,
        position: positionOf(source, "payload.source"),
        commitTs: this.#commitTs(source),
        txId: transactionIdOf(source, payload, "payload.source"),
      };
    }
    if (op === "m") return this.#message(payload);
    if (!OPS.has(op)) {
      throw new TypeError(`Cannot decode "payload.op": unknown operation ${JSON.stringify(op)}`);
    }
    const before = scanned ? scanned.before : this.#row(entry, payload.before, table, "before");
    const after = scanned ? scanned.after : this.#row(entry, payload.after, table, "after");
    if (op !== "d" && after === null) {
      throw new TypeError(`Cannot decode "payload.after": a "${op}" event needs an after image`);
    }
    if (op === "d" && before === null && message.key === null) {
      throw new TypeError('Cannot decode "payload.before": a delete needs a before image or a key');
    }
    // The catalog's key columns are in every row image (deletes included): reading them there spares parsing
    // the Kafka key, and the lake's key is the catalog's even where a connector overrides the message key.
    const key = this.#catalogKey(table, after ?? before) ?? this.#key(topic, message.key, table) ??
      (this.#requireKey || message.key !== null ? this.#keyFromRow(table, after ?? before) : {});
    if (this.#requireKey || Object.keys(key).length > 0) checkKey(table.name, key);
    const commitTs = this.#commitTs(source);
    const txId = transactionIdOf(source, payload, "payload.source");
    // Last: numbering ties must not count a message that fails (or is parsed again) after it.
    const position = positionOf(source, "payload.source", this.#ties, message.offset);
    const event: ChangeEvent = {
      table: table.name,
      op: op as ChangeOp,
      key,
      before,
      after,
      position,
      commitTs,
      txId,
      snapshot: op === "r" || snapshotFlag(source.snapshot),
    };
    return { kind: "change", event };
  }

  #commitTs(source: Record<string, unknown>): Timestamp {
    const ts = sourceTime(source, "payload.source");
    if (ts === null) throw new TypeError('Cannot decode "payload.source.ts_ms": the commit time is missing');
    return ts;
  }

  /** The catalog key of `row`, or null when the table is not in the catalog or a key column is missing. */
  #catalogKey(table: TableNaming, row: Row | null): Row | null {
    const cols = table.def?.key;
    if (!cols || row === null) return null;
    const key: Row = {};
    for (const c of cols) {
      const v = row[c];
      if (v === undefined || v === null) return null;
      key[c] = v;
    }
    return key;
  }

  #keyFromRow(table: TableNaming, row: Row | null): Row {
    const cols = table.def?.key;
    if (!cols || row === null) {
      throw new TypeError(
        `Cannot decode change of "${table.name}": missing key (the message has no key and the table is not in the catalog)`,
      );
    }
    const key: Row = {};
    for (const c of cols) {
      const v = row[c];
      if (v === undefined || v === null) {
        throw new TypeError(`Cannot decode change of "${table.name}": missing key column "${c}"`);
      }
      key[c] = v;
    }
    return key;
  }

  /** The decoded Kafka key, renamed to lake columns; null for a Kafka null key. */
  #key(topic: string | null, input: Uint8Array | string | null, table: TableNaming): Row | null {
    if (input === null) return null;
    const fast = topic !== null
      ? this.#splitCached(this.#keyEntries, topic, input)
      : this.#split(null, null, input);
    const text = fast?.payload ?? toText(input);
    const parse = (tier: 1 | 3): Row | null => {
      const parsed = tier === 1 ? JSON.parse(text) : parseLossless(text);
      const { entry, payload } = fast
        ? { entry: fast.entry, payload: parsed }
        : this.#unwrap(parsed, null, true);
      if (payload === null) return null;
      if (entry === null) return schemalessRow(payload, table, "key");
      const cached = tableConverters(entry, table);
      if (cached.key === undefined) {
        if (entry.schema.type !== "struct") throw typeError("key", "a struct key", payload);
        cached.key = compileConverter(entry.schema, { path: "key", rename: (f) => table.column(f) });
      }
      const conv = cached.key;
      return conv(payload) as Row;
    };
    try {
      return parse(1);
    } catch (e) {
      if (!(e instanceof NeedsLosslessParse)) throw e;
    }
    try {
      return parse(3);
    } catch (e) {
      if (e instanceof NeedsLosslessParse) {
        throw new TypeError("Cannot decode key: a number cannot be read exactly", { cause: e });
      }
      throw e;
    }
  }

  #transaction(payload: Record<string, unknown>): TransactionRecord {
    const status = payload.status;
    if (status !== "BEGIN" && status !== "END") throw typeError("payload.status", "BEGIN or END", status);
    const rawId = optionalString(payload, "id", "payload");
    if (rawId === null) throw new TypeError('Cannot decode "payload.id": a transaction needs an id');
    const ts = optionalInt64(payload, "ts_ms", "payload");
    if (ts === null) throw new TypeError('Cannot decode "payload.ts_ms": a transaction needs a time');
    const count = optionalInt64(payload, "event_count", "payload");
    const collections = payload.data_collections;
    let dataCollections: TransactionRecord["dataCollections"] = null;
    if (Array.isArray(collections)) {
      dataCollections = collections.map((c, i) => {
        const path = `payload.data_collections[${i}]`;
        if (!isObject(c)) throw typeError(path, "an object", c);
        const name = optionalString(c, "data_collection", path);
        if (name === null) throw new TypeError(`Cannot decode "${path}.data_collection": missing`);
        return {
          table: this.#naming.table(tableFromTopic(name)).name,
          source: name,
          eventCount: Number(optionalInt64(c, "event_count", path) ?? 0n),
        };
      });
    } else if (collections !== null && collections !== undefined) {
      throw typeError("payload.data_collections", "an array", collections);
    }
    return {
      kind: "transaction",
      status,
      id: stableTransactionId(rawId),
      rawId,
      eventCount: count === null ? null : Number(count),
      dataCollections,
      ts: Timestamp.fromMillis(ts),
    };
  }

  #schemaChange(payload: Record<string, unknown>): SourceRecord {
    const changes = payload.tableChanges;
    if (!Array.isArray(changes)) throw typeError("payload.tableChanges", "an array", changes);
    const tables = changes.map((c, i) => {
      const id = isObject(c) ? c.id : undefined;
      if (typeof id !== "string") throw typeError(`payload.tableChanges[${i}].id`, "a table id", id);
      // "\"testDB\".\"dbo\".\"customers\"": the last quoted part is the table.
      const last = id.split(".").pop()!.replace(/^"|"$/g, "");
      return this.#naming.table(last).name;
    });
    return {
      kind: "schema_change",
      database: optionalString(payload, "databaseName", "payload"),
      schema: optionalString(payload, "schemaName", "payload"),
      ddl: optionalString(payload, "ddl", "payload"),
      tables,
      tableChanges: jsonOf(changes),
    };
  }

  #message(payload: Record<string, unknown>): SourceRecord {
    const m = payload.message;
    if (!isObject(m)) throw typeError("payload.message", "an object", m);
    const prefix = optionalString(m, "prefix", "payload.message") ?? "";
    const content = optionalString(m, "content", "payload.message");
    return { kind: "message", prefix, content: content === null ? null : decodeBase64(content) };
  }
}

/** A key names a row only with at least one column and no nulls. */
function checkKey(table: string, key: Row): void {
  let columns = 0;
  for (const k in key) {
    if (key[k] === null) throw new TypeError(`Cannot decode change of "${table}": key column "${k}" is null`);
    columns++;
  }
  if (columns === 0) throw new TypeError(`Cannot decode change of "${table}": the key has no columns`);
}

/** Plain JSON of a lossless-parsed value (number texts back to numbers or digit strings). */
function jsonOf(v: unknown): JsonValue {
  if (v instanceof NumberText) return Number.isSafeInteger(Number(v.text)) ? Number(v.text) : v.text;
  if (typeof v === "string" && v.charCodeAt(0) === 126 && /^~-?\d+$/.test(v)) return v.slice(1);
  if (Array.isArray(v)) return v.map(jsonOf);
  if (isObject(v)) {
    const o: { [k: string]: JsonValue } = {};
    for (const k in v) o[k] = jsonOf(v[k]);
    return o;
  }
  return v as JsonValue;
}
