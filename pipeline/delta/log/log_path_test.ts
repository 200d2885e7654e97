import assert from "node:assert/strict";
import { commitKey, formatVersion, listFromKey, parseLogPath } from "./log_path.ts";

const V = "00000000000000000010";

Deno.test("parseLogPath() recognises every kind of log file", () => {
  assert.deepEqual(parseLogPath(`_delta_log/${V}.json`), {
    kind: "commit",
    key: `_delta_log/${V}.json`,
    version: 10,
  });
  assert.deepEqual(parseLogPath(`_delta_log/${V}.checkpoint.parquet`)?.kind, "checkpoint");
  assert.deepEqual(parseLogPath(`_delta_log/${V}.checkpoint.0000000002.0000000003.parquet`), {
    kind: "multipart-checkpoint",
    key: `_delta_log/${V}.checkpoint.0000000002.0000000003.parquet`,
    version: 10,
    part: 2,
    parts: 3,
  });
  const uuid = "e8fa2696-9728-4e9c-b285-634743fdd4fb";
  assert.deepEqual(parseLogPath(`_delta_log/${V}.checkpoint.${uuid}.json`), {
    kind: "v2-checkpoint",
    key: `_delta_log/${V}.checkpoint.${uuid}.json`,
    version: 10,
    uuid,
    format: "json",
  });
  assert.deepEqual(parseLogPath(`_delta_log/00000000000000000004.00000000000000000006.compacted.json`), {
    kind: "compaction",
    key: `_delta_log/00000000000000000004.00000000000000000006.compacted.json`,
    version: 4,
    endVersion: 6,
  });
  assert.deepEqual(parseLogPath(`_delta_log/${V}.crc`)?.kind, "checksum");
});

Deno.test("parseLogPath() ignores leftovers and files outside the log folder", () => {
  for (
    const key of [
      `_delta_log/.tmp/${V}.json`,
      `_delta_log/.${V}.json.crc`,
      `_delta_log/_commits/${V}.json`,
      `_delta_log/_staged_commits/${V}.abc.json`,
      `_delta_log/_last_checkpoint`,
      `_delta_log/_sidecars/x.parquet`,
      `_delta_log/10.json`,
      `_delta_log/${V}.json.tmp`,
      `_delta_log/${V}.checkpoint.0000000004.0000000003.parquet`,
      `_delta_log/00000000000000000006.00000000000000000004.compacted.json`,
      `${V}.json`,
      `part-0000.parquet`,
    ]
  ) {
    assert.deepEqual(parseLogPath(key), null, key);
  }
});

Deno.test("commitKey() zero-pads the version to 20 digits", () => {
  assert.deepEqual(commitKey(42), "_delta_log/00000000000000000042.json");
  assert.deepEqual(formatVersion(0), "00000000000000000000");
  assert.throws(() => formatVersion(-1), RangeError);
  assert.throws(() => formatVersion(1.5), RangeError);
});

Deno.test("listFromKey() sorts before every file of its version and after every earlier one", () => {
  const key = listFromKey(10);
  assert.deepEqual(key < `_delta_log/${V}.checkpoint.parquet`, true);
  assert.deepEqual(key < `_delta_log/${V}.json`, true);
  assert.deepEqual(key > `_delta_log/00000000000000000009.json`, true);
});
