import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { runFaker } from "../../../scripts/faker/mod.ts";
import { runSetup } from "../../../scripts/setup/mod.ts";
import { type Row, Timestamp, toJsonValue } from "../../value/mod.ts";
import type { ChangeEvent } from "../change_event.ts";
import { Naming } from "../naming.ts";
import { sqlitePosition } from "../source_position.ts";
import { Backoff } from "./backoff.ts";
import { type ChangeSource, mergeCheckpoints, type SourceCheckpoint } from "./change_source.ts";
import { changeSourceContract } from "./change_source_contract.ts";
import { sqliteChangeEvent, sqliteSnapshotRow, SqliteSource } from "./sqlite_source.ts";

const NOW = "strftime('%Y-%m-%dT%H:%M:%fZ','now')";
const CUSTOMER =
  "'CustomerID', X.CustomerID, 'Name', X.Name, 'Email', X.Email, 'PhoneNumber', X.PhoneNumber, " +
  "'CreatedAt', X.CreatedAt, 'UpdatedAt', X.UpdatedAt";

/** The agreed capture format, written out by hand so this test does not depend on `deno task setup`. */
const SCHEMA = `
PRAGMA journal_mode = WAL;
CREATE TABLE Customers (CustomerID INTEGER PRIMARY KEY, Name TEXT NOT NULL, Email TEXT, PhoneNumber TEXT,
  CreatedAt TEXT NOT NULL DEFAULT (${NOW}), UpdatedAt TEXT NOT NULL DEFAULT (${NOW}));
CREATE TABLE _changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, table_name TEXT NOT NULL,
  op TEXT NOT NULL CHECK (op IN ('c','u','d')), before TEXT, after TEXT, committed_at TEXT NOT NULL);
CREATE TRIGGER c_ins AFTER INSERT ON Customers BEGIN INSERT INTO _changes (table_name, op, before, after, committed_at)
  VALUES ('Customers', 'c', NULL, json_object(${CUSTOMER.replaceAll("X.", "NEW.")}), ${NOW}); END;
CREATE TRIGGER c_upd AFTER UPDATE ON Customers BEGIN INSERT INTO _changes (table_name, op, before, after, committed_at)
  VALUES ('Customers', 'u', json_object(${CUSTOMER.replaceAll("X.", "OLD.")}),
          json_object(${CUSTOMER.replaceAll("X.", "NEW.")}), ${NOW}); END;
CREATE TRIGGER c_del AFTER DELETE ON Customers BEGIN INSERT INTO _changes (table_name, op, before, after, committed_at)
  VALUES ('Customers', 'd', json_object(${CUSTOMER.replaceAll("X.", "OLD.")}), NULL, ${NOW}); END;
`;

async function tempDb(): Promise<{ path: string; db: DatabaseSync; dispose(): Promise<void> }> {
  const dir = await Deno.makeTempDir({ prefix: "cdc-sqlite-" });
  const path = `${dir}/source.sqlite`;
  const db = new DatabaseSync(path);
  db.exec(SCHEMA);
  return {
    path,
    db,
    async dispose() {
      db.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

changeSourceContract("SqliteSource", async () => {
  const t = await tempDb();
  let id = 0;
  const insert = t.db.prepare("INSERT INTO Customers (CustomerID, Name, Email) VALUES (?, ?, ?)");
  return {
    write(n: number) {
      const ids: number[] = [];
      for (let i = 0; i < n; i++) {
        insert.run(++id, `Customer ${id}`, `c${id}@example.com`);
        ids.push(id);
      }
      return Promise.resolve(ids);
    },
    open: (from) => new SqliteSource({ path: t.path, from, pollIntervalMs: 10 }),
    dispose: () => t.dispose(),
  };
});

async function drain(source: ChangeSource, checkpoint: SourceCheckpoint = {}) {
  const events: ChangeEvent[] = [];
  for (;;) {
    const b = await source.next({ maxRecords: 100, maxWaitMs: 100 });
    if (b.records.length === 0 && b.quarantined.length === 0) return { events, checkpoint };
    for (const r of b.records) if (r.kind === "change") events.push(r.event);
    checkpoint = mergeCheckpoints(checkpoint, b.checkpoint);
  }
}

Deno.test("SqliteSource snapshots the captured tables in one read transaction, then follows later changes", async () => {
  const t = await tempDb();
  try {
    t.db.exec("INSERT INTO Customers (CustomerID, Name) VALUES (1, 'Ann'), (2, 'Bob')");
    t.db.exec("UPDATE Customers SET Name = 'Anne' WHERE CustomerID = 1"); // seq 3, already in the snapshot
    const source = new SqliteSource({ path: t.path, pollIntervalMs: 10 });
    const first = await source.next({ maxRecords: 1, maxWaitMs: 100 });
    assert.deepEqual(
      first.checkpoint,
      { sqlite: "snapshot:3:0:1:1" },
      "resume the snapshot after Customers row 1",
    );
    t.db.exec("UPDATE Customers SET Name = 'Bobby' WHERE CustomerID = 2"); // after the snapshot's read began
    const rest = await drain(source);
    const events = [(first.records[0] as { event: ChangeEvent }).event, ...rest.events];
    assert.deepEqual(events.map((e) => [e.op, e.key.customer_id, e.after!.name]), [
      ["r", 1, "Anne"],
      ["r", 2, "Bob"],
      ["u", 2, "Bobby"],
    ]);
    assert.deepEqual(events.map((e) => e.position), [
      sqlitePosition(3, 1),
      sqlitePosition(3, 2),
      sqlitePosition(4),
    ]);
    assert.equal(events[0].snapshot, true);
    assert.equal(events[2].snapshot, false);
    assert.deepEqual(rest.checkpoint, { sqlite: sqlitePosition(4) });
    await source.close();
  } finally {
    await t.dispose();
  }
});

Deno.test("SqliteSource reads the database `deno task setup --dialect sqlite` creates, every catalog table", async () => {
  const dir = await Deno.makeTempDir({ prefix: "cdc-setup-" });
  try {
    const path = `${dir}/source.sqlite`;
    await runSetup({ dialect: "sqlite", db: path });
    const source = new SqliteSource({ path, pollIntervalMs: 10 });
    const snap = await drain(source);
    assert.ok(snap.events.length > 100, `seeded rows: ${snap.events.length}`);
    assert.ok(snap.events.every((e) => e.op === "r" && e.snapshot));
    const tables = new Set(snap.events.map((e) => e.table));
    for (const t of ["customers", "products", "inventory", "order_status"]) assert.ok(tables.has(t), t);
    const product = snap.events.find((e) => e.table === "products")!;
    assert.match(String(product.after!.price), /^\d+\.\d\d$/);
    assert.ok(product.after!.created_at instanceof Timestamp && product.after!.created_at.zoned);
    const db = new DatabaseSync(path);
    try {
      db.exec("UPDATE Products SET Price = '1234567.89' WHERE ProductID = 1");
    } finally {
      db.close();
    }
    const after = await drain(source, snap.checkpoint);
    assert.equal(after.events.length, 1);
    assert.deepEqual(
      [after.events[0].table, after.events[0].op, String(after.events[0].after!.price)],
      ["products", "u", "1234567.89"],
    );
    assert.ok(after.events[0].before!.price !== undefined, "SQLite captures the before image");
    await source.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("sqliteChangeEvent() converts the trigger JSON by the catalog's types", () => {
  const e = sqliteChangeEvent({
    seq: 42n,
    table_name: "OrderItems",
    op: "u",
    before: '{"OrderItemID":7,"OrderID":3,"ProductID":5,"Quantity":1,"CurrentPrice":"12.30",' +
      '"CreatedAt":"2025-07-26T10:15:00.123Z","UpdatedAt":"2025-07-26T10:15:00.123Z"}',
    after: '{"OrderItemID":7,"OrderID":3,"ProductID":5,"Quantity":2,"CurrentPrice":"12.30",' +
      '"CreatedAt":"2025-07-26T10:15:00.123Z","UpdatedAt":"2025-07-26T10:16:00.000Z"}',
    committed_at: "2025-07-26T10:16:00.000Z",
  }, new Naming());
  assert.deepEqual(toJsonValue(e.after!), {
    order_item_id: 7,
    order_id: 3,
    product_id: 5,
    quantity: 2,
    current_price: "12.30",
    created_at: "2025-07-26T10:15:00.123000Z",
    updated_at: "2025-07-26T10:16:00.000000Z",
  });
  assert.deepEqual(toJsonValue(e.key), { order_item_id: 7 });
  assert.equal(e.position, sqlitePosition(42));
  assert.equal(e.commitTs.toString(), "2025-07-26T10:16:00.000Z");
  assert.equal(e.table, "order_items");
});

Deno.test("sqliteChangeEvent() rejects bad rows with errors naming the change", () => {
  const naming = new Naming();
  const row = { seq: 1, table_name: "Addresses", before: null, committed_at: "2025-01-01T00:00:00.000Z" };
  assert.throws(
    () => sqliteChangeEvent({ ...row, op: "x", after: "{}" }, naming),
    /Cannot decode change 1: unknown operation "x"/,
  );
  assert.throws(
    () => sqliteChangeEvent({ ...row, op: "c", after: '{"AddressID":1,"IsBillingAddress":2}' }, naming),
    /"after.IsBillingAddress": expected a boolean or 0\/1, got 2/,
  );
  assert.throws(() => sqliteChangeEvent({ ...row, op: "c", after: "{oops" }, naming), SyntaxError);
  assert.throws(
    () => sqliteChangeEvent({ ...row, op: "c", after: '{"City":"Paris"}' }, naming),
    /missing key column "address_id"/,
  );
});

Deno.test("SqliteSource quarantines a bad change and goes on", async () => {
  const t = await tempDb();
  try {
    t.db.exec("INSERT INTO Customers (CustomerID, Name) VALUES (1, 'Ann')");
    t.db.exec(
      "INSERT INTO _changes (table_name, op, before, after, committed_at) VALUES ('Customers', 'c', NULL, '{bad', 'x')",
    );
    t.db.exec("INSERT INTO Customers (CustomerID, Name) VALUES (2, 'Bob')");
    const source = new SqliteSource({ path: t.path, from: { sqlite: sqlitePosition(0) } });
    const b = await source.next({ maxWaitMs: 100 });
    assert.deepEqual(b.records.map((r) => r.kind === "change" && r.event.key.customer_id), [1, 2]);
    assert.equal(b.quarantined.length, 1);
    assert.equal(b.quarantined[0].topic, "sqlite:_changes");
    assert.equal(b.quarantined[0].offset, "2");
    assert.match(b.quarantined[0].error, /^SyntaxError/);
    assert.deepEqual(b.checkpoint, { sqlite: sqlitePosition(3) });
    await source.close();
  } finally {
    await t.dispose();
  }
});

Deno.test("SqliteSource retries with backoff until the database appears, then gives up after maxAttempts", async () => {
  const dir = await Deno.makeTempDir({ prefix: "cdc-sqlite-late-" });
  try {
    const path = `${dir}/late.sqlite`;
    const source = new SqliteSource({
      path,
      from: { sqlite: sqlitePosition(0) },
      backoff: new Backoff({ initialMs: 20, maxMs: 40, random: () => 0.5 }),
    });
    const pending = source.next({ maxWaitMs: 5000 });
    await new Promise((r) => setTimeout(r, 150));
    const db = new DatabaseSync(path);
    db.exec(SCHEMA);
    db.exec("INSERT INTO Customers (CustomerID, Name) VALUES (1, 'Ann')");
    db.close();
    const b = await pending;
    assert.equal(b.records.length, 1);
    await source.close();
    const hopeless = new SqliteSource({
      path: `${dir}/never.sqlite`,
      from: { sqlite: sqlitePosition(0) },
      backoff: new Backoff({ initialMs: 1, maxMs: 2 }),
      maxAttempts: 3,
    });
    await assert.rejects(hopeless.next({ maxWaitMs: 5000 }), /after 3 attempts/);
    await hopeless.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("SqliteSource follows the faker while it writes: the mirror of its events equals every table", async () => {
  const dir = await Deno.makeTempDir({ prefix: "cdc-faker-" });
  try {
    const path = `${dir}/source.sqlite`;
    await runSetup({ dialect: "sqlite", db: path });
    const source = new SqliteSource({ path, pollIntervalMs: 5 });
    const mirror = new Map<string, Map<string, Row>>();
    const seen: Record<string, { c: number; u: number; d: number }> = {};
    let lastPosition = "";
    let fakerDone = false;
    const apply = (e: ChangeEvent) => {
      assert.ok(e.position > lastPosition, `positions ascend: ${lastPosition} then ${e.position}`);
      lastPosition = e.position;
      const rows = mirror.get(e.table) ?? mirror.set(e.table, new Map()).get(e.table)!;
      const k = JSON.stringify(toJsonValue(e.key));
      if (e.op === "d") rows.delete(k);
      else rows.set(k, e.after!);
      if (e.op !== "r") (seen[e.table] ??= { c: 0, u: 0, d: 0 })[e.op]++;
    };
    const follow = async () => {
      for (;;) {
        const b = await source.next({ maxRecords: 200, maxWaitMs: 100 });
        assert.equal(b.quarantined.length, 0, b.quarantined[0]?.error);
        for (const r of b.records) if (r.kind === "change") apply(r.event);
        if (fakerDone && b.records.length === 0) return;
      }
    };
    const following = follow();
    const report = await runFaker({
      dialect: "sqlite",
      db: path,
      rate: 0,
      ops: 400,
      seed: 11,
      log: () => {},
    });
    fakerDone = true;
    await following;
    await source.close();
    // Every change the faker made was captured once, and the mirror equals each table row for row.
    const expected = Object.fromEntries(
      Object.entries(report.changes).map(([t, c]) => [new Naming().table(t).name, c]),
    );
    assert.deepEqual(seen, expected);
    const db = new DatabaseSync(path, { readOnly: true });
    try {
      const naming = new Naming();
      for (const [table, rows] of mirror) {
        const def = naming.table(table).def!;
        const st = db.prepare(`SELECT * FROM ${def.source}`);
        st.setReadBigInts(true);
        const actual = new Map(
          st.all().map((raw) => {
            const row = sqliteSnapshotRow(raw as Record<string, unknown>, naming.table(def.source));
            return [JSON.stringify(toJsonValue({ [def.key[0]]: row[def.key[0]] })), toJsonValue(row)];
          }),
        );
        assert.deepEqual(new Map([...rows].map(([k, r]) => [k, toJsonValue(r)])), actual, table);
      }
    } finally {
      db.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
