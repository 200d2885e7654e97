/**
 * Generators of mutated and random Debezium messages for the decoder's fuzz and differential tests: seeded, so a
 * failure names a message that can be made again.
 *
 * @module
 */
import {
  debeziumKey,
  debeziumMessage,
  decimalBase64,
  type FixtureColumn,
  type FixtureMessage,
  fixtureTopic,
  ORDERS_COLUMNS,
} from "./debezium_fixture.ts";

const SAMPLES = new URL("../../../shared/debezium-samples/", import.meta.url);

/** A seeded random source in [0, 1) (mulberry32: small and fast). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One seed message. */
export interface Seed {
  topic: string | null;
  key: string | null;
  value: string;
}

/** Seed messages: every sample file's values (topic null) and fixture messages with schemas on and off. */
export function corpus(): Seed[] {
  const seeds: Seed[] = [];
  for (const e of Deno.readDirSync(SAMPLES)) {
    if (!e.isFile || e.name === "README.md" || e.name === "manifest.json") continue;
    const text = Deno.readTextFileSync(new URL(e.name, SAMPLES));
    const lines = e.name.endsWith(".jsonl") ? text.split("\n").filter((l) => l) : [text];
    for (const value of lines) seeds.push({ topic: null, key: '{"id":1}', value });
  }
  const nano: FixtureColumn[] = [
    { name: "ID", schema: { type: "int64", optional: false } },
    { name: "Price", schema: ORDERS_COLUMNS[2].schema },
    { name: "CreatedAt", schema: { type: "int64", optional: true, name: "io.debezium.time.NanoTimestamp" } },
    { name: "Day", schema: { type: "int32", optional: true, name: "io.debezium.time.Date" } },
    { name: "At", schema: { type: "int64", optional: true, name: "io.debezium.time.NanoTime" } },
    { name: "Zoned", schema: { type: "string", optional: true, name: "io.debezium.time.ZonedTimestamp" } },
    { name: "Tags", schema: { type: "array", optional: true, items: { type: "string", optional: true } } },
    { name: "Blob", schema: { type: "bytes", optional: true } },
  ];
  const fixtures: FixtureMessage[] = [
    {
      connector: "postgresql",
      prefix: "lakestream",
      db: "lakestream",
      schema: "public",
      table: "orders",
      columns: ORDERS_COLUMNS,
      keyColumns: ["orderid"],
      op: "u",
      before: null,
      after: {
        orderid: "1",
        ordernumber: '"ORD-1"',
        totalamount: JSON.stringify(decimalBase64(-12345n)),
        statusid: "1",
        customerid: "null",
        createdat: "1700000000123456",
        updatedat: "1700000000123456",
      },
      tsMs: 1700000000000,
      lsn: 99,
      lastCommitLsn: 98,
      txId: 5,
    },
    {
      connector: "sqlserver",
      prefix: "server_docker",
      db: "testdb",
      schema: "dbo",
      table: "Things",
      columns: nano,
      keyColumns: ["ID"],
      op: "c",
      before: null,
      after: {
        ID: "9223372036854775807",
        Price: JSON.stringify(decimalBase64(10n ** 17n)),
        CreatedAt: "1531481025340000001",
        Day: "17725",
        At: "37425678901200",
        Zoned: '"2018-07-13T12:23:45.456+11:00"',
        Tags: '["a",null]',
        Blob: '"AQID"',
      },
      tsMs: 1531481025000,
      commitLsn: "0000002b:00000557:0005",
      changeLsn: "0000002b:00000557:0003",
      eventSerialNo: 1,
    },
  ];
  for (const f of fixtures) {
    for (const schemas of [true, false]) {
      const m = { ...f, schemas };
      seeds.push({ topic: fixtureTopic(m), key: debeziumKey(m), value: debeziumMessage(m) });
    }
  }
  seeds.push({
    topic: "__debezium-heartbeat.lakestream",
    key: '{"serverName":"lakestream"}',
    value: '{"ts_ms":1}',
  });
  return seeds;
}

/** JSON tokens that break assumptions: numbers beyond int64 and 2^53, odd strings, wrong kinds. */
export const NASTY = [
  "null",
  "true",
  "-1",
  "0",
  "1e308",
  "-0.0",
  "9223372036854775808",
  "-9223372036854775809",
  "123456789012345678901234567890",
  '"~123"',
  '"~99999999999999999999"',
  '"NaN"',
  '""',
  '"\\u0000"',
  '"2018-13-45T99:99:99Z"',
  '"A"',
  "[]",
  "{}",
  '[[1,"x"]]',
  '{"scale":2,"value":"AQ=="}',
  '{"scale":-1,"value":"AQ=="}',
  "1.5",
  '"c"',
  '"t"',
  '"zz"',
];

/** `text` with one random edit: a flipped, deleted, duplicated or inserted run, a cut, a replaced token. */
export function mutateText(text: string, rnd: () => number): string {
  const n = text.length;
  const at = Math.floor(rnd() * (n + 1));
  switch (Math.floor(rnd() * 7)) {
    case 0: // flip a character
      return text.slice(0, at) + String.fromCharCode(Math.floor(rnd() * 128)) + text.slice(at + 1);
    case 1: // delete a range
      return text.slice(0, at) + text.slice(Math.min(n, at + 1 + Math.floor(rnd() * 40)));
    case 2: { // duplicate a range
      const len = Math.floor(rnd() * 60);
      return text.slice(0, at) + text.slice(at, at + len) + text.slice(at);
    }
    case 3: // truncate
      return text.slice(0, at);
    case 4: { // replace a number token
      const nums = [...text.matchAll(/-?\d+(\.\d+)?/g)];
      if (nums.length === 0) return text;
      const m = nums[Math.floor(rnd() * nums.length)];
      return text.slice(0, m.index) + NASTY[Math.floor(rnd() * NASTY.length)] +
        text.slice(m.index! + m[0].length);
    }
    case 5: { // replace a string token
      const strs = [...text.matchAll(/"(?:[^"\\]|\\.)*"/g)];
      if (strs.length === 0) return text;
      const m = strs[Math.floor(rnd() * strs.length)];
      return text.slice(0, m.index) + NASTY[Math.floor(rnd() * NASTY.length)] +
        text.slice(m.index! + m[0].length);
    }
    default: // insert random bytes
      return text.slice(0, at) +
        Array.from({ length: 1 + Math.floor(rnd() * 8) }, () => String.fromCharCode(Math.floor(rnd() * 256)))
          .join("") +
        text.slice(at);
  }
}

/** Replaces, removes or retypes one node of the parsed message: reaches deep paths that text edits rarely do. */
export function mutateStructure(value: unknown, rnd: () => number): unknown {
  const nodes: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach((c, i) => (nodes.push({ parent: v, key: i }), walk(c)));
    else if (v !== null && typeof v === "object") {
      for (const [k, c] of Object.entries(v)) {
        nodes.push({ parent: v as Record<string, unknown>, key: k }), walk(c);
      }
    }
  };
  walk(value);
  if (nodes.length === 0) return value;
  const { parent, key } = nodes[Math.floor(rnd() * nodes.length)];
  const r = rnd();
  if (r < 0.3 && !Array.isArray(parent)) delete parent[key as string];
  else {(parent as Record<string | number, unknown>)[key] = JSON.parse(
      NASTY[Math.floor(rnd() * NASTY.length)],
    );}
  return value;
}

/** Up to 64 random bytes. */
export function randomBytes(rnd: () => number): Uint8Array {
  return Uint8Array.from({ length: Math.floor(rnd() * 64) }, () => Math.floor(rnd() * 256));
}
