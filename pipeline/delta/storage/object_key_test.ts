import assert from "node:assert/strict";
import { checkKey, compareKeys } from "./object_key.ts";

Deno.test("compareKeys() sorts in UTF-8 byte order, unlike UTF-16 string comparison", () => {
  const keys = ["a/😀", "a/\uffff", "a/z", "a/é", "a/", "a", "b", "a/\ue000"];
  const bytes = (s: string) => [...new TextEncoder().encode(s)];
  const byBytes = [...keys].sort((x, y) => {
    const [bx, by] = [bytes(x), bytes(y)];
    for (let i = 0; i < Math.min(bx.length, by.length); i++) if (bx[i] !== by[i]) return bx[i] - by[i];
    return bx.length - by.length;
  });
  assert.deepEqual([...keys].sort(compareKeys), byBytes);
  assert.ok(compareKeys("a/😀", "a/\uffff") > 0);
});

Deno.test("checkKey() rejects absolute keys and dot segments", () => {
  for (const bad of ["", "/a", "a/", "a//b", "./a", "a/../b", "a/."]) {
    assert.throws(() => checkKey("mem://t", bad), TypeError, bad);
  }
  checkKey("mem://t", "_delta_log/00000000000000000000.json");
  checkKey("mem://t", "x=A%2FA/part-0.parquet");
});
