import assert from "node:assert/strict";
import { ByteReader, ByteWriter } from "./byte_buffer.ts";

Deno.test("ByteWriter output reads back in order across buffer growth", () => {
  const w = new ByteWriter();
  const long = "é€𝄞".repeat(200_000);
  w.u8(200).u32(7).f64(-0.25).string("").string(long).bytes(new Uint8Array([1, 2, 3])).u32(0xffffffff);
  const r = new ByteReader(w.finish(), "test data");
  assert.equal(r.u8(), 200);
  assert.equal(r.u32(), 7);
  assert.equal(r.f64(), -0.25);
  assert.equal(r.string(), "");
  assert.equal(r.string(), long);
  assert.deepEqual([...r.bytes()], [1, 2, 3]);
  assert.equal(r.u32(), 0xffffffff);
  r.end();
  const big = new Uint8Array(3 << 20).fill(7);
  const w2 = new ByteWriter().u8(1).bytes(big).u8(2);
  assert.equal(w2.length, 1 + 4 + big.length + 1);
  const r2 = new ByteReader(w2.finish(), "big");
  assert.deepEqual([r2.u8(), r2.bytes().every((x) => x === 7), r2.u8()], [1, true, 2]);
});

Deno.test("ByteReader throws a RangeError naming the data when it is truncated or too long", () => {
  const bytes = new ByteWriter().string("hello").finish();
  assert.throws(
    () => new ByteReader(bytes.subarray(0, 6), "state of x").string(),
    /state of x: unexpected end/,
  );
  const r = new ByteReader(bytes, "state of x");
  r.u32();
  assert.throws(() => r.end(), /5 unexpected bytes/);
});

Deno.test("ByteWriter.u32() rejects values that do not fit", () => {
  assert.throws(() => new ByteWriter().u32(-1), RangeError);
  assert.throws(() => new ByteWriter().u32(2 ** 32), RangeError);
});
