import assert from "node:assert/strict";
import { SqliteSource } from "../../pipeline/cdc/source/sqlite_source.ts";
import { runSetup } from "../setup/mod.ts";
import { watchSqliteSource } from "./source_watch.ts";

async function settled(p: Promise<void>): Promise<boolean> {
  let done = false;
  p.then(() => (done = true));
  await new Promise((r) => setTimeout(r, 0));
  return done;
}

Deno.test("watchSqliteSource() says when reading has moved past the snapshot", async () => {
  const dir = await Deno.makeTempDir({ prefix: "lakestream-up-watch-" });
  try {
    const path = `${dir}/source.sqlite`;
    await runSetup({ dialect: "sqlite", db: path });
    const watched = watchSqliteSource((from) => new SqliteSource({ path, from }));
    const source = await watched.open(null);
    const first = await source.next({ maxRecords: 10, maxWaitMs: 0 });
    assert.equal(first.records.length, 10);
    assert.match(first.checkpoint.sqlite, /^snapshot:/);
    assert.equal(await settled(watched.followingChanges), false);
    let checkpoint = first.checkpoint;
    while (checkpoint.sqlite?.startsWith("snapshot:")) {
      const batch = await source.next({ maxRecords: 1000, maxWaitMs: 0 });
      checkpoint = { ...checkpoint, ...batch.checkpoint };
    }
    assert.equal(await settled(watched.followingChanges), true);
    await source.close();

    // Reopened at a change-table position, the source follows changes from its first read.
    const resumed = watchSqliteSource((from) => new SqliteSource({ path, from }));
    const again = await resumed.open(checkpoint);
    await again.next({ maxWaitMs: 0 });
    assert.equal(await settled(resumed.followingChanges), true);
    await again.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
