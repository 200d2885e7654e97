import assert from "node:assert/strict";
import { toJsonValue } from "../value/mod.ts";
import type { ChangeEvent } from "./change_event.ts";
import { DebeziumDecoder } from "./debezium_decoder.ts";
import {
  debeziumKey,
  debeziumMessage,
  decimalBase64,
  type FixtureColumn,
  type FixtureMessage,
  fixtureTopic,
  ORDERS_COLUMNS,
} from "./debezium_fixture.ts";
import type { SourceRecord } from "./source_record.ts";

const enc = new TextEncoder();

function order(id: number, over: Partial<FixtureMessage> = {}): FixtureMessage {
  return {
    connector: "postgresql",
    prefix: "lakestream",
    db: "lakestream",
    schema: "public",
    table: "orders",
    columns: ORDERS_COLUMNS,
    keyColumns: ["orderid"],
    op: "c",
    before: null,
    after: {
      orderid: String(id),
      ordernumber: JSON.stringify(`ORD-${id}`),
      totalamount: JSON.stringify(decimalBase64(1230n + BigInt(id))),
      statusid: "1",
      customerid: "7",
      createdat: "1700000000123456",
      updatedat: "1700000000123456",
    },
    tsMs: 1700000000500,
    lsn: 1000 + id,
    lastCommitLsn: 900,
    txId: 500 + id,
    ...over,
  };
}

function changeOf(r: SourceRecord): ChangeEvent {
  assert.equal(r.kind, "change");
  return (r as { event: ChangeEvent }).event;
}

function bytesMessage(m: FixtureMessage) {
  return { topic: fixtureTopic(m), key: enc.encode(debeziumKey(m)), value: enc.encode(debeziumMessage(m)) };
}

Deno.test("DebeziumDecoder maps PostgreSQL's lower-case orders columns to the catalog's snake_case names", () => {
  const e = changeOf(new DebeziumDecoder().decode(bytesMessage(order(1))));
  assert.equal(e.table, "orders");
  assert.deepEqual(toJsonValue(e.key), { order_id: 1 });
  assert.deepEqual(toJsonValue(e.after!), {
    order_id: 1,
    order_number: "ORD-1",
    total_amount: "12.31",
    status_id: 1,
    customer_id: 7,
    created_at: "2023-11-14T22:13:20.123456Z",
    updated_at: "2023-11-14T22:13:20.123456Z",
  });
  assert.equal(e.position, "0000000000000384/00000000000003e9/00000000000000000000");
  assert.equal(e.txId, "501");
  assert.equal(e.commitTs.toString(), "2023-11-14T22:13:20.500Z");
});

Deno.test("DebeziumDecoder orders PostgreSQL events sharing an LSN by Kafka offset, the same after a restart", () => {
  // Snapshot rows of different orders, all at the snapshot's LSN.
  const at = (decoder: DebeziumDecoder, offset: number) =>
    changeOf(decoder.decode({ ...bytesMessage({ ...order(offset), lsn: 1001 }), offset })).position;
  const first = new DebeziumDecoder();
  const run = [at(first, 7), at(first, 8), at(first, 9)];
  assert.deepEqual([...run].sort(), run);
  // A consumer restarted at offset 8 gives the rows it reads again the positions they had before.
  const restarted = new DebeziumDecoder();
  assert.deepEqual([at(restarted, 8), at(restarted, 9)], run.slice(1));
  assert.equal(run[0], "0000000000000384/00000000000003e9/00000000000000000007");
});

Deno.test("DebeziumDecoder maps a SQL Server topic's CamelCase columns (orderitems → order_items)", () => {
  const columns: FixtureColumn[] = [
    { name: "OrderItemID", schema: { type: "int32", optional: false } },
    { name: "CurrentPrice", schema: ORDERS_COLUMNS[2].schema },
    {
      name: "CreatedAt",
      schema: { type: "int64", optional: true, name: "io.debezium.time.NanoTimestamp", version: 1 },
    },
  ];
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
      OrderItemID: "3",
      CurrentPrice: JSON.stringify(decimalBase64(-5n)),
      CreatedAt: "1531481025340000001",
    },
    tsMs: 1531481025000,
    commitLsn: "0000002b:00000557:0005",
    changeLsn: "0000002b:00000557:0003",
    eventSerialNo: 1,
  };
  assert.equal(fixtureTopic(m), "server_docker.testdb.dbo.OrderItems");
  const d = new DebeziumDecoder({ scanPayloads: false });
  const e = changeOf(d.decode(bytesMessage(m)));
  assert.equal(e.table, "order_items");
  assert.deepEqual(toJsonValue(e.after!), {
    order_item_id: 3,
    current_price: "-0.05",
    created_at: "2018-07-13T11:23:45.340000001Z",
  });
  assert.equal(e.txId, "0000002b:00000557:0005");
  assert.equal(d.stats.quotedIntegerParses, 1, "the NanoTimestamp beyond 2^53 needed the quoted tier");
  changeOf(d.decode(bytesMessage(m)));
  assert.equal(d.stats.quotedIntegerParses, 2, "later messages of the topic start at that tier");
  const scanning = new DebeziumDecoder();
  assert.deepEqual(changeOf(scanning.decode(bytesMessage(m))), e);
  assert.deepEqual(changeOf(scanning.decode(bytesMessage(m))), e);
  assert.equal(scanning.stats.scanned, 1, "the payload scanner reads the topic's second message");
  assert.equal(d.stats.sourceTextParses, 0);
});

Deno.test("DebeziumDecoder parses a topic's schema once and recompiles when it changes", () => {
  const d = new DebeziumDecoder();
  for (let i = 1; i <= 5; i++) changeOf(d.decode(bytesMessage(order(i))));
  assert.equal(
    d.stats.schemasCompiled,
    1,
    "one value schema (orders is in the catalog: its key is read from the row)",
  );
  const wider = order(6, {
    columns: [...ORDERS_COLUMNS, { name: "note", schema: { type: "string", optional: true } }],
  });
  wider.after!.note = '"gift"';
  const e = changeOf(d.decode(bytesMessage(wider)));
  assert.equal(e.after!.note, "gift");
  assert.equal(d.stats.schemasCompiled, 2);
  assert.equal(changeOf(d.decode(bytesMessage(order(7)))).after!.order_id, 7);
});

Deno.test("DebeziumDecoder decodes the same message from bytes, text, and pretty-printed text alike", () => {
  const m = order(9);
  const value = debeziumMessage(m);
  const pretty = JSON.stringify(JSON.parse(value), null, 2);
  const d = new DebeziumDecoder();
  const fromBytes = changeOf(d.decode(bytesMessage(m)));
  const fromText = changeOf(d.decode({ topic: fixtureTopic(m), key: debeziumKey(m), value }));
  const fromPretty = changeOf(
    new DebeziumDecoder().decode({ topic: null, key: debeziumKey(m), value: pretty }),
  );
  assert.deepEqual(toJsonValue(fromText.after!), toJsonValue(fromBytes.after!));
  assert.deepEqual(toJsonValue(fromPretty.after!), toJsonValue(fromBytes.after!));
  assert.equal(fromPretty.position, fromBytes.position);
});

Deno.test("DebeziumDecoder takes the key from the catalog when a message has none", () => {
  const m = order(4, { schemas: false });
  const e = changeOf(new DebeziumDecoder().decode({ topic: null, key: null, value: debeziumMessage(m) }));
  assert.deepEqual(toJsonValue(e.key), { order_id: 4 });
  assert.equal(String(e.after!.total_amount), "12.34", "schemaless Decimal read at the catalog's scale");
  assert.equal(String(e.after!.created_at), "2023-11-14T22:13:20.123456Z", "epoch µs told by magnitude");
});

Deno.test("DebeziumDecoder rejects a change without key of a table outside the catalog", () => {
  const m = order(4, { table: "unknown_table", schemas: false });
  assert.throws(
    () => new DebeziumDecoder().decode({ key: null, value: debeziumMessage(m) }),
    /Cannot decode change of "unknown_table": missing key/,
  );
});

Deno.test("DebeziumDecoder decodes a tombstone to the key it deletes", () => {
  const m = order(5, { op: "d", before: order(5).after, after: null });
  const r = new DebeziumDecoder().decode({ topic: fixtureTopic(m), key: debeziumKey(m), value: null });
  assert.deepEqual(r.kind === "tombstone" && { table: r.table, key: toJsonValue(r.key!) }, {
    table: "orders",
    key: { order_id: 5 },
  });
});

Deno.test("DebeziumDecoder decodes heartbeats, truncates and logical decoding messages", () => {
  const d = new DebeziumDecoder();
  const hb = d.decode({
    topic: "__debezium-heartbeat.lakestream",
    key: '{"serverName":"lakestream"}',
    value: '{"ts_ms":1700000000000}',
  });
  assert.deepEqual(hb.kind === "heartbeat" && hb.ts?.toString(), "2023-11-14T22:13:20.000Z");
  const source = '{"connector":"postgresql","ts_ms":1,"table":"orders","lsn":46523128,"txId":556}';
  const t = d.decode({ key: null, value: `{"source":${source},"op":"t","ts_ms":2}` });
  assert.deepEqual(t.kind === "truncate" && [t.table, t.txId], ["orders", "556"]);
  const msg = d.decode({
    key: null,
    value:
      '{"source":{"connector":"postgresql","ts_ms":1,"table":""},"op":"m","message":{"prefix":"foo","content":"Ymfy"}}',
  });
  assert.deepEqual(msg.kind === "message" && [msg.prefix, [...msg.content!]], ["foo", [98, 103, 242]]);
});

Deno.test("DebeziumDecoder reports bad input with errors that name the problem", () => {
  const d = new DebeziumDecoder();
  const m = order(1);
  assert.throws(() => d.decode({ key: null, value: "{not json" }), SyntaxError);
  assert.throws(() => d.decode({ key: null, value: new Uint8Array([0x7b, 0xff, 0x7d]) }), /not valid UTF-8/);
  assert.throws(
    () => d.decode({ key: debeziumKey(m), value: debeziumMessage(m).replace('"op":"c"', '"op":"x"') }),
    /unknown operation "x"/,
  );
  assert.throws(
    () =>
      d.decode({
        key: debeziumKey(m),
        value: debeziumMessage(m).replace('"statusid":1', '"statusid":"one"'),
      }),
    /Cannot decode "after.statusid": expected an integer between/,
  );
  assert.throws(
    () => d.decode({ key: debeziumKey(m), value: debeziumMessage({ ...m, after: null }) }),
    /a "c" event needs an after image/,
  );
  assert.throws(() => d.decode({ key: null, value: '{"hello":1}' }), /not a Debezium change/);
  assert.throws(() => d.decode({ key: null, value: "[]" }), /expected an object, got an array/);
});

Deno.test("DebeziumDecoder keeps bigint keys near 2^63 exact", () => {
  const columns: FixtureColumn[] = [
    { name: "id", schema: { type: "int64", optional: false } },
    { name: "big", schema: { type: "int64", optional: true } },
  ];
  const m = order(1, {
    table: "bigs",
    columns,
    keyColumns: ["id"],
    after: { id: "9223372036854775807", big: "-9223372036854775808" },
  });
  const d = new DebeziumDecoder();
  const e = changeOf(d.decode(bytesMessage(m)));
  assert.equal(e.key.id, 9223372036854775807n);
  assert.equal(e.after!.big, -9223372036854775808n);
  assert.deepEqual(toJsonValue(e.after!), { id: "9223372036854775807", big: "-9223372036854775808" });
});

Deno.test("DebeziumDecoder flags every snapshot marker as a snapshot row", () => {
  const d = new DebeziumDecoder();
  for (
    const snapshot of [
      "first",
      "first_in_data_collection",
      "true",
      "last_in_data_collection",
      "last",
      "incremental",
    ]
  ) {
    assert.equal(changeOf(d.decode(bytesMessage(order(1, { op: "r", snapshot })))).snapshot, true, snapshot);
  }
  assert.equal(changeOf(d.decode(bytesMessage(order(1, { snapshot: "false" })))).snapshot, false);
});

Deno.test("DebeziumDecoder reads MySQL source blocks: binlog position and GTID", () => {
  const source = (pos: number, row: number) =>
    `{"version":"2.7.0.Final","connector":"mysql","name":"shop","ts_ms":1700000000000,"snapshot":"false",` +
    `"db":"inventory","sequence":null,"table":"customers","server_id":223344,` +
    `"gtid":"3E11FA47-71CA-11E1-9E33-C80AA9429562:23","file":"mysql-bin.000003","pos":${pos},"row":${row},` +
    `"thread":7,"query":null}`;
  const value = (pos: number, row: number, id: number) =>
    `{"before":null,"after":{"id":${id},"name":"x"},"source":${
      source(pos, row)
    },"op":"c","ts_ms":1700000000001}`;
  const d = new DebeziumDecoder({ tables: [] });
  const a = changeOf(
    d.decode({ topic: "shop.inventory.customers", key: '{"id":1}', value: value(154, 0, 1) }),
  );
  const b = changeOf(
    d.decode({ topic: "shop.inventory.customers", key: '{"id":2}', value: value(154, 1, 2) }),
  );
  const c = changeOf(
    d.decode({ topic: "shop.inventory.customers", key: '{"id":3}', value: value(1000, 0, 3) }),
  );
  assert.equal(a.position, "mysql-bin.000003/00000000000000000154/0000000000");
  assert.ok(a.position < b.position && b.position < c.position);
  assert.equal(a.txId, "3E11FA47-71CA-11E1-9E33-C80AA9429562:23");
});

Deno.test("DebeziumDecoder reads the last commit LSN from PostgreSQL's sequence text and rejects other forms", () => {
  const withSequence = (id: number, sequence: string) => {
    const m = bytesMessage(order(id));
    const text = new TextDecoder().decode(m.value);
    const field = /"sequence":"(?:[^"\\]|\\.)*"/; // the JSON string holding the sequence's JSON text
    assert.match(text, field);
    const changed = text.replace(field, `"sequence":${JSON.stringify(sequence)}`);
    return { ...m, value: enc.encode(changed) };
  };
  for (const scanPayloads of [true, false]) {
    const d = new DebeziumDecoder({ scanPayloads });
    const position = (id: number, sequence: string) =>
      changeOf(d.decode(withSequence(id, sequence))).position;
    assert.equal(position(1, '["3000","1001"]'), "0000000000000bb8/00000000000003e9/00000000000000000000");
    assert.equal(position(2, '[null,"1002"]'), "0000000000000000/00000000000003ea/00000000000000000000");
    assert.equal(position(3, "[null,null]"), "0000000000000000/00000000000003eb/00000000000000000000");
    // Beyond 15 digits the LSN is read as a BigInt, still exact.
    assert.equal(
      position(4, '["18446744073709551615","1004"]'),
      "ffffffffffffffff/00000000000003ec/00000000000000000000",
    );
    for (
      const bad of ['["3000",1001]', '["","1"]', '["30 0","1"]', '["3000","1"] ', "[null]", '["1","2","3"]']
    ) {
      assert.throws(
        () => d.decode(withSequence(5, bad)),
        (e: Error) =>
          e instanceof TypeError && e.message.includes('"payload.source.sequence"') &&
          e.message.includes("LSN"),
        bad,
      );
    }
  }
});
