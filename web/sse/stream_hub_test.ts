import assert from "node:assert/strict";
import { StreamHub, type StreamHubOptions } from "./stream_hub.ts";
import { emptyDoc, type FeedItem, type Patch } from "../protocol/mod.ts";

interface Event {
  event: string;
  id?: string;
  retry?: number;
  data: string;
}

/** Reads whole frames from an SSE body (test-side parser; the browser uses EventSource). */
class FrameReader {
  #reader: ReadableStreamDefaultReader<Uint8Array>;
  #buffer = "";
  #decoder = new TextDecoder();
  constructor(body: ReadableStream<Uint8Array>) {
    this.#reader = body.getReader();
  }
  /** Frames from exactly one chunk (one pull of the hub). */
  async chunk(): Promise<Event[] | null> {
    const { value, done } = await this.#reader.read();
    if (done) return null;
    this.#buffer += this.#decoder.decode(value, { stream: true });
    const frames = this.#buffer.split("\n\n");
    this.#buffer = frames.pop() ?? "";
    return frames.map((f) => {
      const e: Event = { event: "message", data: "" };
      const data: string[] = [];
      for (const line of f.split("\n")) {
        const [k, ...rest] = line.split(": ");
        const v = rest.join(": ");
        if (k === "event") e.event = v;
        else if (k === "id") e.id = v;
        else if (k === "retry") e.retry = Number(v);
        else if (k === "data") data.push(v);
      }
      e.data = data.join("\n");
      return e;
    });
  }
  cancel(): Promise<void> {
    return this.#reader.cancel();
  }
}

function hub(options: Partial<StreamHubOptions> = {}): StreamHub {
  return new StreamHub(emptyDoc(), {
    epoch: "e1",
    random: () => 0,
    retryMs: 1000,
    now: () => 1234,
    ...options,
  });
}

function feed(n: number): Patch {
  const item: FeedItem = {
    id: `f${n}`,
    table: "orders",
    op: "c",
    key: `order_id=${n}`,
    at: n,
    version: n,
    fields: [],
  };
  return { feed: [item] };
}

Deno.test("StreamHub.respond() starts with retry and a snapshot, then sends each patch with its id", async () => {
  const h = hub();
  const res = h.respond(null);
  assert.equal(res.headers.get("content-type"), "text/event-stream; charset=utf-8");
  assert.equal(res.headers.get("cache-control"), "no-cache, no-transform");
  const r = new FrameReader(res.body!);
  const first = await r.chunk();
  assert.deepEqual(first?.map((e) => [e.event, e.id, e.retry]), [["message", undefined, 1000], [
    "snapshot",
    "e1.0",
    undefined,
  ]]);
  assert.deepEqual(JSON.parse(first![1].data), emptyDoc());
  h.publish(feed(1));
  const second = await r.chunk();
  assert.equal(second?.[0].event, "patch");
  assert.equal(second?.[0].id, "e1.1");
  assert.deepEqual(JSON.parse(second![0].data), feed(1));
  await r.cancel();
  assert.equal(h.stats.clients, 0);
  h.close();
});

Deno.test("StreamHub coalesces the patches a slow client missed into one frame", async () => {
  const h = hub();
  const r = new FrameReader(h.respond(null).body!);
  await r.chunk();
  for (let i = 1; i <= 5; i++) h.publish(feed(i));
  const frames = await r.chunk();
  assert.equal(frames?.length, 1);
  assert.equal(frames?.[0].id, "e1.5");
  assert.deepEqual(JSON.parse(frames![0].data).feed.map((f: FeedItem) => f.id), [
    "f1",
    "f2",
    "f3",
    "f4",
    "f5",
  ]);
  assert.equal(h.stats.coalesced, 1);
  await r.cancel();
  h.close();
});

Deno.test("StreamHub.respond() resumes from a known id without a snapshot", async () => {
  const h = hub();
  for (let i = 1; i <= 5; i++) h.publish(feed(i));
  const r = new FrameReader(h.respond("e1.2").body!);
  const frames = await r.chunk();
  assert.deepEqual(frames?.map((e) => e.event), ["message", "patch"]);
  assert.equal(frames?.[1].id, "e1.5");
  assert.deepEqual(JSON.parse(frames![1].data).feed.map((f: FeedItem) => f.id), ["f3", "f4", "f5"]);
  await r.cancel();
  h.close();
});

Deno.test("StreamHub.respond() sends a snapshot when the id is too old, from another epoch or malformed", async () => {
  const h = hub({ ringSize: 2 });
  for (let i = 1; i <= 5; i++) h.publish(feed(i));
  for (const since of ["e1.2", "e0.4", "e1.9", "garbage"]) {
    const r = new FrameReader(h.respond(since).body!);
    const frames = await r.chunk();
    assert.deepEqual(frames?.map((e) => e.event), ["message", "snapshot"], since);
    assert.equal(frames?.[1].id, "e1.5");
    assert.deepEqual(JSON.parse(frames![1].data).feed.map((f: FeedItem) => f.id), [
      "f1",
      "f2",
      "f3",
      "f4",
      "f5",
    ]);
    await r.cancel();
  }
  const r = new FrameReader(h.respond("e1.3").body!);
  assert.deepEqual(
    (await r.chunk())?.map((e) => e.event),
    ["message", "patch"],
    "e1.3 is still in a ring of 2",
  );
  await r.cancel();
  h.close();
});

Deno.test("StreamHub sends named heartbeat events with the server time", async () => {
  const h = hub({ heartbeatMs: 10 });
  const r = new FrameReader(h.respond(null).body!);
  await r.chunk();
  const frames = await r.chunk();
  assert.deepEqual(frames?.map((e) => [e.event, e.id, e.data]), [["heartbeat", undefined, '{"now":1234}']]);
  await r.cancel();
  h.close();
});

Deno.test("StreamHub.close() ends every stream and refuses new clients", async () => {
  const h = hub();
  const r = new FrameReader(h.respond(null).body!);
  await r.chunk();
  h.close();
  assert.equal(await r.chunk(), null);
  const res = h.respond(null);
  assert.equal(res.status, 503);
  await res.body?.cancel();
});

Deno.test("StreamHub works with Deno's EventSource, resuming with Last-Event-ID after a server restart", async () => {
  const h = hub({ retryMs: 50 });
  const handler = (req: Request) => h.respond(req.headers.get("last-event-id"));
  let server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, handler);
  const port = server.addr.port;
  const es = new EventSource(`http://127.0.0.1:${port}/`);
  const seen: string[] = [];
  let waiter: (() => void) | null = null;
  const record = (e: MessageEvent) => {
    const data = JSON.parse(e.data);
    seen.push(`${e.type}:${e.lastEventId}:${(data.feed ?? []).map((f: FeedItem) => f.id).join(",")}`);
    waiter?.();
  };
  es.addEventListener("snapshot", record);
  es.addEventListener("patch", record);
  const until = (n: number) =>
    new Promise<void>((resolve) => {
      waiter = () => seen.length >= n && resolve();
      waiter();
    });
  try {
    await until(1);
    h.publish(feed(1));
    await until(2);
    h.disconnectAll();
    await server.shutdown();
    h.publish(feed(2));
    h.publish(feed(3));
    server = Deno.serve({ hostname: "127.0.0.1", port, onListen() {} }, handler);
    await until(3);
    assert.deepEqual(seen, ["snapshot:e1.0:", "patch:e1.1:f1", "patch:e1.3:f2,f3"]);
  } finally {
    es.close();
    h.close();
    await server.shutdown();
  }
});

Deno.test("StreamHub coalesces for a client whose socket is full and delivers the same final state", async () => {
  const h = hub();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    (req) => h.respond(req.headers.get("last-event-id")),
  );
  try {
    const res = await fetch(`http://127.0.0.1:${server.addr.port}/`);
    const big = "x".repeat(50_000);
    for (let i = 1; i <= 400; i++) {
      h.publish({ set: { funnel: { stages: [{ status: big, orders: i, kind: "flow" }], total: i } } });
      if (i % 20 === 0) await new Promise((r) => setTimeout(r, 5));
    }
    // 400 × 50 KB = 20 MB published; a client that read nothing holds only what the sockets buffered.
    assert.ok(h.stats.frames < 200, `frames built for the stalled client: ${h.stats.frames}`);
    const r = new FrameReader(res.body!);
    let last = "";
    let total = -1;
    while (last !== "e1.400") {
      for (const e of (await r.chunk()) ?? []) {
        if (e.id) last = e.id;
        if (e.event === "patch") total = JSON.parse(e.data).set.funnel.total;
      }
    }
    assert.equal(total, 400);
    assert.ok(h.stats.coalesced >= 1, "the backlog went out as coalesced patches");
    await r.cancel();
  } finally {
    h.close();
    await server.shutdown();
  }
});
