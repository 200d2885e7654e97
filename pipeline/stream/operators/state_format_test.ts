import assert from "node:assert/strict";
import { beginState, openState } from "./state_format.ts";

Deno.test("openState() reads past the header of a matching snapshot", () => {
  const bytes = beginState("mirror/1", "orders").u32(3).finish();
  assert.equal(openState(bytes, "mirror/1", "orders").u32(), 3);
});

Deno.test("openState() refuses a snapshot of another operator or format", () => {
  const bytes = beginState("mirror/1", "orders").finish();
  assert.throws(() => openState(bytes, "mirror/1", "products"), /snapshot is of "orders" \(mirror\/1\)/);
  assert.throws(() => openState(bytes, "mirror/2", "orders"), RangeError);
});
