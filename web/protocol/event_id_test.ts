import assert from "node:assert/strict";
import { formatEventId, parseEventId } from "./event_id.ts";

Deno.test("parseEventId() reads what formatEventId() writes and rejects anything else", () => {
  assert.deepEqual(parseEventId(formatEventId({ epoch: "k3x9", seq: 42 })), { epoch: "k3x9", seq: 42 });
  for (const bad of [null, "", "42", "a.b", "a.-1", "a b.1", "x.1.2", `${"e".repeat(33)}.1`]) {
    assert.equal(parseEventId(bad), null, String(bad));
  }
});
