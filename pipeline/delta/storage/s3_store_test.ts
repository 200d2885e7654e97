/**
 * The conditional-PUT branches of S3Store that a real MinIO cannot be made to take on demand (409
 * ConditionalRequestConflict, a 412 after an SDK retry, timeouts and 5xx with an unknown outcome), driven by a
 * fake of the S3 client's `send`. The contract suite runs the store against a real MinIO
 * (tests/integration/s3_store_test.ts).
 *
 * @module
 */
import assert from "node:assert/strict";
import {
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { AlreadyExistsError } from "./object_store.ts";
import { S3Store } from "./s3_store.ts";

const KEY = "_delta_log/00000000000000000001.json";
const OURS = new TextEncoder().encode('{"commitInfo":{"txnId":"ours"}}\n');
const THEIRS = new TextEncoder().encode('{"commitInfo":{"txnId":"theirs"}}\n');

function s3Error(status: number, name: string, attempts = 1): S3ServiceException {
  return new S3ServiceException({
    name,
    $fault: status >= 500 ? "server" : "client",
    $metadata: { httpStatusCode: status, attempts },
    message: `${name} (${status})`,
  });
}

/**
 * What the fake does with one conditional PUT: "ok" stores the bytes, "landed" stores them and then fails with
 * `error` (the response was lost), "fail" fails with `error` without storing.
 */
type PutOutcome = { kind: "ok" } | { kind: "landed" | "fail"; error: unknown };

/** An S3 bucket in memory whose conditional PUTs follow a script; GETs read the bucket. */
function fakeS3(script: PutOutcome[]) {
  const objects = new Map<string, Uint8Array>();
  const calls: string[] = [];
  const client = new S3Client({
    region: "us-east-1",
    credentials: { accessKeyId: "x", secretAccessKey: "y" },
  });
  const send = (command: unknown): Promise<unknown> => {
    if (command instanceof PutObjectCommand) {
      calls.push("put");
      const { Key, Body } = command.input;
      const outcome = script.shift() ?? { kind: "ok" };
      if (outcome.kind !== "fail") {
        if (objects.has(Key!)) return Promise.reject(s3Error(412, "PreconditionFailed"));
        objects.set(Key!, Body as Uint8Array);
      }
      return outcome.kind === "ok" ? Promise.resolve({}) : Promise.reject(outcome.error);
    }
    if (command instanceof GetObjectCommand) {
      calls.push("get");
      const bytes = objects.get(command.input.Key!);
      if (!bytes) return Promise.reject(s3Error(404, "NoSuchKey"));
      return Promise.resolve({ Body: { transformToByteArray: () => Promise.resolve(bytes) } });
    }
    if (command instanceof HeadObjectCommand) {
      calls.push("head");
      const bytes = objects.get(command.input.Key!);
      return bytes
        ? Promise.resolve({ ContentLength: bytes.length })
        : Promise.reject(s3Error(404, "NotFound"));
    }
    return Promise.reject(new TypeError(`The fake S3 client does not handle ${String(command)}`));
  };
  client.send = send as typeof client.send;
  const store = new S3Store({ bucket: "lake", prefix: "orders", maxCommitAttempts: 3 }, client);
  const stored = () => objects.get(`orders/${KEY}`);
  return { store, objects, calls, stored };
}

Deno.test("S3Store.putIfAbsent() retries a 409 ConditionalRequestConflict until the PUT succeeds", async () => {
  const { store, calls, stored } = fakeS3([
    { kind: "fail", error: s3Error(409, "ConditionalRequestConflict") },
    { kind: "fail", error: s3Error(409, "ConditionalRequestConflict") },
  ]);
  await store.putIfAbsent(KEY, OURS);
  assert.deepEqual(calls, ["put", "put", "put"]);
  assert.deepEqual(stored(), OURS);
});

Deno.test("S3Store.putIfAbsent() gives up with a clear error when every attempt meets 409", async () => {
  const conflict = s3Error(409, "ConditionalRequestConflict");
  const { store, calls, stored } = fakeS3([
    { kind: "fail", error: conflict },
    { kind: "fail", error: conflict },
    { kind: "fail", error: conflict },
  ]);
  await assert.rejects(store.putIfAbsent(KEY, OURS), (e: Error) => {
    assert.equal(
      e.message,
      `Cannot create "${KEY}" in "s3://lake/orders": no definite outcome after 3 attempts`,
    );
    assert.equal(e.cause, conflict);
    return true;
  });
  assert.equal(calls.length, 3);
  assert.equal(stored(), undefined);
});

Deno.test("S3Store.putIfAbsent() answers a first-attempt 412 with AlreadyExistsError without reading back", async () => {
  const { store, objects, calls, stored } = fakeS3([]);
  objects.set(`orders/${KEY}`, OURS); // Same bytes, but no retry happened: someone else wrote them.
  await assert.rejects(store.putIfAbsent(KEY, OURS), AlreadyExistsError);
  assert.deepEqual(calls, ["put"]);
  assert.deepEqual(stored(), OURS);
});

Deno.test("S3Store.putIfAbsent() reads back after a 412 that follows an SDK retry", async () => {
  // The SDK's first attempt landed, its retry met our own object: our write.
  const ours = fakeS3([{ kind: "landed", error: s3Error(412, "PreconditionFailed", 2) }]);
  await ours.store.putIfAbsent(KEY, OURS);
  assert.deepEqual(ours.calls, ["put", "get"]);
  // Someone else's object behind the same 412: a lost race.
  const theirs = fakeS3([{ kind: "fail", error: s3Error(412, "PreconditionFailed", 2) }]);
  theirs.objects.set(`orders/${KEY}`, THEIRS);
  await assert.rejects(theirs.store.putIfAbsent(KEY, OURS), AlreadyExistsError);
  assert.deepEqual(theirs.calls, ["put", "get"]);
});

Deno.test("S3Store.putIfAbsent() reads back after a 412 that follows its own 409 retry", async () => {
  const { store, calls } = fakeS3([
    { kind: "landed", error: s3Error(409, "ConditionalRequestConflict") },
  ]);
  await store.putIfAbsent(KEY, OURS);
  assert.deepEqual(calls, ["put", "put", "get"]);
});

Deno.test("S3Store.putIfAbsent() resolves an unknown outcome by reading the object back", async () => {
  // A timeout whose PUT landed: ours.
  const timeout = new DOMException("The operation timed out", "TimeoutError");
  const landed = fakeS3([{ kind: "landed", error: timeout }]);
  await landed.store.putIfAbsent(KEY, OURS);
  assert.deepEqual(landed.calls, ["put", "get"]);
  // A 503 whose PUT did not land: retried, then written.
  const lost = fakeS3([{ kind: "fail", error: s3Error(503, "SlowDown") }]);
  await lost.store.putIfAbsent(KEY, OURS);
  assert.deepEqual(lost.calls, ["put", "get", "put"]);
  assert.deepEqual(lost.stored(), OURS);
  // A network error while someone else's commit appeared: a lost race.
  const raced = fakeS3([{ kind: "fail", error: new TypeError("error sending request: connection reset") }]);
  raced.objects.set(`orders/${KEY}`, THEIRS);
  await assert.rejects(raced.store.putIfAbsent(KEY, OURS), AlreadyExistsError);
  assert.deepEqual(raced.stored(), THEIRS);
});

Deno.test("S3Store.putIfAbsent() gives up after unknown outcomes that never land", async () => {
  const down = s3Error(500, "InternalError");
  const { store, calls, stored } = fakeS3([
    { kind: "fail", error: down },
    { kind: "fail", error: down },
    { kind: "fail", error: down },
  ]);
  await assert.rejects(store.putIfAbsent(KEY, OURS), {
    message: `Cannot create "${KEY}" in "s3://lake/orders": no definite outcome after 3 attempts`,
  });
  assert.deepEqual(calls, ["put", "get", "put", "get", "put", "get"]);
  assert.equal(stored(), undefined);
});

Deno.test("S3Store.putIfAbsent() rethrows other client errors at once", async () => {
  const denied = s3Error(403, "AccessDenied");
  const { store, calls } = fakeS3([{ kind: "fail", error: denied }]);
  await assert.rejects(store.putIfAbsent(KEY, OURS), (e) => e === denied);
  assert.deepEqual(calls, ["put"]);
});
