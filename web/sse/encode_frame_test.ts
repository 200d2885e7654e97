import assert from "node:assert/strict";
import { encodeFrame } from "./encode_frame.ts";

Deno.test("encodeFrame() writes fields in order and one data line per payload line", () => {
  assert.equal(
    encodeFrame({ event: "patch", id: "e.2", retry: 3000, data: "a\nb\r\nc" }),
    "event: patch\nid: e.2\nretry: 3000\ndata: a\ndata: b\ndata: c\n\n",
  );
  assert.equal(encodeFrame({ comment: "ping" }), ": ping\n\n");
  assert.equal(encodeFrame({ data: "" }), "data: \n\n");
});

Deno.test("encodeFrame() rejects newlines in event names and ids and bad retry values", () => {
  assert.throws(() => encodeFrame({ event: "a\nb" }), SyntaxError);
  assert.throws(() => encodeFrame({ id: "1\r" }), SyntaxError);
  assert.throws(() => encodeFrame({ retry: -1 }), RangeError);
  assert.throws(() => encodeFrame({ retry: 1.5 }), /Cannot encode SSE retry 1.5/);
});
