import assert from "node:assert/strict";
import { ByteRun } from "./byte_run.ts";

Deno.test("ByteRun.at() and startsOf() find the run at any alignment and length", () => {
  const enc = new TextEncoder();
  const run = new ByteRun(enc.encode('{"schema":{"type":"struct"},"payload":'));
  for (let shift = 0; shift < 9; shift++) {
    const text = '{"schema":{"type":"struct"},"payload":{"a":1}}';
    const buf = new Uint8Array(shift + text.length);
    buf.set(enc.encode(text), shift);
    const input = buf.subarray(shift);
    assert.ok(run.startsOf(input), `shift ${shift}`);
    const other = input.slice();
    other[run.length - 2] = 0x3b; // one byte differs near the end
    assert.ok(!run.startsOf(other));
    other.set(input);
    other[3] = 0x41;
    assert.ok(!run.startsOf(other));
    assert.ok(!run.startsOf(input.subarray(0, run.length - 1)), "too short");
  }
  const key = new ByteRun(enc.encode(',"a":'));
  const input = enc.encode('{"x":1,"a":2}');
  assert.ok(key.at(input, new DataView(input.buffer), 6));
  assert.ok(!key.at(input, new DataView(input.buffer), 5));
  assert.ok(!key.at(input, new DataView(input.buffer), 10), "past the end");
});
