import assert from "node:assert/strict";
import { Timestamp } from "../value/mod.ts";
import { DebeziumDecoder } from "./debezium_decoder.ts";
import { QUARANTINE_SCHEMA, quarantineRecord, quarantineRow } from "./quarantine.ts";

Deno.test("quarantineRecord() keeps the raw bytes, where they came from and why they failed", () => {
  const value = new Uint8Array([0x7b, 0xff]);
  let error: unknown;
  try {
    new DebeziumDecoder().decode({ topic: "lakestream.public.orders", key: '{"id":1}', value });
  } catch (e) {
    error = e;
  }
  const now = Timestamp.parse("2026-01-02T03:04:05Z");
  const q = quarantineRecord(
    { topic: "lakestream.public.orders", partition: 2, offset: 9007199254740993n },
    {
      key: '{"id":1}',
      value,
    },
    error,
    now,
  );
  assert.deepEqual(q, {
    topic: "lakestream.public.orders",
    partition: 2,
    offset: "9007199254740993",
    key: "eyJpZCI6MX0=",
    value: "e/8=",
    error: "SyntaxError: Cannot decode message: not valid UTF-8",
    timestamp: now,
  });
  const row = quarantineRow(q);
  assert.deepEqual(row.value, value);
  assert.deepEqual(Object.keys(row), QUARANTINE_SCHEMA.fields.map((f) => f.name));
});

Deno.test("quarantineRecord() keeps null keys and values as nulls and describes non-Error throws", () => {
  const q = quarantineRecord(
    { topic: "t", offset: 1 },
    { key: null, value: null },
    "boom",
    Timestamp.fromMillis(0),
  );
  assert.equal(q.key, null);
  assert.equal(q.value, null);
  assert.equal(q.partition, 0);
  assert.equal(q.error, "Error: boom");
  assert.equal(quarantineRow(q).key, null);
});
