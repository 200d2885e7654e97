import assert from "node:assert/strict";
import type { SourceRecord } from "../cdc/source_record.ts";
import { Timestamp } from "../value/mod.ts";
import {
  batchName,
  encodeWalEntry,
  parseBatchName,
  parseWalEntry,
  RecordDigest,
  sameCheckpoint,
  type WalEntry,
} from "./wal_entry.ts";

const entry: WalEntry = {
  job: "j",
  batch: 3,
  start: { "t/0": "10" },
  end: { "t/0": "20", "t/1": "5" },
  records: 15,
  digest: "0000abcd",
  instance: "i-1",
  createdAt: 1,
};

Deno.test("parseWalEntry() reads what encodeWalEntry() wrote", () => {
  assert.deepEqual(parseWalEntry(encodeWalEntry(entry), "x"), entry);
});

Deno.test("parseWalEntry() rejects other content with a SyntaxError naming the object", () => {
  assert.throws(() => parseWalEntry(new TextEncoder().encode("{"), "offsets/1.json"), /offsets\/1\.json/);
  assert.throws(() => parseWalEntry(new TextEncoder().encode('{"format":"x"}'), "o"), SyntaxError);
  const bad = new TextEncoder().encode(
    JSON.stringify({ ...entry, format: "lakestream-wal/2", end: { a: 1 } }),
  );
  assert.throws(() => parseWalEntry(bad, "o"), SyntaxError);
});

Deno.test("batchName() sorts in batch order and parseBatchName() inverts it", () => {
  assert.equal(batchName(42), "00000000000000000042");
  assert.ok(batchName(9) < batchName(10));
  assert.equal(parseBatchName(`${batchName(42)}.json`, ".json"), 42);
  assert.equal(parseBatchName("_latest", ".json"), null);
  assert.throws(() => batchName(-1), RangeError);
});

Deno.test("sameCheckpoint() compares streams and values", () => {
  assert.ok(sameCheckpoint({ a: "1", b: "2" }, { b: "2", a: "1" }));
  assert.ok(!sameCheckpoint({ a: "1" }, { a: "1", b: "2" }));
  assert.ok(!sameCheckpoint({ a: "1" }, { a: "2" }));
});

function change(table: string, position: string, id = 1): SourceRecord {
  return {
    kind: "change",
    event: {
      table,
      op: "c",
      key: { id },
      before: null,
      after: { id: 1 },
      position,
      commitTs: Timestamp.fromMillis(0),
      txId: null,
      snapshot: false,
    },
  };
}

Deno.test("RecordDigest does not depend on order or split, and changes with the records", () => {
  const records = [change("a", "1", 1), change("b", "2", 2), change("a", "3", 3)];
  const one = new RecordDigest();
  one.add(records, []);
  const split = new RecordDigest();
  split.add([records[2]], []);
  split.add([records[0], records[1]], []);
  assert.equal(one.value, split.value);
  assert.equal(one.count, 3);
  const other = new RecordDigest();
  other.add([change("a", "1", 1), change("b", "2", 2), change("a", "4", 4)], []);
  assert.notEqual(other.value, one.value);
  const renumbered = new RecordDigest();
  renumbered.add([change("a", "7", 1), change("b", "8", 2), change("a", "9", 3)], []);
  assert.equal(renumbered.value, one.value, "positions a source renumbers on a re-read do not count");
});
