import assert from "node:assert/strict";
import type { Metadata } from "./actions.ts";
import { commitTime, ictEnablementVersion, monotonize } from "./commit_timestamps.ts";

const meta = (configuration: Record<string, string>): Metadata => ({
  id: "t",
  format: { provider: "parquet", options: {} },
  schemaString: "",
  partitionColumns: [],
  configuration,
});

Deno.test("monotonize() moves a commit not after its predecessor to predecessor + 1 ms", () => {
  assert.deepEqual(monotonize([10, 5, 5, 20, 20]), [10, 11, 12, 20, 21]);
  assert.deepEqual(monotonize([]), []);
});

Deno.test("ictEnablementVersion() reads the ICT properties", () => {
  assert.equal(ictEnablementVersion(meta({})), null);
  assert.equal(ictEnablementVersion(meta({ "delta.enableInCommitTimestamps": "false" })), null);
  assert.equal(ictEnablementVersion(meta({ "delta.enableInCommitTimestamps": "true" })), 0);
  assert.equal(
    ictEnablementVersion(meta({
      "delta.enableInCommitTimestamps": "true",
      "delta.inCommitTimestampEnablementVersion": "7",
    })),
    7,
  );
});

Deno.test("commitTime() uses the in-commit timestamp from the enablement version on", () => {
  const actions = [{ commitInfo: { inCommitTimestamp: 1234, timestamp: 9 } }];
  assert.equal(commitTime(3, actions, 555, null, "t"), 555);
  assert.equal(commitTime(3, actions, 555, 4, "t"), 555);
  assert.equal(commitTime(4, actions, 555, 4, "t"), 1234);
  assert.throws(() => commitTime(4, [], 555, 0, "memory://t"), {
    message:
      /"memory:\/\/t" at version 4: In-Commit Timestamps are enabled but the commit has no inCommitTimestamp/,
  });
});
