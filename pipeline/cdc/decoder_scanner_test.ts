/**
 * Differential tests of the decoder's payload scanner: every message goes through a decoder with the scanner and
 * one without, in the same order, and both must give deeply equal records or the same error. Samples, fixtures
 * of every column type, and a seeded set of payload mutations.
 */
import assert from "node:assert/strict";
import { DebeziumDecoder, type DebeziumMessage } from "./debezium_decoder.ts";
import {
  debeziumKey,
  debeziumMessage,
  decimalBase64,
  type FixtureColumn,
  type FixtureMessage,
  fixtureTopic,
  ORDERS_COLUMNS,
} from "./debezium_fixture.ts";
import { corpus, mutateStructure, mutateText, NASTY, prng, type Seed } from "./fuzz_corpus.ts";

const MUTATIONS = 40_000;
const enc = new TextEncoder();

type Outcome = { record: unknown } | { error: string };

function outcome(d: DebeziumDecoder, m: DebeziumMessage): Outcome {
  try {
    return { record: d.decode(m) };
  } catch (e) {
    return { error: `${(e as Error).name}: ${(e as Error).message}` };
  }
}

/** A scanning and a generic decoder fed the same messages. */
class Pair {
  readonly scanning = new DebeziumDecoder();
  readonly generic = new DebeziumDecoder({ scanPayloads: false });

  check(m: DebeziumMessage, label: string): Outcome {
    const fast = outcome(this.scanning, m);
    const slow = outcome(this.generic, m);
    assert.deepStrictEqual(fast, slow, label);
    return slow;
  }
}

const opt = (schema: FixtureColumn["schema"]) => ({ ...schema, optional: true });

/** One column of every type the converters know, plus defaults, nested structs, arrays and maps. */
const RICH_COLUMNS: FixtureColumn[] = [
  { name: "ID", schema: { type: "int64", optional: false } },
  { name: "Tiny", schema: opt({ type: "int8" }) },
  { name: "Small", schema: opt({ type: "int16" }) },
  { name: "Int", schema: opt({ type: "int32" }) },
  { name: "WithDefault", schema: { type: "int32", optional: true, default: 7 } },
  { name: "Big", schema: opt({ type: "int64" }) },
  { name: "Real", schema: opt({ type: "float32" }) },
  { name: "Dbl", schema: opt({ type: "float64" }) },
  { name: "Flag", schema: opt({ type: "boolean" }) },
  { name: "Name", schema: opt({ type: "string" }) },
  { name: "Blob", schema: opt({ type: "bytes" }) },
  { name: "Price", schema: ORDERS_COLUMNS[2].schema },
  {
    name: "Wide",
    schema: opt({
      type: "bytes",
      name: "org.apache.kafka.connect.data.Decimal",
      parameters: { scale: "4", "connect.decimal.precision": "38" },
    }),
  },
  {
    name: "Var",
    schema: opt({
      type: "struct",
      name: "io.debezium.data.VariableScaleDecimal",
      fields: [{ type: "int32", optional: false, field: "scale" }, {
        type: "bytes",
        optional: false,
        field: "value",
      }],
    }),
  },
  { name: "Day", schema: opt({ type: "int32", name: "io.debezium.time.Date" }) },
  { name: "Ms", schema: opt({ type: "int32", name: "io.debezium.time.Time" }) },
  { name: "Us", schema: opt({ type: "int64", name: "io.debezium.time.MicroTime" }) },
  { name: "Ns", schema: opt({ type: "int64", name: "io.debezium.time.NanoTime" }) },
  { name: "TsMs", schema: opt({ type: "int64", name: "io.debezium.time.Timestamp" }) },
  { name: "TsUs", schema: opt({ type: "int64", name: "io.debezium.time.MicroTimestamp" }) },
  { name: "TsNs", schema: opt({ type: "int64", name: "io.debezium.time.NanoTimestamp" }) },
  { name: "Zoned", schema: opt({ type: "string", name: "io.debezium.time.ZonedTimestamp" }) },
  { name: "Uid", schema: opt({ type: "string", name: "io.debezium.data.Uuid" }) },
  { name: "Doc", schema: opt({ type: "string", name: "io.debezium.data.Json" }) },
  {
    name: "Kind",
    schema: opt({ type: "string", name: "io.debezium.data.Enum", parameters: { allowed: "a,b" } }),
  },
  { name: "Tags", schema: opt({ type: "array", items: { type: "string", optional: true } }) },
  {
    name: "Attrs",
    schema: opt({ type: "map", keys: { type: "string" }, values: { type: "int64", optional: true } }),
  },
  {
    name: "Inner",
    schema: opt({
      type: "struct",
      name: "inner",
      fields: [{ type: "int32", optional: true, field: "a" }, { type: "string", optional: true, field: "b" }],
    }),
  },
];

function pick<T>(rnd: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rnd() * xs.length)];
}

const STRINGS = [
  '"plain"',
  '""',
  '"tab\\there"',
  '"quote \\" and \\\\"',
  '"caf\u00e9 \u4e2d"',
  '"\\ud83d\\ude00"',
  '"\\u00e9\\/"',
];
const INT64S = [
  "0",
  "-0",
  "1",
  "-1",
  "9007199254740991",
  "9007199254740993",
  "-9007199254740993",
  "9223372036854775807",
  "-9223372036854775808",
  "1700000000123456",
];

/** A row of RICH_COLUMNS as JSON texts, with nulls and edge values. */
function richRow(rnd: () => number, id: number): Record<string, string> {
  const maybe = (v: string) => (rnd() < 0.1 ? "null" : v);
  const int = (max: number) => String(Math.floor(rnd() * max * 2) - max);
  return {
    ID: String(id),
    Tiny: maybe(int(128)),
    Small: maybe(int(32768)),
    Int: maybe(pick(rnd, ["0", "-0", "2147483647", "-2147483648", int(1e9)])),
    WithDefault: rnd() < 0.5 ? "null" : int(100),
    Big: maybe(pick(rnd, INT64S)),
    Real: maybe(pick(rnd, ["1.5", "0", "-2.25e-3", '"NaN"', '"Infinity"'])),
    Dbl: maybe(
      pick(rnd, ["0.1", "3.141592653589793", "1e300", "-0.0", "12345678901234567890", '"-Infinity"']),
    ),
    Flag: maybe(pick(rnd, ["true", "false"])),
    Name: maybe(pick(rnd, STRINGS)),
    Blob: maybe(pick(rnd, ['"AQID"', '""', '"/w=="', '"AQ"'])),
    Price: maybe(JSON.stringify(decimalBase64(BigInt(Math.floor(rnd() * 2e6) - 1e6)))),
    Wide: maybe(JSON.stringify(decimalBase64(pick(rnd, [0n, -1n, 10n ** 30n, -(10n ** 25n) + 7n, 255n])))),
    Var: maybe(
      `{"scale":${Math.floor(rnd() * 5)},"value":${JSON.stringify(decimalBase64(BigInt(int(1e6))))}}`,
    ),
    Day: maybe(int(30000)),
    Ms: maybe(String(Math.floor(rnd() * 86_400_000))),
    Us: maybe(String(Math.floor(rnd() * 86_400_000_000))),
    Ns: maybe(pick(rnd, ["0", "86399999999999", "37425678901200"])),
    TsMs: maybe(pick(rnd, ["1700000000123", "-1", "0"])),
    TsUs: maybe(pick(rnd, ["1700000000123456", "-1700000000123456", "1"])),
    TsNs: maybe(pick(rnd, ["1531481025340000001", "-9223372036854775808", "1"])),
    Zoned: maybe(pick(rnd, ['"2018-07-13T12:23:45.456+11:00"', '"2024-01-02T03:04:05Z"'])),
    Uid: maybe('"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"'),
    Doc: maybe('"{\\"a\\":[1,2]}"'),
    Kind: maybe(pick(rnd, ['"a"', '"b"'])),
    Tags: maybe(pick(rnd, ["[]", '["x",null,"y"]'])),
    Attrs: maybe(pick(rnd, ["{}", '{"k":1,"2":9223372036854775807,"j":null}'])),
    Inner: maybe(pick(rnd, ['{"a":1,"b":"x"}', '{"a":null,"b":null}'])),
  };
}

function richMessage(rnd: () => number, i: number, connector: "postgresql" | "sqlserver"): FixtureMessage {
  const op = pick(rnd, ["c", "u", "d", "r"] as const);
  const row = richRow(rnd, i);
  return {
    connector,
    prefix: connector === "postgresql" ? "lakestream" : "server_docker",
    db: "testdb",
    schema: connector === "postgresql" ? "public" : "dbo",
    table: "Things",
    columns: RICH_COLUMNS,
    keyColumns: ["ID"],
    op,
    before: op === "c" || op === "r" ? null : { ...row, Name: '"before"' },
    after: op === "d" ? null : row,
    tsMs: 1700000000000 + i,
    lsn: 10_000 + (i >> 1) * 8,
    lastCommitLsn: 9_000 + (i >> 2),
    txId: 700 + (i >> 3),
    commitLsn: `0000002b:${(0x500 + (i >> 1)).toString(16).padStart(8, "0")}:0005`,
    changeLsn: `0000002b:${(0x500 + i).toString(16).padStart(8, "0")}:0003`,
    eventSerialNo: 1 + (i % 2),
    snapshot: op === "r" ? "true" : "false",
  };
}

function bytesMessage(m: FixtureMessage, offset?: number): DebeziumMessage {
  return {
    topic: fixtureTopic(m),
    key: enc.encode(debeziumKey(m)),
    value: enc.encode(debeziumMessage(m)),
    offset,
  };
}

Deno.test("DebeziumDecoder's payload scanner gives the generic path's records for every sample", () => {
  const pair = new Pair();
  let n = 0;
  for (const seed of corpus()) {
    let topic = seed.topic ?? "samples.public.unknown";
    try {
      const table = JSON.parse(seed.value)?.payload?.source?.table;
      if (typeof table === "string") topic = `samples.public.${table}`;
    } catch {
      // not JSON: the default topic
    }
    // The first message of a topic caches its schema; the next ones take the fast path.
    for (let i = 0; i < 3; i++) {
      pair.check({ topic, key: seed.key, value: enc.encode(seed.value) }, `sample ${n}, round ${i}`);
    }
    n++;
  }
  assert.ok(pair.scanning.stats.scanned > 0, "some samples were scanned");
});

Deno.test("DebeziumDecoder's payload scanner gives the generic path's records for every column type", () => {
  const rnd = prng(4242);
  const pair = new Pair();
  for (let i = 0; i < 3000; i++) {
    const m = richMessage(rnd, i, i % 3 === 0 ? "sqlserver" : "postgresql");
    pair.check(bytesMessage(m, rnd() < 0.5 ? i : undefined), `rich message ${i}`);
  }
  const { scanned, decoded } = pair.scanning.stats;
  assert.ok(scanned > decoded / 4, `only ${scanned} of ${decoded} scanned`);
});

Deno.test(`DebeziumDecoder's payload scanner agrees with the generic path on ${MUTATIONS} mutated payloads`, () => {
  const rnd = prng(777);
  const seeds: Seed[] = corpus().filter((s) => s.topic !== null && s.value.startsWith('{"schema":'));
  for (let i = 0; i < 40; i++) {
    const m = richMessage(rnd, i, i % 2 === 0 ? "sqlserver" : "postgresql");
    seeds.push({ topic: fixtureTopic(m), key: debeziumKey(m), value: debeziumMessage(m) });
  }
  const pair = new Pair();
  let errors = 0;
  for (let i = 0; i < MUTATIONS; i++) {
    const seed = pick(rnd, seeds);
    const at = seed.value.indexOf(',"payload":') + 11;
    const head = seed.value.slice(0, at);
    const payload = seed.value.slice(at, -1);
    let mutated: string;
    const kind = rnd();
    if (kind < 0.15) {
      mutated = payload; // unchanged: keeps the topic's schema cached and the scanner warm
    } else if (kind < 0.6) {
      mutated = mutateText(payload, rnd);
    } else if (kind < 0.9) {
      mutated = JSON.stringify(mutateStructure(JSON.parse(payload), rnd));
    } else {
      // A token from the nasty list in place of a whole value.
      const values = [...payload.matchAll(/:(-?\d+|"(?:[^"\\]|\\.)*"|null|true|false)/g)];
      const v = pick(rnd, values);
      mutated = payload.slice(0, v.index! + 1) + pick(rnd, NASTY) + payload.slice(v.index! + v[0].length);
    }
    const value = enc.encode(head + mutated + (rnd() < 0.02 ? " }" : "}"));
    const key = rnd() < 0.05 ? mutateText(seed.key ?? "null", rnd) : seed.key;
    const out = pair.check(
      { topic: seed.topic, key, value, offset: rnd() < 0.5 ? i : undefined },
      `mutation ${i}`,
    );
    if ("error" in out) errors++;
  }
  const { scanned } = pair.scanning.stats;
  assert.ok(scanned > MUTATIONS / 10, `only ${scanned} scanned`);
  assert.ok(errors > MUTATIONS / 10, `only ${errors} errors: the mutations hardly reach the checks`);
});
