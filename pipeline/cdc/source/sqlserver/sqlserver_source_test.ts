/**
 * The SQL Server source over recorded CDC rows (SQL Server cannot run here): LSN windowing, update pairing,
 * type conversion, resume inside a transaction, retention gaps, reconnects, and the ChangeSource contract.
 * The rows follow what `fn_cdc_get_all_changes_<ci>(…, N'all update old')` returns (debezium.md §C.4) with the
 * casts the column readers select (`column_readers.ts`), for column metadata as `capturedColumns()` reports it.
 */
import assert from "node:assert/strict";
import { type Row, toJsonValue } from "../../../value/mod.ts";
import type { ChangeEvent } from "../../change_event.ts";
import { Naming } from "../../naming.ts";
import { sqlServerPosition } from "../../source_position.ts";
import { Backoff } from "../backoff.ts";
import { mergeCheckpoints, type SourceBatch } from "../change_source.ts";
import { changeSourceContract } from "../change_source_contract.ts";
import { type CaptureInstance, type CdcRow, RecordedCdcClient } from "./cdc_client.ts";
import { cdcEvents } from "./cdc_rows.ts";
import { columnReaders, ColumnTypeError, selectList, type SqlColumn } from "./column_readers.ts";
import { compareLsn, lsnBytes, lsnText } from "./lsn.ts";
import { RetentionGapError, SqlServerSource } from "./sqlserver_source.ts";

const CUSTOMERS: CaptureInstance = { name: "dbo_Customers", sourceSchema: "dbo", sourceTable: "Customers" };
const ITEMS: CaptureInstance = { name: "dbo_OrderItems", sourceSchema: "dbo", sourceTable: "OrderItems" };

const col = (ordinal: number, name: string, type: string, precision = 0, scale = 0): SqlColumn => ({
  name,
  ordinal,
  type,
  precision,
  scale,
});
const CUSTOMER_COLUMNS = [
  col(1, "CustomerID", "int", 10),
  col(2, "Name", "nvarchar"),
  col(3, "Email", "nvarchar"),
  col(4, "PhoneNumber", "varchar"),
  col(5, "CreatedAt", "datetime2", 27, 7),
  col(6, "UpdatedAt", "datetime2", 27, 7),
];
const ITEM_COLUMNS = [
  col(1, "OrderItemID", "int", 10),
  col(2, "OrderID", "int", 10),
  col(3, "ProductID", "int", 10),
  col(4, "Quantity", "int", 10),
  col(5, "CurrentPrice", "decimal", 18, 2),
  col(6, "CreatedAt", "datetime2", 27, 7),
  col(7, "UpdatedAt", "datetime2", 27, 7),
];
const naming = new Naming();
const customerReaders = columnReaders(
  "dbo.Customers",
  CUSTOMER_COLUMNS,
  (c) => naming.table("Customers").columnDef(c),
);
const itemReaders = columnReaders(
  "dbo.OrderItems",
  ITEM_COLUMNS,
  (c) => naming.table("OrderItems").columnDef(c),
);

const lsn = (tx: number, n = 0) =>
  `0000002b:${tx.toString(16).padStart(8, "0")}:${n.toString(16).padStart(4, "0")}`;

function customer(id: number, name: string) {
  return {
    CustomerID: id,
    Name: name,
    Email: null,
    PhoneNumber: null,
    CreatedAt: "2025-07-26 10:15:00.1234567",
    UpdatedAt: "2025-07-26 10:15:00.1234567",
  };
}

function cdc(tx: number, seq: number, operation: number, columns: Record<string, unknown>): CdcRow {
  return {
    startLsn: lsn(tx),
    seqval: lsn(tx, seq),
    operation,
    commitTime: "2025-07-26T12:15:00.127+02:00",
    columns,
  };
}

function events(outcomes: ReturnType<typeof cdcEvents>): ChangeEvent[] {
  return outcomes.map((o) => {
    if ("error" in o) throw o.error;
    return o.event;
  });
}

Deno.test("lsnText() and lsnBytes() convert binary(10) LSNs to Debezium's text and back", () => {
  const bytes = new Uint8Array([0, 0, 0, 0x2b, 0, 0, 5, 0x57, 0, 3]);
  assert.equal(lsnText(bytes), "0000002b:00000557:0003");
  assert.deepEqual(lsnBytes("0000002B:00000557:0003"), bytes);
  assert.equal(compareLsn("0000002b:00000557:0003", "0000002b:00000600:0001"), -1);
  assert.throws(() => lsnText(new Uint8Array(9)), RangeError);
});

Deno.test("cdcEvents() turns operations 1, 2 and 3+4 into d, c and u with Debezium's serial numbers", () => {
  const out = events(cdcEvents([{
    instance: CUSTOMERS,
    naming: naming.table("Customers"),
    key: ["customer_id"],
    readers: customerReaders,
    rows: [
      cdc(0x557, 3, 2, customer(1, "Ann")),
      cdc(0x559, 2, 3, customer(1, "Ann")),
      cdc(0x559, 2, 4, customer(1, "Anne")),
      cdc(0x560, 2, 1, customer(1, "Anne")),
    ],
  }]));
  assert.deepEqual(out.map((e) => [e.op, e.position]), [
    ["c", sqlServerPosition({ commitLsn: lsn(0x557), changeLsn: lsn(0x557, 3), eventSerialNo: 1 })],
    ["u", sqlServerPosition({ commitLsn: lsn(0x559), changeLsn: lsn(0x559, 2), eventSerialNo: 2 })],
    ["d", sqlServerPosition({ commitLsn: lsn(0x560), changeLsn: lsn(0x560, 2), eventSerialNo: 1 })],
  ]);
  assert.equal(out[1].before!.name, "Ann");
  assert.deepEqual(toJsonValue(out[1].after!), {
    customer_id: 1,
    name: "Anne",
    email: null,
    phone_number: null,
    created_at: "2025-07-26T10:15:00.1234567Z",
    updated_at: "2025-07-26T10:15:00.1234567Z",
  });
  assert.equal(out[1].txId, lsn(0x559));
  assert.equal(
    out[1].commitTs.toString(),
    "2025-07-26T10:15:00.127Z",
    "commit time with the server's offset",
  );
});

Deno.test("cdcEvents() merges capture instances by LSN and splits a key change into d + c", () => {
  const item = (id: number, price: string) => ({
    OrderItemID: id,
    OrderID: 1,
    ProductID: 2,
    Quantity: 3,
    CurrentPrice: price,
    CreatedAt: "2025-07-26 10:15:00.0000000",
    UpdatedAt: "2025-07-26 10:15:00.0000000",
  });
  const out = events(cdcEvents([
    {
      instance: ITEMS,
      naming: naming.table("OrderItems"),
      key: ["order_item_id"],
      readers: itemReaders,
      rows: [
        cdc(0x600, 5, 2, item(7, "12.30")),
        cdc(0x700, 2, 3, item(7, "12.30")),
        cdc(0x700, 2, 4, item(8, "99999999999999.99")),
      ],
    },
    {
      instance: CUSTOMERS,
      naming: naming.table("Customers"),
      key: ["customer_id"],
      readers: customerReaders,
      rows: [cdc(0x600, 3, 2, customer(9, "Zed"))],
    },
  ]));
  assert.deepEqual(out.map((e) => [e.table, e.op, Object.values(e.key)[0]]), [
    ["customers", "c", 9],
    ["order_items", "c", 7],
    ["order_items", "d", 7],
    ["order_items", "c", 8],
  ]);
  assert.equal(String(out[3].after!.current_price), "99999999999999.99", "decimal(18,2) exact through text");
  assert.ok(out[2].position < out[3].position, "the delete half sorts first (serial 1, then 2)");
});

Deno.test("cdcEvents() reports an update without its after image and a bad value, and keeps the rest", () => {
  const out = cdcEvents([{
    instance: CUSTOMERS,
    naming: naming.table("Customers"),
    key: ["customer_id"],
    readers: customerReaders,
    rows: [
      cdc(0x10, 2, 3, customer(1, "Ann")),
      cdc(0x11, 2, 2, { ...customer(2, "Bob"), CreatedAt: "yesterday" }),
      cdc(0x12, 2, 2, customer(3, "Cy")),
    ],
  }]);
  assert.match(String((out[0] as { error: Error }).error), /its after image \(operation 4\) is missing/);
  assert.match(
    String((out[1] as { error: Error }).error),
    /Cannot read SQL Server column "dbo\.Customers\.CreatedAt": expected date-time text without an offset, got "yesterday"/,
  );
  assert.equal((out[2] as { event: ChangeEvent }).event.key.customer_id, 3);
});

Deno.test("columnReaders() builds a catalog table's select list from SQL Server's metadata, the catalog's types agreeing", () => {
  assert.equal(
    selectList(itemReaders),
    "[OrderItemID], [OrderID], [ProductID], [Quantity], CONVERT(varchar(41), [CurrentPrice]) AS [CurrentPrice], " +
      "CONVERT(varchar(27), [CreatedAt], 121) AS [CreatedAt], CONVERT(varchar(27), [UpdatedAt], 121) AS [UpdatedAt]",
  );
  assert.deepEqual(
    [...itemReaders.values()].map((r) => r.deltaType),
    naming.table("OrderItems").def!.columns.map((c) => c.type),
  );
});

function recorded(): RecordedCdcClient {
  return new RecordedCdcClient([CUSTOMERS], { [CUSTOMERS.name]: CUSTOMER_COLUMNS });
}

async function drain(
  source: SqlServerSource,
  max = 100,
): Promise<{ events: ChangeEvent[]; batches: SourceBatch[] }> {
  const batches: SourceBatch[] = [];
  for (;;) {
    const b = await source.next({ maxRecords: max, maxWaitMs: 50 });
    if (b.records.length === 0 && b.quarantined.length === 0) {
      return {
        events: batches.flatMap((x) => x.records.map((r) => (r as { event: ChangeEvent }).event)),
        batches,
      };
    }
    batches.push(b);
  }
}

Deno.test("SqlServerSource snapshots the tables at the max LSN, then streams the changes after it", async () => {
  const client = recorded();
  client.tables.set(CUSTOMERS.name, [customer(1, "Ann"), customer(2, "Bob")]);
  client.append(CUSTOMERS.name, cdc(0x100, 2, 2, customer(2, "Bob"))); // already in the snapshot
  const source = new SqlServerSource({ connect: () => Promise.resolve(client), pollIntervalMs: 5 });
  const snap = await drain(source);
  assert.deepEqual(snap.events.map((e) => [e.op, e.key.customer_id, e.snapshot]), [["r", 1, true], [
    "r",
    2,
    true,
  ]]);
  const checkpoint = snap.batches.at(-1)!.checkpoint;
  client.append(CUSTOMERS.name, cdc(0x101, 2, 3, customer(2, "Bob")), cdc(0x101, 2, 4, customer(2, "Bobby")));
  const stream = await drain(source);
  assert.deepEqual(stream.events.map((e) => [e.op, e.after!.name]), [["u", "Bobby"]]);
  assert.ok(snap.events[0].position < stream.events[0].position);
  assert.ok(checkpoint.sqlserver < stream.events[0].position);
  await source.close();
});

Deno.test("SqlServerSource resumes inside a transaction from the position it stopped at", async () => {
  const client = recorded();
  client.append(
    CUSTOMERS.name,
    cdc(0x200, 2, 2, customer(1, "A")),
    cdc(0x200, 3, 2, customer(2, "B")),
    cdc(0x200, 4, 2, customer(3, "C")),
  );
  const start = {
    sqlserver: sqlServerPosition({ commitLsn: lsn(0x1ff), changeLsn: null, eventSerialNo: null }),
  };
  let source = new SqlServerSource({ connect: () => Promise.resolve(client), from: start });
  const first = await source.next({ maxRecords: 2, maxWaitMs: 50 });
  assert.deepEqual(first.records.map((r) => (r as { event: ChangeEvent }).event.key.customer_id), [1, 2]);
  await source.close();
  source = new SqlServerSource({
    connect: () => Promise.resolve(client),
    from: mergeCheckpoints(start, first.checkpoint),
  });
  const rest = await drain(source);
  assert.deepEqual(
    rest.events.map((e) => e.key.customer_id),
    [3],
    "the third row of the same transaction, once",
  );
  await source.close();
});

Deno.test("SqlServerSource fails with RetentionGapError when cleanup removed changes it has not read", async () => {
  const client = recorded();
  client.append(CUSTOMERS.name, cdc(0x300, 2, 2, customer(1, "A")), cdc(0x400, 2, 2, customer(2, "B")));
  client.cleanup(CUSTOMERS.name, lsn(0x400));
  const from = {
    sqlserver: sqlServerPosition({ commitLsn: lsn(0x2ff), changeLsn: null, eventSerialNo: null }),
  };
  const source = new SqlServerSource({ connect: () => Promise.resolve(client), from });
  await assert.rejects(source.next({ maxWaitMs: 50 }), RetentionGapError);
  await source.close();
});

Deno.test("SqlServerSource reconnects with backoff after a lost connection and skips nothing", async () => {
  const client = recorded();
  client.append(CUSTOMERS.name, cdc(0x500, 2, 2, customer(1, "A")));
  let connects = 0;
  const source = new SqlServerSource({
    connect: () => (connects++, Promise.resolve(client)),
    from: { sqlserver: sqlServerPosition({ commitLsn: lsn(0x4ff), changeLsn: null, eventSerialNo: null }) },
    backoff: new Backoff({ initialMs: 1, maxMs: 5 }),
  });
  client.failNext = 3;
  const got = await drain(source);
  assert.deepEqual(got.events.map((e) => e.key.customer_id), [1]);
  assert.equal(connects, 4, "three failures, three reconnects");
  client.failNext = 100;
  const hopeless = new SqlServerSource({
    connect: () => Promise.resolve(client),
    from: { sqlserver: sqlServerPosition({ commitLsn: lsn(0x4ff), changeLsn: null, eventSerialNo: null }) },
    backoff: new Backoff({ initialMs: 1, maxMs: 2 }),
    maxAttempts: 3,
  });
  await assert.rejects(hopeless.next({ maxWaitMs: 5000 }), /after 3 attempts: Connection lost/);
  await source.close();
});

changeSourceContract("SqlServerSource", () => {
  const client = recorded();
  let id = 0;
  let tx = 0x1000;
  return Promise.resolve({
    write(n: number) {
      const ids: number[] = [];
      for (let i = 0; i < n; i++) {
        const row: Row = customer(++id, `C${id}`) as unknown as Row;
        client.append(CUSTOMERS.name, cdc(++tx, 2, 2, row));
        client.tables.get(CUSTOMERS.name)!.push(row);
        ids.push(id);
      }
      return Promise.resolve(ids);
    },
    open: (from) => new SqlServerSource({ connect: () => Promise.resolve(client), from, pollIntervalMs: 5 }),
    dispose: () => client.close(),
  });
});

Deno.test("SqlServerSource reads a backlog in windows of at most maxTransactionsPerWindow transactions", async () => {
  const client = recorded();
  for (let tx = 0x600; tx < 0x600 + 25; tx++) client.append(CUSTOMERS.name, cdc(tx, 2, 2, customer(tx, "x")));
  const source = new SqlServerSource({
    connect: () => Promise.resolve(client),
    from: { sqlserver: sqlServerPosition({ commitLsn: lsn(0x5ff), changeLsn: null, eventSerialNo: null }) },
    maxTransactionsPerWindow: 10,
  });
  const sizes: number[] = [];
  const ids: number[] = [];
  for (;;) {
    const b = await source.next({ maxRecords: 100, maxWaitMs: 50 });
    if (b.records.length === 0) break;
    sizes.push(b.records.length);
    for (const r of b.records) ids.push(Number((r as { event: ChangeEvent }).event.key.customer_id));
  }
  assert.deepEqual(sizes, [10, 10, 5]);
  assert.deepEqual(ids, Array.from({ length: 25 }, (_, i) => 0x600 + i));
  await source.close();
});

const LEDGER: CaptureInstance = {
  name: "dbo_Ledger",
  sourceSchema: "dbo",
  sourceTable: "Ledger",
  keyColumns: ["EntryID"],
};
const LEDGER_COLUMNS = [
  col(1, "EntryID", "bigint", 19),
  col(2, "Amount", "money", 19, 4),
  col(3, "BookedAt", "datetime2", 27, 7),
  col(4, "ZonedAt", "datetimeoffset", 34, 7),
  col(5, "Ref", "uniqueidentifier"),
];

Deno.test("SqlServerSource reads a table outside the catalog exactly, by the column types SQL Server reports", async () => {
  const client = new RecordedCdcClient([LEDGER], { [LEDGER.name]: LEDGER_COLUMNS });
  const entry = (amount: string) => ({
    EntryID: "9223372036854775807",
    Amount: amount,
    BookedAt: "2024-01-02 03:04:05.1234567",
    ZonedAt: "2024-01-02 03:04:05.1234567 +11:00",
    Ref: "6f9619ff-8b86-d011-b42d-00c04fc964ff",
  });
  client.tables.set(LEDGER.name, [entry("922337203685477.5807")]);
  const source = new SqlServerSource({ connect: () => Promise.resolve(client), pollIntervalMs: 5 });
  const snap = await drain(source);
  client.append(
    LEDGER.name,
    cdc(0x900, 2, 3, entry("922337203685477.5807")),
    cdc(0x900, 2, 4, entry("-922337203685477.5808")),
  );
  const stream = await drain(source);
  await source.close();
  const [read, update] = [...snap.events, ...stream.events];
  assert.deepEqual([read.table, read.op, update.op], ["ledger", "r", "u"]);
  assert.deepEqual(update.key, { entry_id: 9223372036854775807n }, "bigint key beyond 2^53 exact");
  assert.deepEqual(toJsonValue(read.after!), {
    entry_id: "9223372036854775807",
    amount: "922337203685477.5807",
    booked_at: "2024-01-02T03:04:05.1234567Z",
    zoned_at: "2024-01-01T16:04:05.1234567Z",
    ref: "6F9619FF-8B86-D011-B42D-00C04FC964FF",
  });
  assert.equal(String(update.before!.amount), "922337203685477.5807");
  assert.equal(String(update.after!.amount), "-922337203685477.5808", "money exact, never a float");
});

Deno.test("SqlServerSource fails at once, without reconnecting, on a captured column it cannot read exactly", async () => {
  const stores: CaptureInstance = { name: "dbo_Stores", sourceSchema: "dbo", sourceTable: "Stores" };
  const client = new RecordedCdcClient([stores], {
    [stores.name]: [col(1, "StoreID", "int", 10), col(2, "Location", "geography")],
  });
  let connects = 0;
  const source = new SqlServerSource({
    connect: () => (connects++, Promise.resolve(client)),
    backoff: new Backoff({ initialMs: 1, maxMs: 2 }),
  });
  await assert.rejects(
    source.next({ maxWaitMs: 50 }),
    (e) =>
      e instanceof ColumnTypeError &&
      /Cannot read SQL Server column "dbo\.Stores\.Location" of type geography/.test(e.message),
  );
  assert.equal(connects, 1);
  await source.close();
});

Deno.test("SqlServerSource learns the columns again when a capture instance is re-created under the same name", async () => {
  const v1: CaptureInstance = {
    name: "dbo_Fees",
    sourceSchema: "dbo",
    sourceTable: "Fees",
    keyColumns: ["FeeID"],
  };
  const client = new RecordedCdcClient([{ ...v1, objectId: 1 }], {
    [v1.name]: [col(1, "FeeID", "int", 10), col(2, "Fee", "decimal", 10, 2)],
  });
  client.append(v1.name, cdc(0xa00, 2, 2, { FeeID: 1, Fee: "1.50" }));
  const source = new SqlServerSource({
    connect: () => Promise.resolve(client),
    from: { sqlserver: sqlServerPosition({ commitLsn: lsn(0x9ff), changeLsn: null, eventSerialNo: null }) },
  });
  const before = await drain(source);
  // Dropped and re-enabled with the column now money: a new change table, the same instance name.
  client.instances[0] = { ...v1, objectId: 2 };
  client.columns.set(v1.name, [col(1, "FeeID", "int", 10), col(2, "Fee", "money", 19, 4)]);
  client.append(v1.name, cdc(0xa01, 2, 2, { FeeID: 2, Fee: "2.5000" }));
  const after = await drain(source);
  await source.close();
  assert.deepEqual(
    [...before.events, ...after.events].map((e) => String(e.after!.fee)),
    ["1.50", "2.5000"],
    "each value at the scale of its own instance's type",
  );
});
