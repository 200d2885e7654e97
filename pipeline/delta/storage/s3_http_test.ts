import assert from "node:assert/strict";
import { S3Http, S3RequestError, s3SettingsFromEnv, xmlValues } from "./s3_http.ts";

/** A `fetch` that answers from a script, recording each request's URL and headers. */
function scripted(answers: (Response | Error)[]) {
  const requests: { url: string; method: string; headers: Headers }[] = [];
  const fetch = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    requests.push({ url: String(input), method: init?.method ?? "GET", headers: new Headers(init?.headers) });
    const next = answers.shift() ?? new Response("");
    return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
  };
  return { fetch, requests };
}

const keys = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" };

Deno.test("S3Http sends path-style requests to an endpoint, each key segment encoded once, signed", async () => {
  const { fetch, requests } = scripted([new Response("hello")]);
  const http = new S3Http({ endpoint: "http://127.0.0.1:19000", ...keys, fetch });
  const res = await http.send({
    method: "GET",
    bucket: "lake",
    key: "orders/x=a b&c/part(1)*.parquet",
    query: { "list-type": "2", prefix: "a/b c" },
  });
  assert.equal(new TextDecoder().decode(res.body), "hello");
  assert.equal(res.attempts, 1);
  assert.equal(
    requests[0].url,
    "http://127.0.0.1:19000/lake/orders/x%3Da%20b%26c/part%281%29%2A.parquet?list-type=2&prefix=a%2Fb%20c",
  );
  const auth = requests[0].headers.get("authorization") ?? "";
  assert.match(auth, /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/s3\/aws4_request, /);
  assert.match(auth, /SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/);
  // Over plain HTTP the payload is hashed (SHA-256 of the empty body here).
  assert.equal(
    requests[0].headers.get("x-amz-content-sha256"),
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  );
});

Deno.test("S3Http addresses AWS by virtual host, and by path for buckets with dots", async () => {
  const { fetch, requests } = scripted([new Response(""), new Response("")]);
  const http = new S3Http({ region: "eu-west-1", ...keys, sessionToken: "token", fetch });
  await http.send({ method: "PUT", bucket: "lake", key: "a/b.json", body: new Uint8Array([1]) });
  await http.send({ method: "HEAD", bucket: "my.lake", key: "a" });
  assert.equal(requests[0].url, "https://lake.s3.eu-west-1.amazonaws.com/a/b.json");
  assert.equal(requests[0].headers.get("x-amz-content-sha256"), "UNSIGNED-PAYLOAD");
  assert.equal(requests[0].headers.get("x-amz-security-token"), "token");
  assert.equal(requests[1].url, "https://s3.eu-west-1.amazonaws.com/my.lake/a");
});

Deno.test("S3Http retries 5xx and network errors, then names the request and S3's error", async () => {
  const { fetch, requests } = scripted([
    new Response("<Error><Code>SlowDown</Code><Message>Reduce your request rate</Message></Error>", {
      status: 503,
    }),
    new TypeError("error sending request: connection reset"),
    new Response("done"),
  ]);
  const http = new S3Http({ endpoint: "http://s3.test", ...keys, fetch });
  const res = await http.send({ method: "GET", bucket: "b", key: "k" });
  assert.equal(res.attempts, 3);
  assert.equal(requests.length, 3);

  const down = scripted([new TypeError("connection refused"), new TypeError("connection refused")]);
  const failing = new S3Http({ endpoint: "http://s3.test", ...keys, fetch: down.fetch, maxAttempts: 2 });
  await assert.rejects(failing.send({ method: "PUT", bucket: "b", key: "k" }), (e: unknown) => {
    assert.ok(e instanceof S3RequestError);
    assert.equal(e.status, undefined);
    assert.equal(e.code, "NetworkError");
    assert.equal(e.attempts, 2);
    assert.equal(e.message, "PUT s3://b/k failed: connection refused");
    return true;
  });
});

Deno.test("S3Http fails at once on other client errors, and with one attempt when asked", async () => {
  const { fetch, requests } = scripted([
    new Response("<Error><Code>NoSuchKey</Code><Message>The key &lt;k&gt; does not exist</Message></Error>", {
      status: 404,
    }),
    new Response("", { status: 500 }),
    new Response(
      "<Error><Code>PermanentRedirect</Code><Message>Use the bucket's endpoint</Message></Error>",
      {
        status: 301,
      },
    ),
  ]);
  const http = new S3Http({ endpoint: "http://s3.test", ...keys, fetch });
  await assert.rejects(http.send({ method: "GET", bucket: "b", key: "k" }), {
    name: "S3RequestError",
    status: 404,
    code: "NoSuchKey",
    message: "GET s3://b/k failed: 404 NoSuchKey: The key <k> does not exist",
  });
  await assert.rejects(http.send({ method: "PUT", bucket: "b", key: "k", maxAttempts: 1 }), {
    status: 500,
    code: "HTTP500",
  });
  await assert.rejects(http.send({ method: "GET", bucket: "b", key: "k" }), {
    status: 301,
    message: "GET s3://b/k failed: 301 PermanentRedirect: Use the bucket's endpoint",
  });
  assert.equal(requests.length, 3);
});

Deno.test("xmlValues() returns each element's text with entities decoded", () => {
  const xml = "<R><Key>a&amp;b</Key><Key>&#x1F600;&lt;&#233;&gt;</Key><Size>3</Size></R>";
  assert.deepEqual(xmlValues(xml, "Key"), ["a&b", "😀<é>"]);
  assert.deepEqual(xmlValues(xml, "Missing"), []);
});

Deno.test("s3SettingsFromEnv() reads the standard AWS variables, the S3 endpoint first", () => {
  const env = new Map([
    ["AWS_ENDPOINT_URL", "http://other"],
    ["AWS_ENDPOINT_URL_S3", "http://127.0.0.1:19000"],
    ["AWS_DEFAULT_REGION", "eu-west-1"],
    ["AWS_ACCESS_KEY_ID", "id"],
    ["AWS_SECRET_ACCESS_KEY", "secret"],
    ["AWS_SESSION_TOKEN", "token"],
  ]);
  assert.deepEqual(s3SettingsFromEnv(env), {
    endpoint: "http://127.0.0.1:19000",
    region: "eu-west-1",
    accessKeyId: "id",
    secretAccessKey: "secret",
    sessionToken: "token",
  });
});
