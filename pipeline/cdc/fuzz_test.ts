/**
 * Seeded fuzzing of the decoder: 100k mutated and random messages, each either decoded into records whose lake
 * encoding works, or quarantined with an error of ours (never a crash, a hang, or a JS runtime error).
 */
import assert from "node:assert/strict";
import { Timestamp, toJsonValue } from "../value/mod.ts";
import { DebeziumDecoder } from "./debezium_decoder.ts";
import { corpus, mutateStructure, mutateText, prng, randomBytes } from "./fuzz_corpus.ts";
import { decodeOrQuarantine } from "./quarantine.ts";

const MESSAGES = 100_000;
const RUNTIME_BUG =
  /Cannot read propert|is not a function|is not iterable|undefined is not|Maximum call stack|NeedsLossless/;

Deno.test(`DebeziumDecoder survives ${MESSAGES} mutated and random messages: each decodes or is quarantined`, () => {
  const rnd = prng(20260124);
  const seeds = corpus();
  const decoder = new DebeziumDecoder();
  const now = () => Timestamp.fromMillis(0);
  const enc = new TextEncoder();
  let decoded = 0;
  let quarantined = 0;
  for (let i = 0; i < MESSAGES; i++) {
    const seed = seeds[Math.floor(rnd() * seeds.length)];
    let value: Uint8Array | string | null;
    const kind = rnd();
    if (kind < 0.45) {
      value = mutateText(seed.value, rnd);
    } else if (kind < 0.85) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(seed.value);
      } catch {
        parsed = seed.value;
      }
      value = JSON.stringify(mutateStructure(parsed, rnd)) ?? "null";
    } else if (kind < 0.95) {
      value = randomBytes(rnd);
    } else {
      value = rnd() < 0.5 ? null : seed.value;
    }
    if (typeof value === "string" && rnd() < 0.5) value = enc.encode(value);
    const key = rnd() < 0.1 ? mutateText(seed.key ?? "null", rnd) : seed.key;
    const topic = rnd() < 0.1 ? null : seed.topic ?? "fuzz.public.things";
    const out = decodeOrQuarantine(
      decoder,
      { topic: topic ?? "fuzz", partition: 0, offset: i, key, value },
      now,
    );
    if (out.record) {
      decoded++;
      if (out.record.kind === "change") {
        const e = out.record.event;
        assert.ok(["c", "u", "d", "r"].includes(e.op));
        assert.ok(Object.keys(e.key).length > 0, "a change always has a key");
        assert.ok(/^[0-9a-f:/]+$|^\d{20}\/\d{10}$/.test(e.position), e.position);
        toJsonValue(e.key);
        if (e.after) JSON.stringify(toJsonValue(e.after));
        if (e.before) JSON.stringify(toJsonValue(e.before));
      }
    } else {
      quarantined++;
      const q = out.quarantine;
      assert.ok(/^(SyntaxError|TypeError|RangeError): /.test(q.error), q.error);
      assert.ok(!RUNTIME_BUG.test(q.error), `decoder bug on message ${i}: ${q.error}`);
      assert.equal(q.offset, String(i));
    }
  }
  assert.equal(decoded + quarantined, MESSAGES);
  assert.ok(
    decoded > MESSAGES / 10,
    `only ${decoded} decoded: the mutations are too destructive to test much`,
  );
  assert.ok(quarantined > MESSAGES / 10, `only ${quarantined} quarantined`);
});
