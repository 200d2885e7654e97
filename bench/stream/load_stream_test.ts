import assert from "node:assert/strict";
import type { ChangeEvent } from "../../pipeline/cdc/change_event.ts";
import { DebeziumDecoder } from "../../pipeline/cdc/debezium_decoder.ts";
import { OperatorSet } from "../../pipeline/stream/operators/mod.ts";
import { LoadStream, type StreamMessage } from "./load_stream.ts";

function run(seed: number): { messages: StreamMessage[]; stream: LoadStream } {
  const stream = new LoadStream({
    prefix: "bench",
    seed,
    products: 50,
    duplicateRate: 0.02,
    reorderRate: 0.02,
  });
  const messages = stream.snapshot(200, Date.UTC(2026, 0, 1));
  for (let i = 0; i < 3000; i++) messages.push(...stream.next(Date.UTC(2026, 0, 1) + 1000 + i));
  messages.push(...stream.flush());
  return { messages, stream };
}

Deno.test("LoadStream renders Debezium messages the decoder and the operators accept, with duplicates and reordering", () => {
  const { messages, stream } = run(3);
  const decoder = new DebeziumDecoder();
  const events: ChangeEvent[] = [];
  let tombstones = 0;
  for (const m of messages) {
    const r = decoder.decode({ topic: m.topic, key: m.key, value: m.value });
    if (r.kind === "change") events.push(r.event);
    else if (r.kind === "tombstone") tombstones++;
    else assert.fail(`unexpected ${r.kind}`);
  }
  assert.equal(events.length, stream.events);
  assert.deepEqual(new OperatorSet().problems(events), []);
  const ops = Map.groupBy(events, (e) => e.op);
  assert.ok(
    (ops.get("d")?.length ?? 0) > 0 && tombstones === new Set(ops.get("d")!.map((e) => e.position)).size,
    "each delete (duplicates aside) with its tombstone",
  );
  assert.ok((ops.get("u")?.length ?? 0) > 0 && (ops.get("c")?.length ?? 0) > 0);
  const positions = events.map((e) => `${e.table}|${e.position}`);
  const distinct = new Set(positions).size;
  assert.ok(distinct < positions.length, "some events are duplicates");
  const late = events.filter((e, i) =>
    i > 0 && e.table === events[i - 1].table && e.position < events[i - 1].position
  );
  assert.ok(late.length > 0, "some events arrive after a later one of their table");
  assert.ok(events.every((e) => e.commitTs.epochMillis >= Date.UTC(2026, 0, 1)));
  assert.deepEqual(run(3).messages.map((m) => m.value), messages.map((m) => m.value), "seeded");
});
