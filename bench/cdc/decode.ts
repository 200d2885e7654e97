/**
 * Debezium decoding speed on one core: Kafka-style key and value bytes → ChangeEvents, against the limit of
 * `TextDecoder` + `JSON.parse` of the same bytes (what any JS consumer must at least do).
 *
 * Run alone: `deno run -A bench/cdc/decode.ts` (writes its section of bench/RESULTS.md).
 *
 * @module
 */
import { DebeziumDecoder } from "../../pipeline/cdc/debezium_decoder.ts";
import {
  debeziumKey,
  debeziumMessage,
  decimalBase64,
  type FixtureColumn,
  type FixtureMessage,
  fixtureTopic,
  ORDERS_COLUMNS,
} from "../../pipeline/cdc/debezium_fixture.ts";
import { writeSection } from "../results.ts";

const MESSAGES = 2000;
const ROUNDS = 100_000;
const enc = new TextEncoder();

export interface Workload {
  name: string;
  messages: { topic: string; key: Uint8Array; value: Uint8Array }[];
}

export function pgOrders(schemas: boolean, update = true): Workload {
  const messages = Array.from({ length: MESSAGES }, (_, i) => {
    const after = {
      orderid: String(i),
      ordernumber: JSON.stringify(`ORD-${String(100000 + i)}`),
      totalamount: JSON.stringify(decimalBase64(BigInt(1000 + i * 37))),
      statusid: String(1 + (i % 3)),
      customerid: String(i % 70),
      createdat: String(1700000000000000 + i * 1000),
      updatedat: String(1700000000500000 + i * 1000),
    };
    const m: FixtureMessage = {
      connector: "postgresql",
      prefix: "lakestream",
      db: "lakestream",
      schema: "public",
      table: "orders",
      columns: ORDERS_COLUMNS,
      keyColumns: ["orderid"],
      op: update ? "u" : "c",
      before: update ? { ...after, statusid: "1" } : null,
      after,
      tsMs: 1700000000000 + i,
      lsn: 10_000_000 + i * 100,
      lastCommitLsn: 10_000_000 + i * 100 - 40,
      txId: 5000 + i,
      schemas,
    };
    return { topic: fixtureTopic(m), key: enc.encode(debeziumKey(m)), value: enc.encode(debeziumMessage(m)) };
  });
  return {
    name: `PostgreSQL orders ${update ? "update, before+after" : "insert, after only"}, schemas ${
      schemas ? "on" : "off"
    }`,
    messages,
  };
}

export function sqlServerItems(): Workload {
  const columns: FixtureColumn[] = [
    { name: "OrderItemID", schema: { type: "int32", optional: false } },
    { name: "OrderID", schema: { type: "int32", optional: true } },
    { name: "ProductID", schema: { type: "int32", optional: true } },
    { name: "Quantity", schema: { type: "int32", optional: true } },
    { name: "CurrentPrice", schema: ORDERS_COLUMNS[2].schema },
    {
      name: "CreatedAt",
      schema: { type: "int64", optional: true, name: "io.debezium.time.NanoTimestamp", version: 1 },
    },
    {
      name: "UpdatedAt",
      schema: { type: "int64", optional: true, name: "io.debezium.time.NanoTimestamp", version: 1 },
    },
  ];
  const messages = Array.from({ length: MESSAGES }, (_, i) => {
    const m: FixtureMessage = {
      connector: "sqlserver",
      prefix: "server_docker",
      db: "testdb",
      schema: "dbo",
      table: "OrderItems",
      columns,
      keyColumns: ["OrderItemID"],
      op: "c",
      before: null,
      after: {
        OrderItemID: String(i),
        OrderID: String(i >> 2),
        ProductID: String(i % 60),
        Quantity: String(1 + (i % 3)),
        CurrentPrice: JSON.stringify(decimalBase64(BigInt(500 + i))),
        CreatedAt: String(1753346775537123400n + BigInt(i) * 1000n),
        UpdatedAt: String(1753346775537123400n + BigInt(i) * 1000n),
      },
      tsMs: 1753346775000 + i,
      commitLsn: `0000002b:${(0x557 + i).toString(16).padStart(8, "0")}:0005`,
      changeLsn: `0000002b:${(0x557 + i).toString(16).padStart(8, "0")}:0003`,
      eventSerialNo: 1,
    };
    return { topic: fixtureTopic(m), key: enc.encode(debeziumKey(m)), value: enc.encode(debeziumMessage(m)) };
  });
  return { name: "SQL Server order items insert, datetime2(7) beyond 2^53, schemas on", messages };
}

/** CPU seconds this process has used (user + system, all threads), from /proc/self/stat. */
function cpuSeconds(): number {
  const fields = Deno.readTextFileSync("/proc/self/stat").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

/**
 * Events per second of CPU time (median of 3 runs): on a shared machine the wall clock also counts the time
 * other processes hold the cores, the process's CPU time does not.
 */
function rate(fn: (i: number) => void): number {
  for (let i = 0; i < 20_000; i++) fn(i % MESSAGES); // warm-up
  const runs: number[] = [];
  for (let r = 0; r < 3; r++) {
    const c0 = cpuSeconds();
    for (let i = 0; i < ROUNDS; i++) fn(i % MESSAGES);
    runs.push(ROUNDS / Math.max(0.01, cpuSeconds() - c0));
  }
  return runs.sort((a, b) => a - b)[1];
}

function measure(w: Workload) {
  const td = new TextDecoder();
  const bytes = w.messages.reduce((n, m) => n + m.key.length + m.value.length, 0) / w.messages.length;
  let sink = 0;
  const limit = rate((i) => {
    const m = w.messages[i];
    sink += JSON.parse(td.decode(m.key)) === null ? 0 : 1;
    sink += JSON.parse(td.decode(m.value)) === null ? 0 : 1;
  });
  // The floor for a decoder that parses each schema once: the payload's own JSON.parse.
  const payloads = w.messages.map((m) => {
    const text = td.decode(m.value);
    const at = text.indexOf(',"payload":');
    return enc.encode(at >= 0 ? text.slice(at + 11, -1) : text);
  });
  const payloadLimit = rate((i) => {
    sink += JSON.parse(td.decode(w.messages[i].key)) === null ? 0 : 1;
    sink += JSON.parse(td.decode(payloads[i])) === null ? 0 : 1;
  });
  const decodeRate = (decoder: DebeziumDecoder) =>
    rate((i) => {
      const r = decoder.decode(w.messages[i]);
      if (r.kind !== "change") throw new Error(`Benchmark message ${i} decoded to ${r.kind}`);
      sink += r.event.after === null ? 0 : 1;
    });
  const generic = new DebeziumDecoder({ scanPayloads: false });
  const genericRate = decodeRate(generic);
  const decoder = new DebeziumDecoder();
  const ours = decodeRate(decoder);
  if (sink === 0) throw new Error("nothing decoded");
  return {
    name: w.name,
    bytes,
    limit,
    payloadLimit,
    generic: genericRate,
    genericStats: generic.stats,
    ours,
    stats: decoder.stats,
  };
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

if (import.meta.main) {
  const load = (await Deno.readTextFile("/proc/loadavg").catch(() => "? ? ?")).split(" ").slice(0, 3).join(
    " ",
  );
  const results = [pgOrders(true, false), pgOrders(true), pgOrders(false), sqlServerItems()].map(measure);
  const goal = 250_000;
  const schemasOn = results.filter((r) => !r.name.includes("schemas off"));
  const met = schemasOn.filter((r) => r.ours >= goal);
  const share = (r: (typeof results)[number]) => `${Math.round((r.stats.scanned / r.stats.decoded) * 100)}%`;
  const lines = [
    "Per core: events per second of the process's CPU time (user + system, from /proc/self/stat, so time the shared",
    "cores spent on other processes does not count), median of 3 runs of 100k messages after warm-up. Each message = Kafka key + value bytes",
    "as JsonConverter writes them. *Limit* = `TextDecoder` + `JSON.parse` of the same key and value bytes (the",
    "schema included, as a consumer that does not cache it must); *payload-only JSON.parse* = the same for the key",
    "and the payload alone; *decoder* = `DebeziumDecoder.decode()` to a ChangeEvent with exact decimals, timestamps",
    "and int64s, lake column names and the source position; *generic path* = the same decoder with the payload",
    "scanner off (`scanPayloads: false`: payload text through `JSON.parse` and the compiled converters).",
    "",
    "| workload | bytes/msg | JSON.parse limit (ev/s) | payload-only JSON.parse (ev/s) | generic path (ev/s) | decoder (ev/s) | scanned | decoder MB/s | goal 250k ev/s (schemas on) |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ...results.map((r) =>
      `| ${r.name} | ${fmt(r.bytes)} | ${fmt(r.limit)} | ${fmt(r.payloadLimit)} | ${fmt(r.generic)} | ${
        fmt(r.ours)
      } | ${share(r)} | ${(r.ours * r.bytes / 1e6).toFixed(0)} | ${
        r.name.includes("schemas off") ? "n/a" : r.ours >= goal ? "met" : "**not met**"
      } |`
    ),
    "",
    `Load average while measuring: ${load} (2 shared cores; CPU-time rates still suffer from cache and memory contention).`,
    "",
    'How the decoder reads a message with schemas on: it keeps each topic\'s `{"schema":…,"payload":` bytes and checks',
    "that a message starts with them by one native comparison (`node:buffer` compare, a memcmp; the schema is never",
    "decoded or parsed again). The payload of a change event then goes to a scanner compiled once per topic schema",
    "(`payload_scanner.ts`): it walks",
    "the bytes expecting the keys in the order JsonConverter writes them, converts row values straight from the bytes",
    "(Decimal from base64, timestamps and int64 as exact BigInts, strings built only for string fields), builds each",
    "row with lake column names in one object literal, and skips fields the decoder does not read; `source` values that",
    "repeat from message to message (connector, table, version) are recognised by their bytes together with the key",
    "after them, and not read again. Strings are built flat (one `String.fromCharCode` call, not appended pieces). Any",
    "surprise (a key out of order, whitespace, an escape or number it does not read itself) sends that message down",
    "the generic path, and a differential test (`decoder_scanner_test.ts`) checks that both paths give the same",
    "records or errors. Catalog tables take their key from the row, so the Kafka key is not parsed at all.",
    "",
    `**Goal 250k ev/s per core with schemas on: ${
      met.length === schemasOn.length
        ? "met"
        : met.length === 0
        ? "not met"
        : "met on " + met.map((r) => r.name).join("; ")
    }.** The decoder reaches ${
      schemasOn.map((r) => `${Math.round((r.ours / r.payloadLimit) * 100)}%`).join(", ")
    } of payload-only JSON.parse and ${
      schemasOn.map((r) => `${(r.ours / r.generic).toFixed(2)}×`).join(", ")
    } the generic path (schemas-on rows, in order).`,
    "",
    "What limits it (inclusive shares of a `--cpu-prof` profile of the update workload, taken once on this machine",
    "at load ≈ 3.8, so only their ratios count): of about 3.7 µs a message, ~0.4 µs goes to the prefix check over",
    "the ~3.2 kB schema and the topic's cache lookup (the memcmp reads 3.2 kB a message from memory), ~2.5 µs to the",
    "scanner over the ~1,000-byte payload, and ~0.55 µs to building the event (source position text, commit time,",
    "key, transaction id), which both paths share; that part took 1–1.5 µs before it was rewritten without regular",
    "expressions, composed cache keys, `Number#toString(16)` and BigInts for small numbers. A byte-at-a-time walk in",
    "JavaScript costs about as much as V8's native `JSON.parse` of the same payload; the scanner wins by not building",
    "the objects, strings and numbers nobody reads and by converting values in the same pass. Within it the largest",
    "items are the key and repeated-value comparisons (~14% of the message's time), number scanning (~8%) and the exact values themselves:",
    "every int64, timestamp and decimal is a BigInt (one or two per value), about 10 per insert and 20 per update.",
    "The update workload (two row images) has the least margin over 250k ev/s; on a busier machine its CPU-time rate",
    "can fall near the goal, and more would need fewer BigInts per row or the payload walk done natively.",
  ];
  const body = lines.join("\n");
  console.log(body);
  await writeSection("cdc-decode", "CDC: Debezium decoding (bench/cdc/decode.ts)", body);
}
