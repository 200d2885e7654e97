/**
 * Proof of optimistic concurrency on real storage: 8 writer processes append to one table at once, on local
 * disk and on MinIO. Every commit lands exactly once, versions are contiguous, no row is lost or duplicated.
 */
import assert from "node:assert/strict";
import { loadSnapshot, readCommit } from "../../pipeline/delta/log/snapshot.ts";
import { scanAll } from "../../pipeline/delta/read/scan.ts";
import { openStore } from "../../pipeline/delta/storage/open_store.ts";
import type { ObjectStore } from "../../pipeline/delta/storage/object_store.ts";
import { S3Store } from "../../pipeline/delta/storage/s3_store.ts";
import { createTable } from "../../pipeline/delta/write/write_table.ts";
import { openTestMinio } from "./_minio.ts";

const WRITERS = 8;
const BATCHES = 6;
const ROWS = 50;
const WORKER = new URL("./_append_worker.ts", import.meta.url).pathname;

async function race(store: ObjectStore, uri: string, env: Record<string, string>): Promise<void> {
  await createTable(store, {
    schema: {
      type: "struct",
      fields: [
        { name: "writer", type: "integer", nullable: false, metadata: {} },
        { name: "batch", type: "integer", nullable: false, metadata: {} },
        { name: "seq", type: "long", nullable: false, metadata: {} },
      ],
    },
    // No checkpoints during the race: they are tested elsewhere and would only slow the writers.
    properties: { "delta.checkpointInterval": "1000" },
  });
  const children = Array.from({ length: WRITERS }, (_, w) =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", WORKER, uri, String(w), String(BATCHES), String(ROWS)],
      env,
      stdout: "piped",
      stderr: "piped",
    }).output());
  const outputs = await Promise.all(children);
  outputs.forEach((o, w) => assert.equal(o.code, 0, `writer ${w}: ${new TextDecoder().decode(o.stderr)}`));

  const snapshot = await loadSnapshot(store);
  assert.equal(snapshot.version, WRITERS * BATCHES, "one version per commit after the create");
  const seen = new Set<string>();
  for (let v = 1; v <= snapshot.version; v++) {
    const txns = (await readCommit(store, v)).flatMap((a) => "txn" in a ? [a.txn] : []);
    assert.equal(txns.length, 1, `version ${v} has one txn`);
    const id = `${txns[0].appId}/${txns[0].version}`;
    assert.ok(!seen.has(id), `batch ${id} committed twice`);
    seen.add(id);
  }
  assert.equal(seen.size, WRITERS * BATCHES);
  for (let w = 0; w < WRITERS; w++) assert.equal(snapshot.txnVersion(`writer-${w}`), BATCHES);
  const rows = await scanAll(store, snapshot);
  assert.equal(rows.length, WRITERS * BATCHES * ROWS);
  assert.equal(new Set(rows.map((r) => `${r.writer}/${r.batch}/${r.seq}`)).size, rows.length);
}

Deno.test("8 concurrent writer processes append to one table on local disk: every commit exactly once", async () => {
  const dir = await Deno.makeTempDir({ prefix: "lakestream-concurrency-" });
  try {
    await race(openStore(dir), dir, {});
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("8 concurrent writer processes append to one table on MinIO: every commit exactly once", async () => {
  await using minio = await openTestMinio();
  const uri = `s3://${minio.bucket}/lake/concurrency`;
  const store = new S3Store({ ...minio.settings, bucket: minio.bucket, prefix: "lake/concurrency" });
  await race(store, uri, {
    AWS_ENDPOINT_URL: minio.settings.endpoint!,
    AWS_ACCESS_KEY_ID: minio.settings.accessKeyId!,
    AWS_SECRET_ACCESS_KEY: minio.settings.secretAccessKey!,
    AWS_REGION: minio.settings.region ?? "us-east-1",
  });
});
