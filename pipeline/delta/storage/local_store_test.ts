import assert from "node:assert/strict";
import { LocalStore } from "./local_store.ts";
import { objectStoreContract } from "./object_store_contract.ts";

Deno.test("LocalStore passes the ObjectStore contract", async (t) => {
  const root = await Deno.makeTempDir({ prefix: "lakestream-local-store-" });
  try {
    let n = 0;
    await objectStoreContract(t, () => Promise.resolve(new LocalStore(`${root}/${n++}`)));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("LocalStore.putIfAbsent() leaves no temp files behind, whether it wins or loses", async () => {
  const root = await Deno.makeTempDir({ prefix: "lakestream-local-store-" });
  try {
    const store = new LocalStore(root);
    const bytes = new TextEncoder().encode("{}\n");
    await Promise.allSettled(Array.from({ length: 8 }, () => store.putIfAbsent("_delta_log/a.json", bytes)));
    await store.put("_delta_log/b.json", bytes);
    const names = (await Array.fromAsync(Deno.readDir(`${root}/_delta_log`))).map((e) => e.name).sort();
    assert.deepEqual(names, ["a.json", "b.json"]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("LocalStore.list() hides temp files a crashed writer left behind", async () => {
  const root = await Deno.makeTempDir({ prefix: "lakestream-local-store-" });
  try {
    await Deno.mkdir(`${root}/_delta_log`);
    await Deno.writeTextFile(`${root}/_delta_log/.lakestream-tmp-0f0f`, "partial");
    await Deno.writeTextFile(`${root}/_delta_log/00000000000000000000.json`, "{}\n");
    const keys = (await Array.fromAsync(new LocalStore(root).list(""))).map((m) => m.key);
    assert.deepEqual(keys, ["_delta_log/00000000000000000000.json"]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
