import assert from "node:assert/strict";
import { decodeMetadataResponse, encodeMetadataRequest, fetchKafkaMetadata } from "./kafka_metadata.ts";

/** Builds a Metadata v4 response body the way a broker writes it. */
function response(correlationId: number): Uint8Array {
  const parts: number[] = [];
  const i8 = (v: number) => parts.push(v & 0xff);
  const i16 = (v: number) => parts.push((v >> 8) & 0xff, v & 0xff);
  const i32 = (v: number) => parts.push((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
  const str = (s: string | null) => {
    if (s === null) return i16(-1);
    const b = new TextEncoder().encode(s);
    i16(b.length);
    parts.push(...b);
  };
  i32(correlationId);
  i32(0); // throttle
  i32(1); // brokers
  i32(1), str("127.0.0.1"), i32(19092), str(null);
  str("clusterX");
  i32(1);
  i32(2); // topics
  i16(0), str("__consumer_offsets"), i8(1), i32(0);
  i16(0), str("orders"), i8(0), i32(1);
  i16(0), i32(0), i32(1), i32(1), i32(1), i32(1), i32(1); // one partition: replicas [1], isr [1]
  return new Uint8Array(parts);
}

Deno.test("encodeMetadataRequest() writes a size-prefixed v4 request for all topics", () => {
  const req = encodeMetadataRequest(7, "cid");
  const view = new DataView(req.buffer);
  assert.equal(view.getInt32(0), req.length - 4);
  assert.equal(view.getInt16(4), 3); // Metadata
  assert.equal(view.getInt16(6), 4);
  assert.equal(view.getInt32(8), 7);
  assert.equal(new TextDecoder().decode(req.subarray(14, 17)), "cid");
  assert.equal(view.getInt32(17), -1); // topics = null: all
  assert.equal(req[21], 0); // no auto-creation
});

Deno.test("decodeMetadataResponse() reads brokers, cluster id and topics", () => {
  assert.deepEqual(decodeMetadataResponse(response(9), 9), {
    clusterId: "clusterX",
    controllerId: 1,
    brokers: [{ nodeId: 1, host: "127.0.0.1", port: 19092 }],
    topics: [
      { name: "__consumer_offsets", errorCode: 0, internal: true, partitions: 0 },
      { name: "orders", errorCode: 0, internal: false, partitions: 1 },
    ],
  });
});

Deno.test("decodeMetadataResponse() throws SyntaxError on a wrong correlation id or truncated bytes", () => {
  assert.throws(() => decodeMetadataResponse(response(9), 8), /correlation id 9, expected 8/);
  const full = response(9);
  assert.throws(() => decodeMetadataResponse(full.subarray(0, full.length - 3), 9), /truncated/);
});

Deno.test("fetchKafkaMetadata() sends the request and decodes the answer of a loopback server", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const served = (async () => {
    const conn = await listener.accept();
    const head = new Uint8Array(4);
    await conn.read(head);
    const body = new Uint8Array(new DataView(head.buffer).getInt32(0));
    for (let off = 0; off < body.length;) off += (await conn.read(body.subarray(off))) ?? body.length;
    const correlationId = new DataView(body.buffer).getInt32(4);
    const res = response(correlationId);
    const framed = new Uint8Array(4 + res.length);
    new DataView(framed.buffer).setInt32(0, res.length);
    framed.set(res, 4);
    await conn.write(framed);
    conn.close();
  })();
  try {
    const meta = await fetchKafkaMetadata("127.0.0.1", listener.addr.port, AbortSignal.timeout(5000));
    assert.equal(meta.clusterId, "clusterX");
    assert.equal(meta.topics.length, 2);
  } finally {
    await served;
    listener.close();
  }
});

Deno.test("fetchKafkaMetadata() rejects when nothing listens", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  await assert.rejects(
    fetchKafkaMetadata("127.0.0.1", port, AbortSignal.timeout(2000)),
    Deno.errors.ConnectionRefused,
  );
});
