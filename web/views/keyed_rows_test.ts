import assert from "node:assert/strict";
import { Decimal } from "../../pipeline/value/mod.ts";
import { KeyedRows, keyText } from "./keyed_rows.ts";

Deno.test("KeyedRows.apply() reports inserts, updates and deletes, not rows a rewrite kept", () => {
  const t = new KeyedRows(["id"]);
  assert.deepEqual(t.apply([], [{ id: 1, v: "a" }, { id: 2, v: "b" }]).map((c) => c.key), ["id=1", "id=2"]);
  const changes = t.apply([{ id: 1, v: "a" }, { id: 2, v: "b" }], [{ id: 1, v: "a" }, { id: 2, v: "B" }]);
  assert.deepEqual(changes, [{ key: "id=2", before: { id: 2, v: "b" }, after: { id: 2, v: "B" } }]);
  assert.deepEqual(t.apply([{ id: 1, v: "a" }], []), [{
    key: "id=1",
    before: { id: 1, v: "a" },
    after: null,
  }]);
  assert.equal(t.size, 1);
});

Deno.test("keyText() writes key columns in the lake's value encoding", () => {
  assert.equal(keyText({ a: 7n, b: Decimal.parse("1.50"), c: null }, ["a", "b", "c"]), "a=7,b=1.50,c=null");
});
