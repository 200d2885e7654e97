/**
 * The contract every {@linkcode ObjectStore} passes: one suite, run by the in-memory, local-disk and S3/MinIO
 * tests, so the three implementations cannot drift apart.
 *
 * @module
 */
import assert from "node:assert/strict";
import { AlreadyExistsError, NotFoundError, type ObjectStore } from "./object_store.ts";

/** Options for {@linkcode objectStoreContract}. */
export interface ObjectStoreContractOptions {
  /**
   * How many keys the pagination case lists; above 1000 it crosses an S3 ListObjectsV2 page.
   * @default 1005
   */
  manyKeys?: number;
  /** Concurrent `putIfAbsent` calls racing for one key. @default 16 */
  racers?: number;
}

const text = (s: string) => new TextEncoder().encode(s);
const str = (b: Uint8Array) => new TextDecoder().decode(b);

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

async function keysOf(store: ObjectStore, prefix: string, startAfter?: string): Promise<string[]> {
  const out: string[] = [];
  for await (const m of store.list(prefix, { startAfter })) out.push(m.key);
  return out;
}

/**
 * Runs the contract as steps of `t`. `open` returns a fresh, empty store for each step (so steps do not see
 * each other's objects).
 */
export async function objectStoreContract(
  t: Deno.TestContext,
  open: () => Promise<ObjectStore>,
  options: ObjectStoreContractOptions = {},
): Promise<void> {
  const manyKeys = options.manyKeys ?? 1005;
  const racers = options.racers ?? 16;

  await t.step("get() of a missing key rejects with NotFoundError; head() returns null", async () => {
    const store = await open();
    await assert.rejects(store.get("nope/x.json"), NotFoundError);
    assert.equal(await store.head("nope/x.json"), null);
  });

  await t.step("put() then get() returns the bytes; put() replaces the whole object", async () => {
    const store = await open();
    const before = Date.now();
    await store.put("a/b.json", text("first version, long"));
    assert.equal(str(await store.get("a/b.json")), "first version, long");
    await store.put("a/b.json", text("second"));
    assert.equal(str(await store.get("a/b.json")), "second");
    const meta = await store.head("a/b.json");
    assert.equal(meta?.key, "a/b.json");
    assert.equal(meta?.size, 6);
    // lastModified is a wall-clock ms time (S3 has second resolution).
    assert.ok(Math.abs((meta?.lastModified ?? 0) - before) < 60_000, `lastModified ${meta?.lastModified}`);
  });

  await t.step("put() and get() keep empty objects and arbitrary bytes", async () => {
    const store = await open();
    await store.put("empty", new Uint8Array());
    assert.deepEqual(await store.get("empty"), new Uint8Array());
    const bytes = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 7919) & 0xff);
    await store.put("bin/all.bin", bytes);
    assert.deepEqual(await store.get("bin/all.bin"), bytes);
  });

  await t.step("get() with a range returns exactly those bytes, clamped at the end", async () => {
    const store = await open();
    await store.put("r.bin", text("0123456789"));
    assert.equal(str(await store.get("r.bin", { offset: 2, length: 3 })), "234");
    assert.equal(str(await store.get("r.bin", { offset: 0, length: 10 })), "0123456789");
    assert.equal(str(await store.get("r.bin", { offset: 6, length: 4 })), "6789");
    assert.equal(str(await store.get("r.bin", { offset: 8, length: 100 })), "89");
    assert.equal(str(await store.get("r.bin", { offset: 4, length: 0 })), "");
    await assert.rejects(store.get("missing.bin", { offset: 0, length: 4 }), NotFoundError);
  });

  await t.step(
    "putIfAbsent() creates once, then rejects with AlreadyExistsError and keeps the bytes",
    async () => {
      const store = await open();
      await store.putIfAbsent("_delta_log/00000000000000000000.json", text("winner"));
      const err = await store.putIfAbsent("_delta_log/00000000000000000000.json", text("loser")).then(
        () => null,
        (e) => e,
      );
      assert.ok(err instanceof AlreadyExistsError, String(err));
      assert.equal(err.key, "_delta_log/00000000000000000000.json");
      assert.equal(str(await store.get("_delta_log/00000000000000000000.json")), "winner");
    },
  );

  await t.step(`putIfAbsent() lets exactly one of ${racers} concurrent writers win`, async () => {
    const store = await open();
    for (let round = 0; round < 3; round++) {
      const key = `_delta_log/${String(round).padStart(20, "0")}.json`;
      const results = await Promise.allSettled(
        Array.from({ length: racers }, (_, i) => store.putIfAbsent(key, text(`writer ${i}`))),
      );
      const won = results.flatMap((r, i) => r.status === "fulfilled" ? [i] : []);
      assert.equal(won.length, 1, `round ${round}: winners ${won}`);
      for (const r of results) {
        if (r.status === "rejected") assert.ok(r.reason instanceof AlreadyExistsError, String(r.reason));
      }
      assert.equal(str(await store.get(key)), `writer ${won[0]}`);
    }
  });

  await t.step("list() is recursive, in UTF-8 byte order, after startAfter, for any key prefix", async () => {
    const store = await open();
    const keys = [
      "_delta_log/00000000000000000000.json",
      "_delta_log/00000000000000000001.json",
      "_delta_log/00000000000000000010.checkpoint.parquet",
      "_delta_log/00000000000000000010.json",
      "_delta_log/_last_checkpoint",
      "x=A%2FA/part 1 +.parquet",
      "x=a&b<c>'(d)!*/p.parquet",
      "x=é/p.parquet",
      "x=😀/p.parquet",
      "x=ｚ/p.parquet", // U+FF5A: above U+E000, below surrogate pairs in UTF-8
      "deep/a/b/c/d.bin",
      "deepest",
    ];
    for (const k of keys) await store.put(k, text(k));
    const utf8Order = [...keys].sort((a, b) => compareBytes(text(a), text(b)));
    assert.deepEqual(await keysOf(store, ""), utf8Order);
    assert.deepEqual(
      await keysOf(store, "_delta_log/"),
      utf8Order.filter((k) => k.startsWith("_delta_log/")),
    );
    assert.deepEqual(await keysOf(store, "_delta_log/0000000000000000001"), [
      "_delta_log/00000000000000000010.checkpoint.parquet",
      "_delta_log/00000000000000000010.json",
    ]);
    assert.deepEqual(await keysOf(store, "_delta_log/", "_delta_log/00000000000000000001.json"), [
      "_delta_log/00000000000000000010.checkpoint.parquet",
      "_delta_log/00000000000000000010.json",
      "_delta_log/_last_checkpoint",
    ]);
    assert.deepEqual(await keysOf(store, "_delta_log/", "_delta_log/00000000000000000000"), [
      "_delta_log/00000000000000000000.json",
      "_delta_log/00000000000000000001.json",
      "_delta_log/00000000000000000010.checkpoint.parquet",
      "_delta_log/00000000000000000010.json",
      "_delta_log/_last_checkpoint",
    ]);
    assert.deepEqual(await keysOf(store, "deep"), ["deep/a/b/c/d.bin", "deepest"]);
    assert.deepEqual(await keysOf(store, "nothing/"), []);
    const metas = [];
    for await (const m of store.list("x=A")) metas.push(m);
    assert.equal(metas.length, 1);
    assert.equal(metas[0].size, text("x=A%2FA/part 1 +.parquet").length);
    assert.equal(str(await store.get("x=😀/p.parquet")), "x=😀/p.parquet");
  });

  await t.step(`list() returns all of ${manyKeys} keys in order (pagination)`, async () => {
    const store = await open();
    const keys = Array.from({ length: manyKeys }, (_, i) => `many/${String(i).padStart(5, "0")}`);
    for (let i = 0; i < keys.length; i += 50) {
      await Promise.all(keys.slice(i, i + 50).map((k) => store.put(k, text("x"))));
    }
    assert.deepEqual(await keysOf(store, "many/"), keys);
    assert.deepEqual(await keysOf(store, "many/", keys[manyKeys - 3]), keys.slice(manyKeys - 2));
  });

  await t.step("delete() removes an object and succeeds when it is missing", async () => {
    const store = await open();
    await store.put("d/x", text("x"));
    await store.put("d/y", text("y"));
    await store.delete("d/x");
    await store.delete("d/x");
    await store.delete("d/never");
    await assert.rejects(store.get("d/x"), NotFoundError);
    assert.deepEqual(await keysOf(store, "d/"), ["d/y"]);
    await store.putIfAbsent("d/x", text("again"));
    assert.equal(str(await store.get("d/x")), "again");
  });

  await t.step(
    "every method rejects keys with a leading slash or dot segments with a TypeError",
    async () => {
      const store = await open();
      for (const bad of ["/abs", "a/../b", "./a", "a//b"]) {
        await assert.rejects(async () => await store.get(bad), TypeError);
        await assert.rejects(async () => await store.put(bad, text("x")), TypeError);
        await assert.rejects(async () => await store.putIfAbsent(bad, text("x")), TypeError);
        await assert.rejects(async () => await store.delete(bad), TypeError);
      }
    },
  );
}
