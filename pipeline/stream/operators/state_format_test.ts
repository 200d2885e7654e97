import assert from "node:assert/strict";
import { ByteReader, ByteWriter } from "./byte_buffer.ts";
import { readHeader, writeHeader } from "./state_format.ts";

Deno.test("readHeader() reads past the header written for the same operator and format", () => {
  const bytes = writeHeader(new ByteWriter(), "mirror/1", "orders").u32(3).finish();
  const r = new ByteReader(bytes, "test state");
  readHeader(r, "mirror/1", "orders");
  assert.equal(r.u32(), 3);
});

Deno.test("readHeader() refuses state of another operator or format", () => {
  const bytes = writeHeader(new ByteWriter(), "mirror/1", "orders").finish();
  assert.throws(
    () => readHeader(new ByteReader(bytes, "x"), "mirror/1", "products"),
    /snapshot is of "orders" \(mirror\/1\)/,
  );
  assert.throws(() => readHeader(new ByteReader(bytes, "x"), "mirror/2", "orders"), RangeError);
});
