/**
 * The engine over the SQL Server CDC source (recorded CDC rows: SQL Server cannot run here): crash recovery
 * re-reads exact LSN ranges, and a range SQL Server's cleanup job already removed fails recovery clearly.
 */
import assert from "node:assert/strict";
import {
  type CaptureInstance,
  type CdcRow,
  RecordedCdcClient,
  type SqlColumn,
} from "../cdc/source/sqlserver/mod.ts";
import type { SqlServerSource } from "../cdc/source/sqlserver/mod.ts";
import type { ChangeEvent } from "../cdc/change_event.ts";
import { sqlServerPosition } from "../cdc/source_position.ts";
import { expected } from "./_engine_fixture.ts";
import { sqlServerSourceFactory } from "./source_spec.ts";
import { asStored, rowsDiffer, tableRows } from "./_lake_rows.ts";
import { memoryLake } from "./lake.ts";
import { scd2Table } from "./operators/mod.ts";
import { type EngineOptions, StreamEngine } from "./stream_engine.ts";
import type { Lake } from "./lake.ts";

const CUSTOMERS: CaptureInstance = { name: "dbo_Customers", sourceSchema: "dbo", sourceTable: "Customers" };
/** The captured columns as SQL Server's metadata reports them. */
const CUSTOMER_COLUMNS: SqlColumn[] = [
  { name: "CustomerID", ordinal: 1, type: "int", precision: 10, scale: 0 },
  { name: "Name", ordinal: 2, type: "nvarchar", precision: 0, scale: 0 },
  { name: "Email", ordinal: 3, type: "nvarchar", precision: 0, scale: 0 },
  { name: "PhoneNumber", ordinal: 4, type: "varchar", precision: 0, scale: 0 },
  { name: "CreatedAt", ordinal: 5, type: "datetime2", precision: 27, scale: 7 },
  { name: "UpdatedAt", ordinal: 6, type: "datetime2", precision: 27, scale: 7 },
];
const lsn = (tx: number, n = 0) =>
  `0000002b:${tx.toString(16).padStart(8, "0")}:${n.toString(16).padStart(4, "0")}`;

function customer(id: number, name: string) {
  return {
    CustomerID: id,
    Name: name,
    Email: `c${id}@example.com`,
    PhoneNumber: null,
    CreatedAt: "2025-07-26 10:15:00.1234567",
    UpdatedAt: "2025-07-26 10:15:00.1234567",
  };
}

/** Transaction `tx`: customer `id` inserted (first time) or renamed. */
function change(tx: number, id: number, first: boolean): CdcRow[] {
  const at = `2025-07-26T12:${String(Math.floor(tx / 60)).padStart(2, "0")}:${
    String(tx % 60).padStart(2, "0")
  }.127+02:00`;
  const row = (seq: number, operation: number, name: string): CdcRow => ({
    startLsn: lsn(tx),
    seqval: lsn(tx, seq),
    operation,
    commitTime: at,
    columns: customer(id, name),
  });
  return first ? [row(1, 2, `n${id}`)] : [row(1, 3, `n${id}`), row(1, 4, `n${id} v${tx}`)];
}

function options(lake: Lake, client: RecordedCdcClient, extra: Partial<EngineOptions> = {}): EngineOptions {
  return {
    job: "j",
    lake,
    openSource: sqlServerSourceFactory(() => Promise.resolve(client), { pollIntervalMs: 1 }),
    maxBatchEvents: 7,
    maxBatchMs: 10,
    idleWaitMs: 10,
    stateEveryBatches: 3,
    replayTimeoutMs: 500,
    ...extra,
  };
}

async function drain(engine: StreamEngine, steps = Infinity): Promise<void> {
  for (let i = 0; i < steps && (await engine.step()).kind === "batch"; i++) { /* next */ }
}

Deno.test("StreamEngine over SQL Server CDC: a crash mid-run recovers exact LSN ranges; the table is what the operators make of every change", async () => {
  const client = new RecordedCdcClient([CUSTOMERS], { [CUSTOMERS.name]: CUSTOMER_COLUMNS });
  const crashed = memoryLake();
  // Snapshot of the empty tables first, then the changes arrive.
  let engine = await StreamEngine.open(options(crashed, client));
  await engine.step();
  const seen = new Set<number>();
  for (let tx = 1; tx <= 60; tx++) {
    const id = (tx * 7) % 11 + 1;
    client.append(CUSTOMERS.name, ...change(tx, id, !seen.has(id)));
    seen.add(id);
  }
  await drain(engine, 5);
  // Crash: no close, no final state; batches 4 and 5 are only in the WAL.
  engine = await StreamEngine.open(options(crashed, client));
  assert.equal(engine.lastBatch, 5);
  await drain(engine);
  await engine.close();
  // What the operators make of every change, read in one go from before the first transaction.
  const all = sqlServerSourceFactory(() => Promise.resolve(client), { pollIntervalMs: 1 })({
    sqlserver: sqlServerPosition({ commitLsn: lsn(0), changeLsn: null, eventSerialNo: 0 }),
  }) as SqlServerSource;
  const events: ChangeEvent[] = [];
  for (;;) {
    const b = await all.next({ maxRecords: 1000, maxWaitMs: 20 });
    if (b.records.length === 0) break;
    for (const r of b.records) if (r.kind === "change") events.push(r.event);
  }
  await all.close();
  const t = scd2Table();
  const rows = await tableRows(crashed.open(t.name), t.key);
  assert.ok(rows.length > 11, `${rows.length} versions`);
  assert.equal(rowsDiffer(rows, asStored(expected(events).rows(t.name), t.schema), t.name), null);
});

Deno.test("StreamEngine over SQL Server CDC: recovery names the job, batch and range when cleanup removed them", async () => {
  const client = new RecordedCdcClient([CUSTOMERS], { [CUSTOMERS.name]: CUSTOMER_COLUMNS });
  const lake = memoryLake();
  const engine = await StreamEngine.open(options(lake, client, { stateEveryBatches: 1000 }));
  await engine.step();
  for (let tx = 1; tx <= 20; tx++) client.append(CUSTOMERS.name, ...change(tx, tx, true));
  await drain(engine, 2);
  client.cleanup(CUSTOMERS.name, lsn(15));
  await assert.rejects(
    StreamEngine.open(options(lake, client)),
    /Cannot recover job "j": re-reading batch 2 \(range .*\) failed: /,
  );
});
