/**
 * The Change Data Feeds MANIFEST.md lists for `cdf-table` and `cdc_ict_table`.
 */
import assert from "node:assert/strict";
import type { Row } from "../../value/mod.ts";
import { readChanges } from "../read/changes.ts";
import { canonicalRows, goldenStore } from "./golden_tables.ts";

async function collect(iter: AsyncIterable<Row[]>): Promise<Row[]> {
  const out: Row[] = [];
  for await (const rows of iter) out.push(...rows);
  return out;
}

const withoutTime = (rows: Row[]) =>
  rows.map((r) => {
    const { _commit_timestamp: _, ...rest } = r;
    return rest;
  });

Deno.test("golden cdf-table: the change feed from version 0 has the 23 listed changes", async () => {
  const store = goldenStore("cdf-table");
  const rows = await collect(readChanges(store, { fromVersion: 0 }));
  const change = (v: number, type: string, id: number, name: string, day: string) => ({
    id,
    name,
    birthday: `2023-12-${day}`,
    _change_type: type,
    _commit_version: v,
  });
  const expected = [
    change(0, "insert", 1, "Steve", "22"),
    change(0, "insert", 2, "Bob", "23"),
    change(0, "insert", 3, "Dave", "23"),
    change(0, "insert", 4, "Kate", "23"),
    change(0, "insert", 5, "Emily", "24"),
    change(0, "insert", 6, "Carl", "24"),
    change(0, "insert", 7, "Dennis", "24"),
    change(0, "insert", 8, "Claire", "25"),
    change(0, "insert", 9, "Ada", "25"),
    change(0, "insert", 10, "Borb", "25"),
    ...[[2, "Bob"], [3, "Dave"], [4, "Kate"]].flatMap(([id, name]) => [
      change(1, "update_preimage", id as number, name as string, "23"),
      change(1, "update_postimage", id as number, name as string, "22"),
    ]),
    ...[[5, "Emily"], [6, "Carl"], [7, "Dennis"]].flatMap(([id, name]) => [
      change(2, "update_preimage", id as number, name as string, "24"),
      change(2, "update_postimage", id as number, name as string, "29"),
    ]),
    change(3, "delete", 7, "Dennis", "29"),
  ];
  assert.equal(rows.length, 23);
  assert.deepEqual(canonicalRows(withoutTime(rows)), canonicalRows(expected));
  // Without In-Commit Timestamps the commit time is the commit file's time (strictly increasing by version).
  const times = [0, 1, 2, 3].map((v) => rows.find((r) => r._commit_version === BigInt(v))!._commit_timestamp);
  for (let i = 1; i < times.length; i++) assert.ok(String(times[i - 1]) < String(times[i]));
});

Deno.test("golden cdf-table: a version range reads only those versions", async () => {
  const store = goldenStore("cdf-table");
  const rows = await collect(readChanges(store, { fromVersion: 3, columns: ["id"] }));
  assert.deepEqual(
    canonicalRows(withoutTime(rows)),
    canonicalRows([{ id: 7, _change_type: "delete", _commit_version: 3 }]),
  );
  const middle = await collect(readChanges(store, { fromVersion: 1, toVersion: 2 }));
  assert.equal(middle.length, 12);
});

Deno.test("golden cdc_ict_table: a feed from a timestamp follows in-commit timestamps", async () => {
  const store = goldenStore("cdc_ict_table");
  const rows = await collect(readChanges(store, { fromTimestamp: Date.parse("2026-07-11T16:36:53.881Z") }));
  const t2 = "2026-07-12T16:36:52.175000Z";
  const t3 = "2026-07-12T16:36:53.881000Z";
  assert.deepEqual(
    canonicalRows(rows),
    canonicalRows([
      {
        name: "Dan",
        birthyear: 1995,
        age: 14,
        _change_type: "delete",
        _commit_version: 2,
        _commit_timestamp: t2,
      },
      {
        name: "Dave",
        birthyear: 1995,
        age: 22,
        _change_type: "delete",
        _commit_version: 2,
        _commit_timestamp: t2,
      },
      {
        name: "Kate",
        birthyear: 1995,
        age: 36,
        _change_type: "update_preimage",
        _commit_version: 3,
        _commit_timestamp: t3,
      },
      {
        name: "Kate",
        birthyear: 1995,
        age: 37,
        _change_type: "update_postimage",
        _commit_version: 3,
        _commit_timestamp: t3,
      },
      {
        name: "Steve",
        birthyear: 1986,
        age: 40,
        _change_type: "update_preimage",
        _commit_version: 3,
        _commit_timestamp: t3,
      },
      {
        name: "Steve",
        birthyear: 1986,
        age: 41,
        _change_type: "update_postimage",
        _commit_version: 3,
        _commit_timestamp: t3,
      },
    ]),
  );
});

Deno.test("golden cdc_ict_table: version 1's in-commit timestamp dates its inserts", async () => {
  const store = goldenStore("cdc_ict_table");
  const rows = await collect(readChanges(store, { fromVersion: 1, toVersion: 1 }));
  assert.equal(rows.length, 4);
  assert.ok(
    rows.every((r) =>
      r._change_type === "insert" && String(r._commit_timestamp) === "2023-05-12T06:50:06.883000Z"
    ),
  );
});
