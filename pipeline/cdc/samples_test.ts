/**
 * Every real Debezium sample in ../shared/debezium-samples decodes to the values its README (and debezium.md §B)
 * gives. The samples are message values only; where Debezium would also have sent a Kafka key, the test passes
 * the key the connector derives from the table's primary key.
 */
import assert from "node:assert/strict";
import type { TableDef } from "../catalog/mod.ts";
import { type JsonValue, toJsonValue } from "../value/mod.ts";
import type { ChangeEvent } from "./change_event.ts";
import { DebeziumDecoder } from "./debezium_decoder.ts";
import { postgresPosition, sqlServerPosition } from "./source_position.ts";
import type { SourceRecord } from "./source_record.ts";

const SAMPLES = new URL("../../../shared/debezium-samples/", import.meta.url);

function sampleText(name: string): string {
  return Deno.readTextFileSync(new URL(name, SAMPLES));
}

function sampleLines(name: string): string[] {
  return sampleText(name).split("\n").filter((l) => l.trim() !== "");
}

/** Decodes with no catalog: the samples come from other databases whose tables merely share names with ours. */
function decode(
  value: string,
  key: JsonValue | null,
  topic: string | null = null,
  tables: TableDef[] = [],
): SourceRecord {
  return new DebeziumDecoder({ tables }).decode({
    topic,
    key: key === null ? null : JSON.stringify(key),
    value,
  });
}

function change(record: SourceRecord): ChangeEvent {
  assert.equal(record.kind, "change");
  return (record as { event: ChangeEvent }).event;
}

/** The event in the lake's JSON value encoding, as `cdc decode` prints it. */
function lake(e: ChangeEvent): Record<string, JsonValue> {
  return {
    table: e.table,
    op: e.op,
    key: toJsonValue(e.key),
    before: e.before === null ? null : toJsonValue(e.before),
    after: e.after === null ? null : toJsonValue(e.after),
    position: e.position,
    commit_ts: e.commitTs.toString(),
    tx_id: e.txId,
    snapshot: e.snapshot,
  };
}

Deno.test("sample mssql-2.4.1-create.schemas.value.json decodes a create with schemas on", () => {
  const e = change(decode(sampleText("mssql-2.4.1-create.schemas.value.json"), { id: 1005 }));
  assert.deepEqual(lake(e), {
    table: "customers",
    op: "c",
    key: { id: 1005 },
    before: null,
    after: { id: 1005, first_name: "AnnA", last_name: "POurshikin", email: "annAP@noanswer.org" },
    position: sqlServerPosition({
      commitLsn: "0000002b:00000557:0005",
      changeLsn: "0000002b:00000557:0003",
      eventSerialNo: 1,
    }),
    commit_ts: "2024-05-23T13:01:17.173Z",
    tx_id: "0000002b:00000557:0005",
    snapshot: false,
  });
});

Deno.test("sample mssql-2.4.1-update-serial2.schemas.value.json decodes an update with serial 2 after the create", () => {
  const create = change(decode(sampleText("mssql-2.4.1-create.schemas.value.json"), { id: 1005 }));
  const e = change(decode(sampleText("mssql-2.4.1-update-serial2.schemas.value.json"), { id: 1005 }));
  assert.equal(e.op, "u");
  assert.deepEqual(toJsonValue(e.before!), {
    id: 1005,
    first_name: "AnnA",
    last_name: "POurshikin",
    email: "annAP@noanswer.org",
  });
  assert.deepEqual(toJsonValue(e.after!), {
    id: 1005,
    first_name: "AnnA",
    last_name: "Poushkin",
    email: "annAP@noanswer.org",
  });
  assert.equal(e.position, "0000002b:00000559:0003/0000002b:00000559:0002/0000000002");
  assert.ok(create.position < e.position);
});

Deno.test("sample mssql-1.3.0-create.schemas.value.json decodes the 1.x shape and maps CamelCase columns", () => {
  const e = change(
    decode(sampleText("mssql-1.3.0-create.schemas.value.json"), { PersonID: 7 }, "cdctestsmi.dbo.Persons"),
  );
  assert.deepEqual(lake(e), {
    table: "persons",
    op: "c",
    key: { person_id: 7 },
    before: null,
    after: { person_id: 7, name: "Targarien", age: 125 },
    position: "0000002b:000004f8:0005/0000002b:000004f8:0004/0000000001",
    commit_ts: "2020-10-29T15:43:27.443Z",
    tx_id: "0000002b:000004f8:0005",
    snapshot: false,
  });
});

Deno.test("sample mssql-1.9.7-create-delete-update.noschema.values.jsonl decodes c, d, u in position order", () => {
  const [c, d, u] = sampleLines("mssql-1.9.7-create-delete-update.noschema.values.jsonl").map((l) =>
    change(decode(l, { id: JSON.parse(l).after?.id ?? JSON.parse(l).before.id }))
  );
  assert.deepEqual([c.op, d.op, u.op], ["c", "d", "u"]);
  assert.deepEqual(toJsonValue(c.after!), { id: 9, name: "jjj", ts: 1753346775537 });
  assert.equal(d.after, null);
  assert.deepEqual(toJsonValue(d.before!), { id: 9, name: "jjj", ts: 1753346775537 });
  assert.deepEqual(toJsonValue(u.after!), { id: 5, name: "eee", ts: 1753286645690 });
  assert.ok(c.position < d.position && d.position < u.position);
  assert.ok(u.position.endsWith("/0000000002"));
});

Deno.test("sample mssql-1.9.7 with a catalog type decodes the datetime column as epoch milliseconds", () => {
  const tables: TableDef[] = [{
    source: "cdc_test",
    name: "cdc_test",
    key: ["id"],
    columns: [
      { source: "id", name: "id", type: "integer", nullable: false },
      { source: "name", name: "name", type: "string", nullable: true },
      { source: "ts", name: "ts", type: "timestamp", nullable: true },
    ],
  }];
  const line = sampleLines("mssql-1.9.7-create-delete-update.noschema.values.jsonl")[0];
  const e = change(decode(line, null, null, tables));
  assert.deepEqual(toJsonValue(e.key), { id: 9 }, "key from the catalog when the message has none");
  assert.equal(toJsonValue(e.after!.ts), "2025-07-24T08:46:15.537Z");
});

Deno.test("sample mssql-1.1.2-snapshot-read.noschema.value.json keeps bigint 20191104092565508 exact", () => {
  const e = change(
    decode(sampleText("mssql-1.1.2-snapshot-read.noschema.value.json"), { HisUid: "20191104092565508" }),
  );
  assert.equal(e.op, "r");
  assert.equal(e.snapshot, true);
  assert.equal(e.after!.his_uid, 20191104092565508n);
  assert.equal(e.after!.employee_name, "张阳");
  assert.equal(e.after!.longitude, 30.36314);
  assert.equal(e.position, "000052f2:00000538:001f/00000000:00000000:0000/0000000000");
  assert.equal((toJsonValue(e.after!) as Record<string, JsonValue>).his_uid, "20191104092565508");
});

Deno.test("sample mssql-1.9.8-snapshot-last.noschema.value.json is the last snapshot row of a non-dbo schema", () => {
  const e = change(
    decode(
      sampleText("mssql-1.9.8-snapshot-last.noschema.value.json"),
      { id: 2 },
      "sqlserver_transaction_log_source.inventory.INV.orders",
    ),
  );
  assert.equal(e.table, "orders");
  assert.equal(e.op, "r");
  assert.equal(e.snapshot, true);
  assert.equal(e.after!.order_id, "6eaa804c-5d1d-4b2f-ac92-021783a10d87");
  assert.equal(e.txId, "0000002e:00002a40:0003");
});

Deno.test("sample mssql-1.9.8 is quarantined against our catalog, whose orders.order_id is an integer", () => {
  const d = new DebeziumDecoder();
  assert.throws(
    () => d.decode({ key: '{"id":2}', value: sampleText("mssql-1.9.8-snapshot-last.noschema.value.json") }),
    /Cannot decode "after.order_id": expected an integer between/,
  );
});

Deno.test("sample mssql-1.9.6-create-uniqueidentifier-bit-datetime.noschema.value.json keeps GUID case and bits", () => {
  const e = change(
    decode(sampleText("mssql-1.9.6-create-uniqueidentifier-bit-datetime.noschema.value.json"), {
      CustomerID: 30147,
    }),
  );
  assert.equal(e.table, "customer");
  assert.deepEqual(toJsonValue(e.key), { customer_id: 30147 });
  assert.equal(e.after!.rowguid, "DAF1B0F5-609B-4C0D-A9DC-C26E88006922");
  assert.equal(e.after!.name_style, false);
  assert.equal(e.after!.title, null);
  assert.equal(e.after!.modified_date, 1698085925673);
});

Deno.test("sample mssql-2.4.0-create-decimal.payload.cleaned.json decodes Salary HoSA as 20000.00 at the DDL's scale", () => {
  const tables: TableDef[] = [{
    source: "Customer",
    name: "customer",
    key: ["idx"],
    columns: [
      { source: "CustomerName", name: "customer_name", type: "string", nullable: false },
      { source: "Age", name: "age", type: "integer", nullable: false },
      { source: "CustomerAddress", name: "customer_address", type: "string", nullable: false },
      { source: "Salary", name: "salary", type: "decimal(10,2)", nullable: false },
      { source: "IDX", name: "idx", type: "long", nullable: false },
    ],
  }];
  const e = change(decode(sampleText("mssql-2.4.0-create-decimal.payload.cleaned.json"), null, null, tables));
  assert.deepEqual(toJsonValue(e.after!), {
    customer_name: "홍길동",
    age: 21,
    customer_address: "해운대구",
    salary: "20000.00",
    idx: 2,
  });
  assert.equal(e.key.idx, 2n);
});

Deno.test("sample mssql-2.4.0-create-decimal-and-schema-history.annotated.raw.txt is not JSON and says so", () => {
  assert.throws(
    () => decode(sampleText("mssql-2.4.0-create-decimal-and-schema-history.annotated.raw.txt"), null),
    SyntaxError,
  );
});

Deno.test("sample mssql-2.4.0-internal-schema-history-record.json is recognized and ignored", () => {
  const r = decode(sampleText("mssql-2.4.0-internal-schema-history-record.json"), { databaseName: "MyDB" });
  assert.equal(r.kind, "ignored");
});

Deno.test("sample mssql-2.6.2-schema-change-topic.payload.json decodes as a schema change", () => {
  const r = decode(
    sampleText("mssql-2.6.2-schema-change-topic.payload.json"),
    { databaseName: "testDB" },
    "synchdb-connector",
  );
  assert.equal(r.kind, "schema_change");
  if (r.kind !== "schema_change") return;
  assert.equal(r.database, "testDB");
  assert.equal(r.schema, "dbo");
  assert.equal(r.ddl, null);
  assert.deepEqual(r.tables, ["customers"]);
});

Deno.test("sample mssql-2.6.2-schema-change-topic.payload-fragment.raw.txt is a fragment and is rejected", () => {
  assert.throws(
    () => decode(sampleText("mssql-2.6.2-schema-change-topic.payload-fragment.raw.txt"), null),
    SyntaxError,
  );
});

Deno.test("sample mssql-1.6.4-all-types.seatunnel-nonstandard.noschema.value.json decodes temporal shapes by catalog type", () => {
  const types: Record<string, TableDef["columns"][number]["type"]> = {
    id: "integer",
    f1: "boolean",
    f29: "binary",
    f35: "date",
    f38: "timestamp",
    f39: "timestamp",
    f40: "timestamp",
    f41: "timestamp",
    f43: "timestamp",
  };
  const tables: TableDef[] = [{
    source: "full_types_1",
    name: "full_types_1",
    key: ["id"],
    columns: Object.entries(types).map(([c, type]) => ({ source: c, name: c, type, nullable: true })),
  }];
  const e = change(
    decode(sampleText("mssql-1.6.4-all-types.seatunnel-nonstandard.noschema.value.json"), null, null, tables),
  );
  const after = toJsonValue(e.after!) as Record<string, JsonValue>;
  assert.equal(after.f35, "2024-12-16");
  assert.equal(after.f38, "2024-12-16T21:02:05.000Z");
  assert.equal(
    after.f39,
    "2024-12-16T21:02:07.000000000Z",
    "datetime2(7) nanoseconds beyond 2^53 stay exact",
  );
  assert.equal(after.f41, "2024-12-16T21:02:09.799000Z");
  assert.equal(after.f29, "AQ==");
  assert.equal(after.f36, 75723000000000, "time(7) without a type stays a number");
  assert.equal(
    e.position,
    "00000000:00000000:0000/00000000:00000000:0000/0000000000",
    'SeaTunnel\'s commit_lsn "00"',
  );
});

Deno.test("sample pg-3.1.3-update-replica-identity-full.schemas.value.json decodes the 3.x envelope", () => {
  const e = change(
    decode(
      sampleText("pg-3.1.3-update-replica-identity-full.schemas.value.json"),
      { id: 1006 },
      "dbserver1.inventory.customers",
    ),
  );
  assert.deepEqual(lake(e), {
    table: "customers",
    op: "u",
    key: { id: 1006 },
    before: { id: 1006, first_name: "Liam", last_name: "Han", email: "liam2@example.com" },
    after: { id: 1006, first_name: "Liam", last_name: "Han", email: "liam3@example.com" },
    position: postgresPosition({ lastCommitLsn: 34389280n, lsn: 34389336n }),
    commit_ts: "2025-12-28T12:30:59.528750Z",
    tx_id: "779",
    snapshot: false,
  });
});

Deno.test("sample pg-2.5.4-lifecycle-snapshot-delete-update-insert.noschema.values.jsonl orders snapshot and stream", () => {
  const events = sampleLines("pg-2.5.4-lifecycle-snapshot-delete-update-insert.noschema.values.jsonl").map(
    (l) => {
      const p = JSON.parse(l);
      return change(decode(l, { id: (p.after ?? p.before).id }));
    },
  );
  assert.deepEqual(events.map((e) => e.op), ["r", "r", "d", "u", "c"]);
  assert.deepEqual(events.map((e) => e.snapshot), [true, true, false, false, false]);
  for (let i = 1; i < events.length; i++) assert.ok(events[i - 1].position <= events[i].position);
  assert.deepEqual(toJsonValue(events[2].before!), { id: 1, first_name: "", last_name: "", email: "" });
  assert.equal(events[3].before, null, "REPLICA IDENTITY DEFAULT: updates have no before image");
  assert.deepEqual(toJsonValue(events[3].key), { id: 2 });
  assert.deepEqual(events.map((e) => e.txId), ["750", "750", "751", "752", "753"]);
});

Deno.test("sample pg-1.0.1-snapshot-last-decimal.schemas.value.json decodes ASs= as 2.99 and a MicroTimestamp", () => {
  const e = change(
    decode(sampleText("pg-1.0.1-snapshot-last-decimal.schemas.value.json"), { payment_id: 32098 }),
  );
  assert.deepEqual(lake(e), {
    table: "payment",
    op: "r",
    key: { payment_id: 32098 },
    before: null,
    after: {
      payment_id: 32098,
      customer_id: 264,
      staff_id: 2,
      rental_id: 14243,
      amount: "2.99",
      payment_date: "2007-05-14T13:44:29.996577",
    },
    position: postgresPosition({ lastCommitLsn: null, lsn: 31227904n }),
    commit_ts: "2020-02-28T20:00:02.719Z",
    tx_id: "765",
    snapshot: true,
  });
});

Deno.test("sample pg-1.1.1-delete-replica-identity-default.schemas.value.json decodes the filler before image", () => {
  const e = change(
    decode(sampleText("pg-1.1.1-delete-replica-identity-default.schemas.value.json"), {
      actor_id: 1,
      film_id: 23,
    }),
  );
  assert.equal(e.op, "d");
  assert.equal(e.after, null);
  assert.deepEqual(toJsonValue(e.before!), {
    actor_id: 1,
    film_id: 23,
    last_update: "1970-01-01T00:00:00.000000",
  });
  assert.deepEqual(toJsonValue(e.key), { actor_id: 1, film_id: 23 });
});

Deno.test("sample pg-2.1.4-create.payload.json decodes the 2.1 payload", () => {
  const e = change(decode(sampleText("pg-2.1.4-create.payload.json"), { id: 1005 }));
  assert.deepEqual(toJsonValue(e.after!), {
    id: 1005,
    first_name: "Bob",
    last_name: "Marley",
    email: "bob@marley.com",
  });
  assert.equal(e.position, postgresPosition({ lastCommitLsn: 34442256n, lsn: 34466480n }));
  assert.equal(e.txId, "767");
});

Deno.test("sample pg-2.1.4-create.schema-omitted.raw.txt has a placeholder schema and is rejected", () => {
  assert.throws(
    () => decode(sampleText("pg-2.1.4-create.schema-omitted.raw.txt"), { id: 1005 }),
    SyntaxError,
  );
});

Deno.test("sample pg-transaction-begin-end.risingwave-test.values.jsonl groups BEGIN and END by txId", () => {
  const [begin, end] = sampleLines("pg-transaction-begin-end.risingwave-test.values.jsonl").map((l) =>
    decode(l, null, "risingwave.transaction")
  );
  assert.equal(begin.kind, "transaction");
  assert.equal(end.kind, "transaction");
  if (begin.kind !== "transaction" || end.kind !== "transaction") return;
  assert.equal(begin.status, "BEGIN");
  assert.equal(end.status, "END");
  assert.equal(begin.id, "35352");
  assert.equal(end.id, begin.id);
  assert.notEqual(end.rawId, begin.rawId);
  assert.equal(end.eventCount, 11);
  assert.deepEqual(end.dataCollections, [
    { table: "orders_tx", source: "public.orders_tx", eventCount: 5 },
    { table: "person", source: "public.person", eventCount: 6 },
  ]);
});

Deno.test("docs-examples that are valid JSON decode; the hand-written ones with placeholders are rejected", () => {
  const dir = new URL("docs-examples/", SAMPLES);
  const decoded: string[] = [];
  const rejected: string[] = [];
  for (const entry of [...Deno.readDirSync(dir)].sort((a, b) => a.name.localeCompare(b.name))) {
    const text = Deno.readTextFileSync(new URL(entry.name, dir));
    try {
      const r = decode(text, { id: 1 });
      decoded.push(`${entry.name}:${r.kind}`);
    } catch (e) {
      assert.ok(e instanceof SyntaxError || e instanceof TypeError, `${entry.name}: ${e}`);
      rejected.push(entry.name);
    }
  }
  assert.ok(decoded.includes("sqlserver.adoc-L1047-create-full-schema.txt:change"), decoded.join());
  assert.ok(decoded.includes("postgresql.adoc-L765-create-full-schema.txt:change"), decoded.join());
  assert.ok(rejected.includes("postgresql.adoc-L1047-update-payload.txt"), "schema placeholder");
});

Deno.test("manifest.json names only files that exist, and every sample file is tested here", async () => {
  const manifest = JSON.parse(sampleText("manifest.json")) as { file: string }[];
  const names = new Set<string>();
  for await (const e of Deno.readDir(SAMPLES)) if (e.isFile && e.name !== "README.md") names.add(e.name);
  for (const m of manifest) assert.ok(names.has(m.file), m.file);
  const self = await Deno.readTextFile(new URL(import.meta.url));
  for (const n of names) {
    if (n !== "manifest.json") assert.ok(self.includes(`sample ${n}`), `untested sample ${n}`);
  }
});
