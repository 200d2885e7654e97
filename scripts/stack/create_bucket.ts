/**
 * `deno run -A scripts/stack/create_bucket.ts`: the one-shot bucket-creation service of compose.yaml. Creates
 * the lake's bucket on an S3 server when missing and checks that the server refuses a second put-if-absent with
 * 412 (Delta commits depend on it). Settings come from the environment:
 *
 * | variable | meaning |
 * | --- | --- |
 * | `LAKESTREAM_S3_ENDPOINT` | S3 endpoint URL, e.g. `http://minio:9000` (required) |
 * | `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` | credentials (required) |
 * | `AWS_REGION` | region (default `us-east-1`) |
 * | `LAKESTREAM_BUCKET` | bucket (default `datalake`) |
 *
 * Exit codes: 0 bucket ready, 1 failure, 2 missing settings.
 *
 * @module
 */
import type { StackEnv } from "./env.ts";
import { ensureBucket, probeMinio } from "./probes.ts";

/** Reads the S3 settings from environment variables; throws TypeError naming the first missing one. */
export function bucketSettingsFromEnv(env: (name: string) => string | undefined): StackEnv["minio"] {
  const required = (name: string) => {
    const v = env(name);
    if (!v) {
      throw new TypeError(
        `Missing ${name}: set it to the S3 server's ${name.startsWith("AWS") ? "credential" : "URL"}`,
      );
    }
    return v;
  };
  return {
    endpoint: required("LAKESTREAM_S3_ENDPOINT"),
    accessKeyId: required("AWS_ACCESS_KEY_ID"),
    secretAccessKey: required("AWS_SECRET_ACCESS_KEY"),
    region: env("AWS_REGION") || "us-east-1",
    bucket: env("LAKESTREAM_BUCKET") || "datalake",
  };
}

/** Creates the bucket if needed and checks conditional puts; resolves to the report line. */
export async function createBucket(s3: StackEnv["minio"]): Promise<string> {
  const created = await ensureBucket(s3, 10_000);
  const check = await probeMinio(s3, 10_000);
  return `${created ? "created" : "found"} ${check} at ${s3.endpoint}`;
}

if (import.meta.main) {
  let settings;
  try {
    settings = bucketSettingsFromEnv((n) => Deno.env.get(n));
  } catch (e) {
    console.error((e as Error).message);
    Deno.exit(2);
  }
  try {
    console.log(await createBucket(settings));
  } catch (e) {
    console.error(
      `Cannot prepare bucket "${settings.bucket}" at ${settings.endpoint}: ${(e as Error).message}`,
    );
    Deno.exit(1);
  }
}
