/**
 * One test per table of ../shared/delta-golden, at every version its MANIFEST.md lists: the rows the reader
 * returns must equal the expected Parquet (`expected/…`) and the rows MANIFEST.md writes out.
 */
import assert from "node:assert/strict";
import type { JsonValue } from "../../value/mod.ts";
import { loadSnapshot } from "../log/snapshot.ts";
import { scanAll } from "../read/scan.ts";
import type { ObjectStore } from "../storage/object_store.ts";
import { canonicalRows, goldenCopy, goldenStore, readExpected } from "./golden_tables.ts";

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const ids = (...lists: number[][]) => lists.flat().map((id) => ({ id }));

interface VersionCase {
  /** Version to read; undefined = latest. */
  version?: number;
  /** Folder under expected/ holding Parquet rows for this version. */
  expected?: string;
  /** Rows as MANIFEST.md states them (lake JSON encoding). */
  rows?: JsonValue[];
  /** Row count, when MANIFEST.md gives only that. */
  count?: number;
  /** The version the snapshot must end up at (for latest). */
  isVersion?: number;
}

interface ReadOptions {
  timeZone?: string;
}

async function checkVersion(name: string, store: ObjectStore, c: VersionCase, options: ReadOptions = {}) {
  const label = `${name} v${c.version ?? "latest"}`;
  const snapshot = await loadSnapshot(store, c.version === undefined ? {} : { version: c.version });
  if (c.isVersion !== undefined) assert.equal(snapshot.version, c.isVersion, label);
  const actual = canonicalRows(await scanAll(store, snapshot, { timeZone: options.timeZone }));
  let checked = false;
  if (c.expected) {
    const expected = await readExpected(name, c.expected, snapshot.schema);
    assert.ok(expected, `${label}: expected/${c.expected} is missing`);
    assert.deepEqual(actual, canonicalRows(expected), `${label} differs from expected/${c.expected}`);
    checked = true;
  }
  if (c.rows) {
    assert.deepEqual(actual, canonicalRows(c.rows), `${label} differs from MANIFEST.md`);
    checked = true;
  }
  if (c.count !== undefined) {
    assert.equal(actual.length, c.count, label);
    checked = true;
  }
  assert.ok(checked, `${label}: nothing to compare with`);
  return snapshot;
}

function golden(name: string, cases: VersionCase[], options: ReadOptions = {}) {
  Deno.test(`golden ${name}: rows at every listed version`, async () => {
    const store = goldenStore(name);
    for (const c of cases) await checkVersion(name, store, c, options);
  });
}

/** DAT cases also state protocol versions and properties per version. */
async function checkDatMetadata(name: string, version: number) {
  const path = new URL(
    `../../../../shared/delta-golden/${name}/expected/v${version}/table_version_metadata.json`,
    import.meta.url,
  );
  const meta = JSON.parse(await Deno.readTextFile(path));
  const s = await loadSnapshot(goldenStore(name), { version });
  assert.equal(meta.version, s.version);
  assert.equal(meta.min_reader_version, s.protocol.minReaderVersion);
  assert.equal(meta.min_writer_version, s.protocol.minWriterVersion);
  assert.deepEqual(meta.properties, s.properties);
}

// §1 Basic appends, overwrites, removes

golden("basic_append", [
  {
    version: 0,
    expected: "v0",
    rows: [{ letter: "a", number: 1, a_float: 1.1 }, { letter: "b", number: 2, a_float: 2.2 }, {
      letter: "c",
      number: 3,
      a_float: 3.3,
    }],
  },
  { version: 1, expected: "v1", count: 5 },
  {
    expected: "latest",
    isVersion: 1,
    rows: [
      { letter: "a", number: 1, a_float: 1.1 },
      { letter: "b", number: 2, a_float: 2.2 },
      { letter: "c", number: 3, a_float: 3.3 },
      { letter: "d", number: 4, a_float: 4.4 },
      { letter: "e", number: 5, a_float: 5.5 },
    ],
  },
]);

Deno.test("golden basic_append, basic_partitioned, multi_partitioned: DAT version metadata", async () => {
  for (const v of [0, 1]) await checkDatMetadata("basic_append", v);
  for (const v of [0, 1]) await checkDatMetadata("basic_partitioned", v);
  for (const v of [0, 1, 2]) await checkDatMetadata("multi_partitioned", v);
});

golden("simple_table", [
  { version: 0, rows: ids(range(0, 4)) },
  { isVersion: 4, rows: ids([5, 7, 9]) },
]);

golden("basic-with-inserts-deletes-checkpoint", [
  { version: 4, rows: ids(range(0, 49)) },
  { version: 9, rows: ids(range(0, 4), range(10, 14), range(20, 24), range(30, 34), range(40, 44)) },
  {
    version: 10,
    rows: ids(range(0, 4), range(10, 14), range(20, 24), range(30, 34), range(40, 44), range(50, 59)),
  },
  {
    expected: "latest",
    isVersion: 13,
    rows: ids(range(0, 4), range(10, 14), range(20, 24), range(30, 34), range(40, 44), range(50, 65)),
  },
]);

golden("basic-with-inserts-merge", [
  { version: 0, rows: range(0, 99).map((id) => ({ id, str: `val=${id}` })) },
  {
    expected: "latest",
    isVersion: 1,
    rows: [
      ...range(10, 49).map((id) => ({ id, str: `val=${id}` })),
      ...range(50, 99).map((id) => ({ id, str: "N/A" })),
      ...range(100, 149).map((id) => ({ id, str: "EXT" })),
    ],
  },
]);

golden("snapshot-vacuumed", [
  { expected: "latest", isVersion: 5, rows: range(0, 19).map((i) => ({ col1: i, col2: `data-3-${i}` })) },
]);

Deno.test("golden snapshot-vacuumed: versions before VACUUM fail on missing files", async () => {
  const store = goldenStore("snapshot-vacuumed");
  for (const version of [0, 1, 2, 3, 4]) {
    const s = await loadSnapshot(store, { version });
    await assert.rejects(
      scanAll(store, s),
      { name: "NotFoundError", message: /no such object/ },
      `v${version}`,
    );
  }
});

// §2 Partitioning, null partition values, special characters

golden("basic_partitioned", [
  {
    version: 0,
    expected: "v0",
    rows: [{ letter: "a", number: 1, a_float: 1.1 }, { letter: "b", number: 2, a_float: 2.2 }, {
      letter: "c",
      number: 3,
      a_float: 3.3,
    }],
  },
  {
    version: 1,
    expected: "v1",
    rows: [
      { letter: "a", number: 1, a_float: 1.1 },
      { letter: "b", number: 2, a_float: 2.2 },
      { letter: "c", number: 3, a_float: 3.3 },
      { letter: "a", number: 4, a_float: 4.4 },
      { letter: "e", number: 5, a_float: 5.5 },
      { letter: null, number: 6, a_float: 6.6 },
    ],
  },
  { expected: "latest", isVersion: 1, count: 6 },
]);

const b64 = (s: string) => btoa(String.fromCharCode(...new TextEncoder().encode(s)));
golden("multi_partitioned", [
  {
    version: 0,
    expected: "v0",
    rows: [
      { letter: "a", date: "1970-01-01", data: b64("hello"), number: 1 },
      { letter: "b", date: "1970-01-01", data: b64("world"), number: 2 },
      { letter: "b", date: "1970-01-02", data: b64("world"), number: 3 },
    ],
  },
  {
    version: 1,
    expected: "v1",
    rows: [
      { letter: "a", date: "1970-01-01", data: b64("hello"), number: 1 },
      { letter: "b", date: "1970-01-01", data: b64("world"), number: 2 },
      { letter: "b", date: "1970-01-02", data: b64("world"), number: 3 },
      { letter: "a", date: null, data: b64("x"), number: 4 },
      { letter: null, date: null, data: null, number: 5 },
    ],
  },
  {
    version: 2,
    expected: "v2",
    rows: [
      { letter: "/%20%f", date: "1970-01-01", data: b64("hello"), number: 6 },
      { letter: "b", date: "1970-01-01", data: b64("😈"), number: 7 },
    ],
  },
  { expected: "latest", isVersion: 2, count: 2 },
]);

const partitionRow = (i: number) => ({
  as_int: i,
  as_long: i,
  as_byte: i,
  as_short: i,
  as_boolean: i % 2 === 0,
  as_float: i,
  as_double: i,
  as_string: String(i),
  as_string_lit_null: "null",
  as_date: "2021-09-08",
  as_big_decimal: String(i),
  as_list_of_records: [{ val: i }, { val: i }, { val: i }],
  as_nested_struct: { aa: String(i), ab: String(i), ac: { aca: i, acb: i } },
  value: String(i),
});
const nullPartitionRow = {
  ...Object.fromEntries(Object.keys(partitionRow(0)).map((k) => [k, null])),
  as_timestamp: null,
  as_list_of_records: [{ val: 2 }, { val: 2 }, { val: 2 }],
  as_nested_struct: { aa: "2", ab: "2", ac: { aca: 2, acb: 2 } },
  value: "2",
};
// The generator ran in US Pacific time and wrote the zone-less "2021-09-08 11:11:11" in it.
golden("data-reader-partition-values", [{
  expected: "latest",
  rows: [
    { ...partitionRow(0), as_timestamp: "2021-09-08T18:11:11.000000Z" },
    { ...partitionRow(1), as_timestamp: "2021-09-08T18:11:11.000000Z" },
    nullPartitionRow,
  ],
}], { timeZone: "America/Los_Angeles" });

Deno.test("golden data-reader-partition-values: zone-less timestamp partitions default to UTC", async () => {
  const store = goldenStore("data-reader-partition-values");
  const rows = await scanAll(store, await loadSnapshot(store), { columns: ["as_int", "as_timestamp"] });
  assert.deepEqual(
    canonicalRows(rows),
    canonicalRows([
      { as_int: 0, as_timestamp: "2021-09-08T11:11:11.000000Z" },
      { as_int: 1, as_timestamp: "2021-09-08T11:11:11.000000Z" },
      { as_int: null, as_timestamp: null },
    ]),
  );
});

golden("data-reader-escaped-chars", [{
  expected: "latest",
  isVersion: 2,
  rows: [{ _1: "foo1", _2: "bar+%21" }, { _1: "foo2", _2: "bar+%22" }, { _1: "foo3", _2: "bar+%23" }],
}]);

golden("delta-0.8.0-special-partition", [{ rows: [{ x: "A/A", y: 1 }, { x: "B B", y: 2 }] }]);

golden("timestamp-partitioned-table", [{
  rows: [{ id: 1, x: 0.5, s: "", time: "1971-07-22T03:06:40.000000Z" }],
}]);

golden("kernel-timestamp-int96", [{
  expected: "latest",
  rows: [
    { id: 0, part: "2020-01-01T08:09:10.001000Z", time: "2020-02-01T08:09:10.000000Z" },
    { id: 1, part: "2021-10-01T08:09:20.000000Z", time: "1999-01-01T09:00:00.000000Z" },
    { id: 2, part: "2021-10-01T08:09:20.000000Z", time: "2000-01-01T09:00:00.000000Z" },
    { id: 3, part: "1969-01-01T00:00:00.000000Z", time: "1969-01-01T00:00:00.000000Z" },
    { id: 4, part: null, time: null },
  ],
}]);

// §3 Data types

golden("data-reader-primitives", [{
  expected: "latest",
  rows: [
    {
      as_int: null,
      as_long: null,
      as_byte: null,
      as_short: null,
      as_boolean: null,
      as_float: null,
      as_double: null,
      as_string: null,
      as_binary: null,
      as_big_decimal: null,
    },
    ...range(0, 9).map((i) => ({
      as_int: i,
      as_long: i,
      as_byte: i,
      as_short: i,
      as_boolean: i % 2 === 0,
      as_float: i,
      as_double: i,
      as_string: String(i),
      as_binary: btoa(String.fromCharCode(i, i)),
      as_big_decimal: String(i),
    })),
  ],
}]);

golden("data-reader-nested-struct", [{
  expected: "latest",
  rows: range(0, 9).map((i) => ({ a: { aa: String(i), ab: String(i), ac: { aca: i, acb: i } }, b: i })),
}]);

golden("data-reader-map", [{
  expected: "latest",
  rows: range(0, 9).map((i) => ({
    i,
    a: [{ key: i, value: i }],
    b: [{ key: i, value: i }],
    c: [{ key: i, value: i % 2 === 0 }],
    d: [{ key: i, value: i }],
    e: { [String(i)]: String(i) },
    f: [{ key: i, value: [{ val: i }, { val: i }, { val: i }] }],
  })),
}]);

golden("decimal-various-scale-precision", [{ expected: "latest", count: 3 }]);

Deno.test("golden decimal-various-scale-precision: exact values at every precision", async () => {
  const store = goldenStore("decimal-various-scale-precision");
  const rows = await scanAll(store, await loadSnapshot(store));
  const pick = (sign: 1 | -1) =>
    rows.find((r) => r.decimal_4_0 !== null && Math.sign(Number(String(r.decimal_4_0))) === sign)!;
  const pos = pick(1);
  assert.equal(String(pos.decimal_4_0), "4");
  assert.equal(String(pos.decimal_15_6), "3.302000");
  assert.equal(String(pos.decimal_25_18), "234942.000000000000000000");
  assert.equal(String(pos.decimal_35_30), "8083.687000000000000000000000000000");
  assert.equal(String(pos.decimal_38_36), "0.000000000000000003241836000000000000");
  assert.equal(pos.decimal_7_6, null);
  assert.equal(pos.decimal_25_24, null);
  const neg = pick(-1);
  assert.equal(String(neg.decimal_4_0), "-13");
  assert.equal(String(neg.decimal_15_0), "-157");
  assert.equal(String(neg.decimal_18_6), "-22641.000000");
  assert.equal(String(neg.decimal_38_0), "-17");
  assert.equal(String(neg.decimal_38_36), "-0.000000000000000029546424000000000000");
});

const ntzA = "2021-11-18T02:30:00.123456";
const ntzB = "2013-07-05T17:01:00.123456";
golden("data-reader-timestamp_ntz", [
  { version: 0, rows: [] },
  {
    expected: "latest",
    isVersion: 1,
    rows: [
      [0, ntzA, ntzA],
      [1, ntzB, ntzA],
      [2, null, ntzA],
      [3, ntzA, ntzB],
      [4, ntzB, ntzB],
      [5, null, ntzB],
      [6, ntzA, null],
      [7, ntzB, null],
      [8, null, null],
    ].map(([id, tsNtz, tsNtzPartition]) => ({ id, tsNtz, tsNtzPartition })),
  },
]);

golden("stats-writing-all-types", [
  { version: 0, rows: [] },
  {
    version: 1,
    rows: [
      [
        1,
        100,
        1000,
        10000,
        1.5,
        2.5,
        "2023-01-15",
        "2023-06-15T12:30:00",
        "alpha",
        "123.45",
        true,
        [1, 2, 3],
        [1, 2, 3],
        { key1: 100 },
        { inner_int: 10, inner_string: "nested_a", inner_double: 1.1 },
      ],
      [
        3,
        300,
        3000,
        30000,
        2.0,
        4.0,
        "2023-12-31",
        "2023-12-31T23:59:59",
        "beta",
        "456.78",
        true,
        [7, 8, 9],
        [6],
        { key4: 400 },
        { inner_int: 30, inner_string: null, inner_double: 3.3 },
      ],
      [
        5,
        500,
        5000,
        50000,
        Math.fround(3.14),
        6.28,
        "2024-06-15",
        "2024-12-25T00:00:00",
        "gamma",
        "999.99",
        false,
        [4, 5, 6],
        [4, 5],
        { key2: 200, key3: 300 },
        { inner_int: 50, inner_string: "nested_c", inner_double: 5.5 },
      ],
    ].map(([b, s, i, l, f, d, date, ts, str, dec, bool, bin, arr, map, struct]) => ({
      byte_col: b,
      short_col: s,
      int_col: i,
      long_col: l,
      float_col: f,
      double_col: d,
      date_col: date,
      timestamp_col: `${ts}.000000Z`,
      timestamp_ntz_col: `${ts}.000000`,
      string_col: str,
      decimal_col: dec,
      boolean_col: bool,
      binary_col: btoa(String.fromCharCode(...(bin as number[]))),
      array_col: arr,
      map_col: map,
      nested_struct: struct,
    } as JsonValue)).concat([{
      byte_col: null,
      short_col: null,
      int_col: null,
      long_col: null,
      float_col: null,
      double_col: null,
      date_col: null,
      timestamp_col: null,
      timestamp_ntz_col: null,
      string_col: null,
      decimal_col: null,
      boolean_col: null,
      binary_col: null,
      array_col: null,
      map_col: null,
      nested_struct: null,
    }]),
  },
]);

golden("data-skipping-basic-stats-all-types", [{
  expected: "latest",
  rows: [{
    as_int: 0,
    as_long: 0,
    as_byte: 0,
    as_short: 0,
    as_float: 0,
    as_double: 0,
    as_string: "0",
    as_date: "2000-01-01",
    as_timestamp: "2000-01-01T08:00:00.000000Z",
    as_big_decimal: "0",
  }],
}]);

// §4 Column mapping

golden("table-with-columnmapping-mode-name", [{ expected: "latest", count: 6 }]);

Deno.test("golden table-with-columnmapping-mode-name: values through physical names", async () => {
  const store = goldenStore("table-with-columnmapping-mode-name");
  const rows = await scanAll(store, await loadSnapshot(store));
  const row = rows.find((r) => r.IntegerType === 2)!;
  assert.deepEqual(
    canonicalRows([row]),
    canonicalRows([{
      ByteType: 2,
      ShortType: 2,
      IntegerType: 2,
      LongType: 2,
      FloatType: 2,
      DoubleType: 2,
      decimal: "2.00",
      BooleanType: true,
      StringType: "2",
      BinaryType: btoa("2"),
      DateType: "2021-11-18",
      TimestampType: "1970-01-01T00:00:00.002000Z",
      nested_struct: { aa: "2", ac: { aca: 2 } },
      array_of_prims: [2, 3],
      array_of_arrays: [[2, 3], [4, 5]],
      array_of_structs: [{ ab: 2 }, null],
      map_of_prims: [{ key: 2, value: 3 }, { key: 4, value: 5 }],
      map_of_rows: [{ key: 3, value: { ab: 40 } }],
      map_of_arrays: [{ key: 2, value: [2, null, 3] }, { key: 3, value: [] }],
    }]),
  );
  assert.equal(rows.filter((r) => Object.values(r).every((v) => v === null)).length, 1);
});

// §5 Deletion vectors

golden("table-with-dv-small", [
  { version: 0, rows: range(0, 9).map((value) => ({ value })) },
  { version: 1, rows: range(1, 8).map((value) => ({ value })) },
]);

const dvRows = (version: number) =>
  range(0, 49)
    .filter((x) => !(x % 2 === 0 && x < 2 * version))
    .map((x) => ({ part: x % 10, col1: x, col2: `foo${x % 5}` }));
golden("dv-partitioned-with-checkpoint", [
  ...range(0, 15).map((version) => ({ version, rows: dvRows(version) })),
  { expected: "latest", isVersion: 15, rows: dvRows(15) },
]);

const compactedRows = [
  { id: 0, comment: "new" },
  { id: 1, comment: "after-large-delete" },
  { id: 2, comment: "" },
  { id: 10, comment: "merge1-insert" },
  { id: 12, comment: "merge2-insert" },
];
golden("compacted-log-files-table", [{ isVersion: 25, rows: compactedRows }]);

Deno.test("golden compacted-log-files-table: the same rows from compaction files alone", async () => {
  const store = await goldenCopy("compacted-log-files-table");
  // Without commits 0–15 only the compaction files 0–5 and 6–15 can build the state.
  for (let v = 0; v <= 15; v++) await store.delete(`_delta_log/${String(v).padStart(20, "0")}.json`);
  await checkVersion("compacted-log-files-table", store, { isVersion: 25, rows: compactedRows });
});

// §6 Checkpoints

golden("multi-part-checkpoint", [
  { version: 0, rows: ids([0]) },
  { expected: "latest", isVersion: 1, rows: ids([0], range(0, 29)) },
]);

golden("v2-checkpoint-parquet", [
  { version: 0, rows: [] },
  { version: 1, rows: [] },
  { expected: "latest", isVersion: 2, rows: ids(range(0, 9)) },
]);

golden("v2-checkpoints-parquet-with-sidecars", [{
  isVersion: 6,
  rows: ids([0, 0, 0], range(0, 29), range(0, 99), range(0, 99), range(0, 999)),
}]);

const txnRows = [
  ...[["B", 4], ["A", 5], ["A", 6], ["A", 7], ["B", 8], ["B", 9], ["A", 10], ["A", 11]].map((
    [id, value],
  ) => ({ id, value, modified: "2021-02-01" })),
  ...[["A", 1], ["B", 2], ["A", 3]].map(([id, value]) => ({ id, value, modified: "2021-02-02" })),
];
golden("app-txn-checkpoint", [{ isVersion: 1, rows: [...txnRows, ...txnRows] }]);

Deno.test("golden app-txn-checkpoint: txn versions survive the checkpoint", async () => {
  const s = await loadSnapshot(goldenStore("app-txn-checkpoint"));
  assert.equal(s.txnVersion("my-app"), 3);
  assert.equal(s.txnVersion("my-app2"), 2);
  const v0 = await loadSnapshot(goldenStore("app-txn-checkpoint"), { version: 0 });
  assert.equal(v0.txnVersion("my-app"), 1);
  assert.equal(v0.txnVersion("my-app2"), undefined);
});

// §7 Time travel

golden("time-travel-start-start20-start40", [
  { version: 0, rows: ids(range(0, 9)) },
  { version: 1, rows: ids(range(0, 19)) },
  { version: 2, rows: ids(range(0, 29)) },
  { expected: "latest", isVersion: 2, rows: ids(range(0, 29)) },
]);

// §8 Change Data Feed and In-Commit Timestamps (snapshot contents; the change feeds are tested in changes_test)

golden("cdf-table", [{
  isVersion: 3,
  rows: [
    [1, "Steve", "2023-12-22"],
    [2, "Bob", "2023-12-22"],
    [3, "Dave", "2023-12-22"],
    [4, "Kate", "2023-12-22"],
    [5, "Emily", "2023-12-29"],
    [6, "Carl", "2023-12-29"],
    [8, "Claire", "2023-12-25"],
    [9, "Ada", "2023-12-25"],
    [10, "Borb", "2023-12-25"],
  ].map(([id, name, birthday]) => ({ id, name, birthday })),
}]);

golden("cdc_ict_table", [{
  isVersion: 3,
  rows: [{ name: "Kate", birthyear: 1995, age: 37 }, { name: "Steve", birthyear: 1986, age: 41 }],
}]);
