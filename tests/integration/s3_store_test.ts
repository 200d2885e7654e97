import assert from "node:assert/strict";
import { deleteS3Prefix, S3Store } from "../../pipeline/delta/storage/s3_store.ts";
import { objectStoreContract } from "../../pipeline/delta/storage/object_store_contract.ts";
import { probePutIfAbsent } from "../../pipeline/delta/storage/put_if_absent_probe.ts";
import { openTestMinio } from "./_minio.ts";

Deno.test("S3Store passes the ObjectStore contract against a real MinIO", async (t) => {
  await using minio = await openTestMinio();
  let n = 0;
  await objectStoreContract(
    t,
    () =>
      Promise.resolve(
        new S3Store({ ...minio.settings, bucket: minio.bucket, prefix: `contract/${n++}/table` }),
      ),
  );
});

Deno.test("S3Store keeps objects under its prefix and lists keys relative to it", async () => {
  await using minio = await openTestMinio();
  const a = new S3Store({ ...minio.settings, bucket: minio.bucket, prefix: "lake/a" });
  const ab = new S3Store({ ...minio.settings, bucket: minio.bucket, prefix: "lake/ab" });
  assert.equal(a.url, `s3://${minio.bucket}/lake/a`);
  await a.put("_delta_log/00000000000000000000.json", new TextEncoder().encode("{}"));
  await ab.put("_delta_log/00000000000000000000.json", new TextEncoder().encode("{}"));
  const keys = (await Array.fromAsync(a.list(""))).map((m) => m.key);
  assert.deepEqual(keys, ["_delta_log/00000000000000000000.json"]);
});

Deno.test("deleteS3Prefix() deletes every object under a prefix, past one listing page, and nothing else", async () => {
  await using minio = await openTestMinio();
  const a = new S3Store({ ...minio.settings, bucket: minio.bucket, prefix: "lake/a" });
  const ab = new S3Store({ ...minio.settings, bucket: minio.bucket, prefix: "lake/ab" });
  const body = new Uint8Array([1]);
  for (let i = 0; i < 1003; i += 50) {
    await Promise.all(Array.from({ length: Math.min(50, 1003 - i) }, (_, j) => a.put(`f/${i + j}`, body)));
  }
  await ab.put("kept", body);
  assert.equal(await deleteS3Prefix(a.client, minio.bucket, "lake/a/"), 1003);
  assert.deepEqual(await Array.fromAsync(a.list("")), []);
  assert.deepEqual((await Array.fromAsync(ab.list(""))).map((m) => m.key), ["kept"]);
});

Deno.test("probePutIfAbsent() confirms MinIO honours If-None-Match", async () => {
  await using minio = await openTestMinio();
  const store = new S3Store({ ...minio.settings, bucket: minio.bucket, prefix: "probe" });
  assert.equal(await probePutIfAbsent(store), true);
});
