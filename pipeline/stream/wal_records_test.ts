import assert from "node:assert/strict";
import { quarantineRecord } from "../cdc/quarantine.ts";
import type { SourceRecord } from "../cdc/source_record.ts";
import { Decimal, Timestamp } from "../value/mod.ts";
import { decodeBatchRecords, encodeBatchRecords } from "./wal_records.ts";

Deno.test("decodeBatchRecords() gives back the records encodeBatchRecords() wrote, with every value's type", () => {
  const at = new Timestamp(1_700_000_000_123_456_789n, 9, true);
  const records: SourceRecord[] = [
    {
      kind: "change",
      event: {
        table: "orders",
        op: "r",
        key: { order_id: 7 },
        before: null,
        after: {
          order_id: 7,
          total_amount: Decimal.parse("12.30"),
          big: 2n ** 63n - 1n,
          note: "~tilde",
          raw: new Uint8Array([1, 2]),
        },
        position: "00000000000000000042/0000000001",
        commitTs: at,
        txId: null,
        snapshot: true,
      },
    },
    { kind: "heartbeat", ts: null },
    { kind: "tombstone", table: "orders", key: { order_id: 7 } },
  ];
  const quarantined = [
    quarantineRecord({ topic: "t", offset: 9n }, { key: null, value: "{x" }, new SyntaxError("bad"), at),
  ];
  const back = decodeBatchRecords(encodeBatchRecords(records, quarantined), "x");
  assert.deepEqual(back.records, records);
  assert.deepEqual(back.quarantined, quarantined);
});

Deno.test("decodeBatchRecords() rejects other content naming the object and line", () => {
  assert.throws(
    () => decodeBatchRecords(new TextEncoder().encode('{"r":1}\n{oops\n'), "offsets/x"),
    /"offsets\/x" line 2/,
  );
  assert.throws(() => decodeBatchRecords(new TextEncoder().encode('{"z":1}\n'), "o"), /not a record/);
});
