import assert from "node:assert/strict";
import { bucketSettingsFromEnv } from "./create_bucket.ts";

Deno.test("bucketSettingsFromEnv() reads the S3 settings with region and bucket defaults", () => {
  const vars: Record<string, string> = {
    LAKESTREAM_S3_ENDPOINT: "http://minio:9000",
    AWS_ACCESS_KEY_ID: "ak",
    AWS_SECRET_ACCESS_KEY: "sk",
  };
  assert.deepEqual(bucketSettingsFromEnv((n) => vars[n]), {
    endpoint: "http://minio:9000",
    accessKeyId: "ak",
    secretAccessKey: "sk",
    region: "us-east-1",
    bucket: "datalake",
  });
});

Deno.test("bucketSettingsFromEnv() names the first missing variable", () => {
  assert.throws(() => bucketSettingsFromEnv(() => undefined), {
    name: "TypeError",
    message: "Missing LAKESTREAM_S3_ENDPOINT: set it to the S3 server's URL",
  });
});
