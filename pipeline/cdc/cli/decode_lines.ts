/**
 * `cdc decode`: Debezium messages in, one normalized record per line out, as ndjson in the lake's value
 * encoding. Input lines are bare Debezium values or `{"topic", "key", "value"}` objects (value null = tombstone);
 * a line that cannot be decoded prints `{"error", "line"}` and decoding goes on. A bare value has no Kafka key:
 * its key comes from the catalog, and is null for tables outside it.
 *
 * @module
 */
import { encodeBase64, type JsonValue, toJsonValue } from "../../value/mod.ts";
import type { DebeziumDecoder, DebeziumMessage } from "../debezium_decoder.ts";
import type { SourceRecord } from "../source_record.ts";

const WRAPPER_KEYS = new Set(["topic", "key", "value", "partition", "offset", "timestamp"]);

interface ReviverContext {
  source?: string;
}

// Re-serializing the key and value of a wrapper line must keep long numbers exact: JSON.rawJSON writes them back
// digit for digit.
function keepLongNumbers(_key: string, value: unknown, context?: ReviverContext): unknown {
  if (typeof value === "number" && context?.source !== undefined && context.source.length > 15) {
    return (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON(context.source);
  }
  return value;
}

function messageText(v: unknown, what: string): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "string") return v;
  if (typeof v === "object") return JSON.stringify(v);
  throw new TypeError(`Cannot read ${what}: expected a JSON object, a string or null`);
}

/** The message of one input line: a `{topic, key, value}` wrapper, or the line itself as a bare value. */
export function lineMessage(line: string): DebeziumMessage {
  const trimmed = line.trimStart();
  if (trimmed.startsWith("{") && /"value"\s*:/.test(trimmed)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed, keepLongNumbers as (key: string, value: unknown) => unknown);
    } catch {
      return { topic: null, key: null, value: line }; // not JSON at all: the decoder says why
    }
    if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) {
      const o = parsed as Record<string, unknown>;
      const keys = Object.keys(o);
      if ("value" in o && keys.every((k) => WRAPPER_KEYS.has(k))) {
        if (o.topic !== undefined && o.topic !== null && typeof o.topic !== "string") {
          throw new TypeError("Cannot read the line: topic is not a string");
        }
        return {
          topic: (o.topic as string | undefined) ?? null,
          key: messageText(o.key, "the key"),
          value: messageText(o.value, "the value"),
        };
      }
    }
  }
  return { topic: null, key: null, value: line };
}

/** The output object of one decoded record. */
export function recordJson(r: SourceRecord): Record<string, JsonValue> {
  switch (r.kind) {
    case "change": {
      const e = r.event;
      return {
        table: e.table,
        op: e.op,
        key: Object.keys(e.key).length === 0 ? null : toJsonValue(e.key),
        before: e.before === null ? null : toJsonValue(e.before),
        after: e.after === null ? null : toJsonValue(e.after),
        position: e.position,
        commit_ts: e.commitTs.toString(),
        snapshot: e.snapshot,
      };
    }
    case "tombstone":
      return { kind: "tombstone", table: r.table, key: r.key === null ? null : toJsonValue(r.key) };
    case "truncate":
      return { kind: "truncate", table: r.table, position: r.position, commit_ts: r.commitTs.toString() };
    case "transaction":
      return {
        kind: "transaction",
        status: r.status,
        id: r.id,
        event_count: r.eventCount,
        data_collections: r.dataCollections?.map((c) => ({ table: c.table, event_count: c.eventCount })) ??
          null,
        ts: r.ts.toString(),
      };
    case "heartbeat":
      return { kind: "heartbeat", ts: r.ts?.toString() ?? null };
    case "schema_change":
      return { kind: "schema_change", database: r.database, schema: r.schema, tables: r.tables };
    case "message":
      return {
        kind: "message",
        prefix: r.prefix,
        content: r.content === null ? null : encodeBase64(r.content),
      };
    case "ignored":
      return { kind: "ignored", reason: r.reason };
  }
}

/** Decodes one line (1-based number `n`) into its output line. */
export function decodeLine(decoder: DebeziumDecoder, line: string, n: number): string {
  try {
    return JSON.stringify(recordJson(decoder.decode(lineMessage(line))));
  } catch (e) {
    return JSON.stringify({ error: e instanceof Error ? `${e.name}: ${e.message}` : String(e), line: n });
  }
}

/** Splits a byte stream into lines (without their `\n` or `\r\n`). */
export async function* readLines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  let rest = "";
  const decoder = new TextDecoder();
  for await (const bytes of stream) {
    rest += decoder.decode(bytes, { stream: true });
    let i: number;
    while ((i = rest.indexOf("\n")) >= 0) {
      yield rest.slice(0, i).replace(/\r$/, "");
      rest = rest.slice(i + 1);
    }
  }
  rest += decoder.decode();
  if (rest !== "") yield rest.replace(/\r$/, "");
}

/** Decodes every non-blank line of `lines`, yielding one output line each. */
export async function* decodeLines(
  decoder: DebeziumDecoder,
  lines: AsyncIterable<string>,
): AsyncGenerator<string> {
  let n = 0;
  for await (const line of lines) {
    n++;
    if (line.trim() === "") continue;
    yield decodeLine(decoder, line, n);
  }
}
