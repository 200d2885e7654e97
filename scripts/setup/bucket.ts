import { CreateBucketCommand, HeadBucketCommand, S3Client } from "@aws-sdk/client-s3";
import type { StepReport } from "./step_report.ts";

/** An S3 endpoint and its credentials. */
export interface S3Endpoint {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
}

/** Parses `s3://bucket/prefix` into the bucket and the key prefix (no leading or trailing slash). */
export function parseS3Url(url: string): { bucket: string; prefix: string } {
  const m = /^s3a?:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (!m || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(m[1])) {
    throw new TypeError(
      `Cannot parse lake URL "${url}": expected s3://bucket/prefix with a valid bucket name`,
    );
  }
  return { bucket: m[1], prefix: m[2].replace(/\/+$/, "") };
}

/** Creates the bucket when it does not exist (path-style addressing, as MinIO needs). */
export async function ensureBucket(s3: S3Endpoint, bucket: string): Promise<StepReport> {
  const client = new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  });
  try {
    try {
      await client.send(new HeadBucketCommand({ Bucket: bucket }));
      return { step: "bucket", changed: false, detail: `bucket ${bucket} exists` };
    } catch (e) {
      const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status !== 404) {
        throw new Error(
          `Cannot check bucket "${bucket}" at ${s3.endpoint}: ${(e as Error).name} ${status ?? ""}`,
          {
            cause: e,
          },
        );
      }
    }
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    return { step: "bucket", changed: true, detail: `bucket ${bucket} created` };
  } finally {
    client.destroy();
  }
}
