import assert from "node:assert/strict";
import { DebeziumDecoder } from "../debezium_decoder.ts";
import {
  debeziumKey,
  debeziumMessage,
  type FixtureMessage,
  fixtureTopic,
  ORDERS_COLUMNS,
} from "../debezium_fixture.ts";
import { decodeLines, lineMessage, readLines } from "./decode_lines.ts";

const ORDER: FixtureMessage = {
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
    orderid: "42",
    ordernumber: '"ORD-000042"',
    totalamount: '"MDk="',
    statusid: "2",
    customerid: "7",
    createdat: "1700000000123456",
    updatedat: "1700000001000000",
  },
  tsMs: 1700000001000,
  lsn: 5000,
  lastCommitLsn: 4000,
  txId: 77,
};

async function run(lines: string[]): Promise<unknown[]> {
  const stream = ReadableStream.from([new TextEncoder().encode(lines.join("\r\n") + "\n")]);
  const out = await Array.fromAsync(decodeLines(new DebeziumDecoder(), readLines(stream)));
  return out.map((l) => JSON.parse(l));
}

Deno.test("decodeLines() prints changes in the lake's value encoding, in the issue's field order", async () => {
  const wrapper = JSON.stringify({
    topic: fixtureTopic(ORDER),
    key: JSON.parse(debeziumKey(ORDER)),
    value: null,
  })
    .replace('"value":null', `"value":${debeziumMessage(ORDER)}`);
  const [out] = await run([wrapper]);
  assert.deepEqual(out, {
    table: "orders",
    op: "u",
    key: { order_id: 42 },
    before: null,
    after: {
      order_id: 42,
      order_number: "ORD-000042",
      total_amount: "123.45",
      status_id: 2,
      customer_id: 7,
      created_at: "2023-11-14T22:13:20.123456Z",
      updated_at: "2023-11-14T22:13:21.000000Z",
    },
    position: "0000000000000fa0/0000000000001388/00000000000000000000",
    commit_ts: "2023-11-14T22:13:21.000Z",
    snapshot: false,
  });
  assert.deepEqual(Object.keys(out as object), [
    "table",
    "op",
    "key",
    "before",
    "after",
    "position",
    "commit_ts",
    "snapshot",
  ]);
});

Deno.test("decodeLines() reports bad lines with their number and goes on", async () => {
  const out = await run([
    "not json",
    "",
    debeziumMessage({ ...ORDER, schemas: false }),
    '{"topic":"lakestream.public.orders","key":{"orderid":42},"value":null}',
  ]);
  assert.deepEqual(out[0], {
    error: `SyntaxError: Unexpected token 'o', "not json" is not valid JSON`,
    line: 1,
  });
  assert.equal((out[1] as { op: string }).op, "u", "the blank line 2 is skipped, line 3 decodes");
  assert.deepEqual(out[2], { kind: "tombstone", table: "orders", key: { order_id: 42 } });
});

Deno.test("lineMessage() keeps long numbers of wrapped keys and values exact", () => {
  const m = lineMessage(
    '{"topic":"t.s.big","key":{"id":9223372036854775807},"value":{"n":12345678901234567890.5}}',
  );
  assert.equal(m.topic, "t.s.big");
  assert.equal(m.key, '{"id":9223372036854775807}');
  assert.equal(m.value, '{"n":12345678901234567890.5}');
  const bare = lineMessage('{"before":null,"after":{"value":1}}');
  assert.equal(bare.value, '{"before":null,"after":{"value":1}}', "a bare value with a column named value");
});

Deno.test("cdc CLI exits 2 on usage errors and 1 when the file cannot be read", async () => {
  const main = new URL("./main.ts", import.meta.url).pathname;
  const run = async (...args: string[]) => {
    const r = await new Deno.Command(Deno.execPath(), { args: ["run", "-A", main, ...args], stdin: "null" })
      .output();
    return { code: r.code, err: new TextDecoder().decode(r.stderr).trim() };
  };
  assert.deepEqual(await run("decode", "--bogus"), {
    code: 2,
    err: 'cdc: unknown argument "--bogus". Usage: deno task cdc decode [--file F]',
  });
  assert.equal((await run()).code, 2);
  const missing = await run("decode", "--file", "/nonexistent/input.jsonl");
  assert.equal(missing.code, 1);
  assert.match(missing.err, /^cdc: Cannot read "\/nonexistent\/input.jsonl"/);
  const sample = new URL(
    "../../../../shared/debezium-samples/pg-1.0.1-snapshot-last-decimal.schemas.value.json",
    import.meta.url,
  );
  const tmp = await Deno.makeTempFile();
  try {
    // Pretty-printed samples span lines; the CLI reads one message per line.
    const value = JSON.parse(await Deno.readTextFile(sample));
    const line = { topic: "Generic-test-dvd.public.payment", key: { payment_id: 32098 }, value };
    await Deno.writeTextFile(tmp, JSON.stringify(line) + "\n");
    const r = await new Deno.Command(Deno.execPath(), { args: ["run", "-A", main, "decode", "--file", tmp] })
      .output();
    assert.equal(r.code, 0);
    const out = JSON.parse(new TextDecoder().decode(r.stdout));
    assert.equal(out.after.amount, "2.99");
  } finally {
    await Deno.remove(tmp);
  }
});

Deno.test("decodeLines() prints a null key for a bare value of a table outside the catalog", async () => {
  const line = '{"before":null,"after":{"id":9,"name":"jjj"},"source":{"connector":"sqlserver","ts_ms":1,' +
    '"table":"cdc_test","commit_lsn":"0000002b:000002e3:0003","change_lsn":"0000002b:000002e3:0002",' +
    '"event_serial_no":1},"op":"c"}';
  const out = await Array.fromAsync(
    decodeLines(
      new DebeziumDecoder({ requireKey: false }),
      (async function* () {
        yield line;
      })(),
    ),
  );
  const e = JSON.parse(out[0]);
  assert.equal(e.key, null);
  assert.deepEqual(e.after, { id: 9, name: "jjj" });
  assert.throws(() => new DebeziumDecoder().decode({ key: null, value: line }), /missing key/);
});
