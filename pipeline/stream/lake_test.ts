import assert from "node:assert/strict";
import { memoryLake, openLake } from "./lake.ts";

Deno.test("openLake() opens table folders under the lake URI", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const lake = openLake(`${dir}/`);
    assert.equal(lake.url, dir);
    await lake.open("orders").put("a.txt", new TextEncoder().encode("x"));
    assert.equal(await Deno.readTextFile(`${dir}/orders/a.txt`), "x");
    assert.equal(lake.open("_checkpoints/job").url, `${dir}/_checkpoints/job`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("memoryLake() gives the same store for the same folder", async () => {
  const lake = memoryLake();
  await lake.open("t").put("k", new Uint8Array([1]));
  assert.deepEqual(await lake.open("t").get("k"), new Uint8Array([1]));
  assert.equal(await lake.open("u").head("k"), null);
});

Deno.test("Lake.open() rejects paths that are not relative folders", () => {
  for (const path of ["", "/abs", "a//b", "../x", "a/./b"]) {
    assert.throws(() => memoryLake().open(path), TypeError);
    assert.throws(() => openLake("/tmp/lake").open(path), TypeError);
  }
});
