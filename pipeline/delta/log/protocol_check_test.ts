import assert from "node:assert/strict";
import { checkReadable } from "./protocol_check.ts";

Deno.test("checkReadable() accepts legacy versions and known reader features", () => {
  checkReadable({ minReaderVersion: 1, minWriterVersion: 2 }, "t", 0);
  checkReadable({ minReaderVersion: 2, minWriterVersion: 5 }, "t", 0);
  checkReadable(
    {
      minReaderVersion: 3,
      minWriterVersion: 7,
      readerFeatures: [
        "deletionVectors",
        "columnMapping",
        "timestampNtz",
        "v2Checkpoint",
        "vacuumProtocolCheck",
      ],
      writerFeatures: [],
    },
    "t",
    0,
  );
});

Deno.test("checkReadable() names the table, version and missing feature", () => {
  assert.throws(
    () =>
      checkReadable(
        { minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ["variantType"] },
        "s3://b/t",
        12,
      ),
    {
      message:
        'Cannot read "s3://b/t" at version 12: it needs reader feature "variantType", which this reader lacks',
    },
  );
  assert.throws(() => checkReadable({ minReaderVersion: 99, minWriterVersion: 7 }, "t", 1), {
    message: /needs reader version 99/,
  });
  assert.throws(() => checkReadable({ minReaderVersion: 3, minWriterVersion: 7 }, "t", 1), {
    message: /requires readerFeatures/,
  });
});
