/**
 * The conditional-PUT branches of S3Store that a real MinIO cannot be made to take on demand (409
 * ConditionalRequestConflict, 412 after an attempt of our own, timeouts and 5xx with an unknown outcome), driven
 * by an S3 bucket in memory behind a `fetch` that follows a script. The contract suite runs the store against a
 * real MinIO (tests/integration/s3_store_test.ts).
 *
 * @module
 */
import assert from "node:assert/strict";
import { AlreadyExistsError } from "./object_store.ts";
import { S3Http, S3RequestError } from "./s3_http.ts";
import { S3Store } from "./s3_store.ts";

const KEY = "_delta_log/00000000000000000001.json";
const OURS = new TextEncoder().encode('{"commitInfo":{"txnId":"ours"}}\n');
const THEIRS = new TextEncoder().encode('{"commitInfo":{"txnId":"theirs"}}\n');

/** An S3 error response, or an error `fetch` throws (no response: the outcome is unknown). */
type Failure = { status: number; code: string } | Error;

/**
 * What the fake does with one conditional PUT: "ok" stores the bytes, "landed" stores them and then fails with
 * `error` (the response was lost), "fail" fails with `error` without storing (and `theirs`: another writer's
 * object lands meanwhile).
 */
type PutOutcome = { kind: "ok" } | { kind: "landed" | "fail"; error: Failure; theirs?: boolean };

function errorResponse(status: number, code: string): Response {
  return new Response(
    `<?xml version="1.0"?><Error><Code>${code}</Code><Message>${code} &amp; more</Message></Error>`,
    {
      status,
    },
  );
}

/** An S3 bucket in memory whose conditional PUTs follow a script; GETs and HEADs read the bucket. */
function fakeS3(script: PutOutcome[]) {
  const objects = new Map<string, Uint8Array>();
  const calls: string[] = [];
  const answer = (input: string | URL | Request, init?: RequestInit): Response => {
    const key = decodeURIComponent(new URL(String(input)).pathname).replace(/^\/lake\//, "");
    const method = init?.method ?? "GET";
    calls.push(method.toLowerCase());
    if (method === "PUT") {
      const outcome = script.shift() ?? { kind: "ok" };
      if (outcome.kind !== "fail") {
        if (objects.has(key)) return errorResponse(412, "PreconditionFailed");
        objects.set(key, new Uint8Array(init!.body as Uint8Array));
      }
      if (outcome.kind === "ok") return new Response(null, { status: 200 });
      if (outcome.kind === "fail" && outcome.theirs) objects.set(key, THEIRS);
      if (outcome.error instanceof Error) throw outcome.error;
      return errorResponse(outcome.error.status, outcome.error.code);
    }
    const bytes = objects.get(key);
    if (!bytes) return errorResponse(404, "NoSuchKey");
    return new Response(method === "HEAD" ? null : bytes as Uint8Array<ArrayBuffer>, {
      headers: { "content-length": String(bytes.length) },
    });
  };
  // A failure thrown by `answer` is a failure of fetch (no response).
  const fetch = (input: string | URL | Request, init?: RequestInit) => Promise.try(() => answer(input, init));
  const client = new S3Http({ endpoint: "http://s3.test", accessKeyId: "x", secretAccessKey: "y", fetch });
  const store = new S3Store({ bucket: "lake", prefix: "orders", maxCommitAttempts: 3 }, client);
  const stored = () => objects.get(`orders/${KEY}`);
  return { store, objects, calls, stored };
}

const conflict = { status: 409, code: "ConditionalRequestConflict" };

Deno.test("S3Store.putIfAbsent() retries a 409 ConditionalRequestConflict until the PUT succeeds", async () => {
  const { store, calls, stored } = fakeS3([
    { kind: "fail", error: conflict },
    { kind: "fail", error: conflict },
  ]);
  await store.putIfAbsent(KEY, OURS);
  assert.deepEqual(calls, ["put", "put", "put"]);
  assert.deepEqual(stored(), OURS);
});

Deno.test("S3Store.putIfAbsent() gives up with a clear error when every attempt meets 409", async () => {
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
    assert.ok(e.cause instanceof S3RequestError && e.cause.status === 409, String(e.cause));
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

Deno.test("S3Store.putIfAbsent() reads back after a 412 that follows its own 409 retry", async () => {
  // Its first attempt landed after all: the 412 meets our own object.
  const ours = fakeS3([{ kind: "landed", error: conflict }]);
  await ours.store.putIfAbsent(KEY, OURS);
  assert.deepEqual(ours.calls, ["put", "put", "get"]);
  // Another writer's object landed meanwhile: a lost race.
  const theirs = fakeS3([{ kind: "fail", error: conflict, theirs: true }]);
  await assert.rejects(theirs.store.putIfAbsent(KEY, OURS), AlreadyExistsError);
  assert.deepEqual(theirs.calls, ["put", "put", "get"]);
  assert.deepEqual(theirs.stored(), THEIRS);
});

Deno.test("S3Store.putIfAbsent() resolves an unknown outcome by reading the object back", async () => {
  // A timeout whose PUT landed: ours.
  const timeout = new DOMException("The operation timed out", "TimeoutError");
  const landed = fakeS3([{ kind: "landed", error: timeout }]);
  await landed.store.putIfAbsent(KEY, OURS);
  assert.deepEqual(landed.calls, ["put", "get"]);
  // A 503 whose PUT did not land: retried, then written.
  const lost = fakeS3([{ kind: "fail", error: { status: 503, code: "SlowDown" } }]);
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
  const down = { status: 500, code: "InternalError" };
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
  const { store, calls } = fakeS3([{ kind: "fail", error: { status: 403, code: "AccessDenied" } }]);
  await assert.rejects(store.putIfAbsent(KEY, OURS), {
    name: "S3RequestError",
    status: 403,
    code: "AccessDenied",
    message: `PUT s3://lake/orders/${KEY} failed: 403 AccessDenied: AccessDenied & more`,
  });
  assert.deepEqual(calls, ["put"]);
});
