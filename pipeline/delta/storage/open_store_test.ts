import assert from "node:assert/strict";
import { openStore, sharedS3Client } from "./open_store.ts";
import { LocalStore } from "./local_store.ts";
import { S3Store } from "./s3_store.ts";

const s3 = { endpoint: "http://127.0.0.1:1", accessKeyId: "a", secretAccessKey: "b" };

Deno.test("openStore() opens s3://bucket/prefix as an S3Store rooted at the prefix", () => {
  const store = openStore("s3://lake/warehouse/orders/", { s3 });
  assert.ok(store instanceof S3Store);
  assert.equal(store.url, "s3://lake/warehouse/orders");
  const bare = openStore("s3://lake", { s3 });
  assert.equal(bare.url, "s3://lake");
});

Deno.test("openStore() with sharedS3Client() gives every store of a lake one client", () => {
  const s3Client = sharedS3Client();
  const orders = openStore("s3://lake/orders", { s3, s3Client }) as S3Store;
  const items = openStore("s3://lake/order_items", { s3, s3Client }) as S3Store;
  const apart = openStore("s3://lake/orders", { s3 }) as S3Store;
  assert.equal(orders.client, items.client);
  assert.notEqual(apart.client, orders.client);
  assert.equal(items.url, "s3://lake/order_items");
});

Deno.test("openStore() opens local paths and file:// URIs as a LocalStore", () => {
  assert.ok(openStore("/tmp/t") instanceof LocalStore);
  assert.equal(openStore("/tmp/t/").url, "/tmp/t");
  assert.equal(openStore("file:///tmp/my%20table").url, "/tmp/my table");
  assert.equal(openStore("data/orders", { cwd: "/srv/" }).url, "/srv/data/orders");
});

Deno.test("openStore() rejects unknown schemes and malformed URIs with a TypeError", () => {
  assert.throws(() => openStore("gs://bucket/t"), /unsupported scheme "gs"/);
  assert.throws(() => openStore("s3:///t", { s3 }), /has no bucket/);
  assert.throws(() => openStore("file://host/t"), TypeError);
  assert.throws(() => openStore(""), TypeError);
});
