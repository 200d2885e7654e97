import assert from "node:assert/strict";
import { objectMaker } from "./object_maker.ts";

Deno.test("objectMaker() builds objects like assignment in key order, duplicates and odd keys included", () => {
  const keys = ["b", "a", 'q"uote', "b", "2", "\u2028"];
  const values = [1, 2, 3, 4, 5, 6];
  const expected: Record<string, unknown> = {};
  keys.forEach((k, i) => expected[k] = values[i]);
  const made = objectMaker(keys)(values);
  assert.deepStrictEqual(made, expected);
  assert.deepStrictEqual(Object.keys(made), Object.keys(expected));
  const proto = objectMaker(["__proto__", "x"])([{ polluted: true }, 1]);
  assert.deepStrictEqual(Object.keys(proto), ["__proto__", "x"]);
  assert.equal(Object.getPrototypeOf(proto), Object.prototype);
  assert.equal((proto as { polluted?: boolean }).polluted, undefined);
});
