/**
 * The Delta reader over S3 (MinIO): golden tables uploaded as they are read the same as from local disk,
 * including keys with `%`, spaces, `+` and emoji, checkpoints, V2 sidecars, deletion vectors, time travel and
 * the change feed.
 */
import assert from "node:assert/strict";
import { canonicalRows, goldenStore } from "../../pipeline/delta/golden/golden_tables.ts";
import { loadSnapshot, readChanges, scanAll, updateSnapshot } from "../../pipeline/delta/mod.ts";
import { S3Store } from "../../pipeline/delta/storage/s3_store.ts";
import type { Row } from "../../pipeline/value/mod.ts";
import { openTestMinio } from "./_minio.ts";

const TABLES = [
  "multi_partitioned",
  "data-reader-escaped-chars",
  "delta-0.8.0-special-partition",
  "kernel-timestamp-int96",
  "dv-partitioned-with-checkpoint",
  "v2-checkpoints-parquet-with-sidecars",
  "multi-part-checkpoint",
  "cdf-table",
];

async function upload(name: string, store: S3Store): Promise<void> {
  const local = goldenStore(name);
  for await (const meta of local.list("")) await store.put(meta.key, await local.get(meta.key));
}

Deno.test("the reader returns the same rows from MinIO as from local disk", async () => {
  await using minio = await openTestMinio();
  for (const name of TABLES) {
    const s3 = new S3Store({ ...minio.settings, bucket: minio.bucket, prefix: `golden/${name}` });
    await upload(name, s3);
    const local = goldenStore(name);
    const [a, b] = [await loadSnapshot(local), await loadSnapshot(s3)];
    assert.equal(b.version, a.version, name);
    assert.equal(b.checkpointVersion, a.checkpointVersion, name);
    assert.deepEqual(canonicalRows(await scanAll(s3, b)), canonicalRows(await scanAll(local, a)), name);
    const v0 = await loadSnapshot(s3, { version: 0 });
    assert.deepEqual(
      canonicalRows(await scanAll(s3, v0)),
      canonicalRows(await scanAll(local, await loadSnapshot(local, { version: 0 }))),
      `${name} v0`,
    );
    assert.equal((await updateSnapshot(s3, b)).commits.length, 0);
  }
});

Deno.test("the change feed reads from MinIO", async () => {
  await using minio = await openTestMinio();
  const s3 = new S3Store({ ...minio.settings, bucket: minio.bucket, prefix: "golden-cdf/cdf-table" });
  await upload("cdf-table", s3);
  const rows: Row[] = [];
  for await (const batch of readChanges(s3, { fromVersion: 0 })) rows.push(...batch);
  assert.equal(rows.length, 23);
  assert.equal(rows.filter((r) => r._change_type === "delete").length, 1);
});
