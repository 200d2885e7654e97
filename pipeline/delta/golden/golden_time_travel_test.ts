/**
 * Timestamp time travel on the two golden tables whose commit times are file modification times. The
 * tables and `set-mtimes.sh` are copied to a temporary folder and the script sets the times there, so the
 * shared folder is never modified and the test is repeatable.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { loadSnapshot } from "../log/snapshot.ts";
import { scanAll } from "../read/scan.ts";
import { LocalStore } from "../storage/local_store.ts";
import { canonicalRows, GOLDEN_ROOT } from "./golden_tables.ts";

const TABLES = ["simple_table", "time-travel-start-start20-start40"];

async function withMtimes(test: (root: string) => Promise<void>): Promise<void> {
  const root = await Deno.makeTempDir({ prefix: "golden-mtimes-" });
  try {
    for (const name of [...TABLES, "set-mtimes.sh"]) {
      const cp = await new Deno.Command("cp", { args: ["-R", join(GOLDEN_ROOT, name), root] }).output();
      assert.equal(cp.code, 0, new TextDecoder().decode(cp.stderr));
    }
    const run = await new Deno.Command("bash", { args: [join(root, "set-mtimes.sh")] }).output();
    assert.equal(run.code, 0, new TextDecoder().decode(run.stderr));
    await test(root);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

Deno.test("golden simple_table: timestamp travel resolves the delta-rs test's times", async () => {
  await withMtimes(async (root) => {
    const store = new LocalStore(join(root, "simple_table", "delta"));
    // delta-rs clamps a time before the first commit (2020-05-02T05:47:31Z) to version 0; Spark fails.
    const at = async (iso: string) =>
      (await loadSnapshot(store, { timestamp: Date.parse(iso), clampTimestamp: true })).version;
    assert.equal(await at("2020-05-01T00:47:31-07:00"), 0);
    await assert.rejects(
      loadSnapshot(store, { timestamp: Date.parse("2020-05-01T00:47:31-07:00") }),
      RangeError,
    );
    assert.equal(await at("2020-05-02T22:47:31-07:00"), 1);
    assert.equal(await at("2020-05-25T22:47:31-07:00"), 4);
    const v0 = await loadSnapshot(store, { timestamp: new Date("2020-05-02T05:47:31Z") });
    assert.deepEqual(
      canonicalRows(await scanAll(store, v0)),
      canonicalRows([0, 1, 2, 3, 4].map((id) => ({ id }))),
    );
    assert.equal(v0.timestamp, 1588398451000);
  });
});

Deno.test("golden time-travel-start-start20-start40: the latest commit at or before T", async () => {
  await withMtimes(async (root) => {
    const store = new LocalStore(join(root, "time-travel-start-start20-start40", "delta"));
    const start = 1540415658000;
    const min = 60_000;
    const at = async (t: number) => (await loadSnapshot(store, { timestamp: t })).version;
    assert.equal(await at(start), 0);
    assert.equal(await at(start + 20 * min), 1);
    assert.equal(await at(start + 39 * min), 1);
    assert.equal(await at(start + 40 * min), 2);
    assert.equal(await at(start + 400 * min), 2);
    await assert.rejects(loadSnapshot(store, { timestamp: start - 1 }), {
      name: "RangeError",
      message: /the earliest commit \(version 0\) is at 2018-10-24T21:14:18.000Z/,
    });
    const v1 = await loadSnapshot(store, { timestamp: start + 39 * min });
    assert.equal((await scanAll(store, v1)).length, 20);
  });
});
