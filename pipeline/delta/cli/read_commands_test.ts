import assert from "node:assert/strict";
import { goldenPath } from "../golden/golden_tables.ts";
import { changesCommand } from "./changes_command.ts";
import type { CommandIO } from "./command_io.ts";
import { describeCommand } from "./describe_command.ts";
import { historyCommand } from "./history_command.ts";
import { main } from "./main.ts";
import { readCommand } from "./read_command.ts";
import { UsageError } from "./usage_error.ts";

function io(): CommandIO & { out: string[] } {
  const out: string[] = [];
  return {
    out,
    print: (l) => out.push(...l.split("\n")),
    readInput: () => Promise.reject(new Error("no input in these tests")),
  };
}

Deno.test("lake read prints ndjson in the lake's value encoding", async () => {
  const x = io();
  await readCommand([
    goldenPath("stats-writing-all-types"),
    "--format",
    "ndjson",
    "--where",
    "int_col = 1000",
  ], x);
  assert.equal(x.out.length, 1);
  assert.deepEqual(JSON.parse(x.out[0]), {
    byte_col: 1,
    short_col: 100,
    int_col: 1000,
    long_col: 10000,
    float_col: 1.5,
    double_col: 2.5,
    date_col: "2023-01-15",
    timestamp_col: "2023-06-15T12:30:00.000000Z",
    timestamp_ntz_col: "2023-06-15T12:30:00.000000",
    string_col: "alpha",
    decimal_col: "123.45",
    boolean_col: true,
    binary_col: "AQID",
    array_col: [1, 2, 3],
    map_col: { key1: 100 },
    nested_struct: { inner_int: 10, inner_string: "nested_a", inner_double: 1.1 },
  });
});

Deno.test("lake read projects, filters, limits and travels by version", async () => {
  const x = io();
  await readCommand([
    goldenPath("basic_append"),
    "--version",
    "0",
    "--columns",
    "number",
    "--format",
    "ndjson",
  ], x);
  assert.deepEqual(x.out.map((l) => JSON.parse(l).number).sort(), [1, 2, 3]);
  const y = io();
  await readCommand([
    goldenPath("basic_append"),
    "--where",
    "letter > 'b'",
    "--limit",
    "2",
    "--format",
    "ndjson",
  ], y);
  assert.equal(y.out.length, 2);
  assert.ok(y.out.every((l) => JSON.parse(l).letter > "b"));
});

Deno.test("lake read prints csv with a header and empty cells for nulls", async () => {
  const x = io();
  await readCommand([
    goldenPath("basic_partitioned"),
    "--format",
    "csv",
    "--columns",
    "letter,number",
    "--where",
    "number >= 5",
  ], x);
  assert.equal(x.out[0], "letter,number");
  assert.deepEqual(x.out.slice(1).sort(), [",6", "e,5"]);
  const empty = io();
  await readCommand([
    goldenPath("basic_partitioned"),
    "--format",
    "csv",
    "--columns",
    "number",
    "--where",
    "number > 100",
  ], empty);
  assert.deepEqual(empty.out, ["number"]);
});

Deno.test("lake read prints an aligned table with a row count", async () => {
  const x = io();
  await readCommand([goldenPath("delta-0.8.0-special-partition")], x);
  assert.deepEqual(x.out, ["x   | y", "----+--", "A/A | 1", "B B | 2", "(2 rows)"]);
});

Deno.test("lake read turns bad options into usage errors", async () => {
  const table = goldenPath("basic_append");
  for (
    const args of [
      [table, "--version", "x"],
      [table, "--version", "1", "--timestamp", "2024-01-01"],
      [table, "--timestamp", "yesterday"],
      [table, "--format", "xml"],
      [table, "--where", "letter ~ 1"],
      [table, "--where", "nope = 1"],
      [table, "--columns", "nope"],
      [table, "--limit", "-1"],
      [table, "--bogus"],
      [],
    ]
  ) {
    await assert.rejects(readCommand(args, io()), UsageError, args.join(" "));
  }
});

Deno.test("lake describe prints the table's state, as JSON with --json", async () => {
  const x = io();
  await describeCommand([goldenPath("dv-partitioned-with-checkpoint"), "--json"], x);
  const d = JSON.parse(x.out[0]);
  assert.equal(d.version, 15);
  assert.deepEqual(d.protocol, {
    minReaderVersion: 3,
    minWriterVersion: 7,
    readerFeatures: ["deletionVectors"],
    writerFeatures: ["deletionVectors"],
  });
  assert.deepEqual(d.partitionColumns, ["part"]);
  assert.deepEqual(d.properties, { "delta.enableDeletionVectors": "true" });
  assert.equal(d.rows, 35);
  assert.equal(d.files, 15);
  assert.deepEqual(d.deletionVectors, { files: 2, deletedRows: 2 });
  assert.equal(d.checkpointVersion, 10);
  assert.deepEqual(d.schema.fields.map((f: { name: string }) => f.name), ["part", "col1", "col2"]);
  const text = io();
  await describeCommand([goldenPath("dv-partitioned-with-checkpoint"), "--version", "3"], text);
  assert.match(text.out[1], /^Version {5}3 \(committed \d{4}-\d{2}-\d{2}T[\d:.]+Z\)$/);
  assert.ok(text.out.includes("Rows        47"));
  assert.ok(text.out.includes("Deleted     3 rows by deletion vectors in 3 files"), text.out.join("\n"));
  assert.ok(text.out.includes("  col2  string"));
});

Deno.test("lake history prints commits newest first", async () => {
  const x = io();
  await historyCommand([goldenPath("cdf-table"), "--json"], x);
  const h = JSON.parse(x.out[0]);
  assert.deepEqual(h.map((e: { version: number; operation: string }) => [e.version, e.operation]), [
    [3, "DELETE"],
    [2, "UPDATE"],
    [1, "UPDATE"],
    [0, "WRITE"],
  ]);
  const t = io();
  await historyCommand([goldenPath("cdf-table"), "--limit", "1"], t);
  assert.match(t.out[2], /^3 +\| \S+Z \| DELETE/);
  assert.equal(t.out.at(-1), "(1 row)");
});

Deno.test("lake changes prints the change feed with its three columns", async () => {
  const x = io();
  await changesCommand([goldenPath("cdf-table"), "--from", "3", "--format", "ndjson"], x);
  assert.equal(x.out.length, 1);
  const row = JSON.parse(x.out[0]);
  assert.deepEqual({ ...row, _commit_timestamp: undefined }, {
    id: 7,
    name: "Dennis",
    birthday: "2023-12-29",
    _change_type: "delete",
    _commit_version: 3,
    _commit_timestamp: undefined,
  });
  assert.match(row._commit_timestamp, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
  await assert.rejects(changesCommand([goldenPath("cdf-table")], io()), UsageError);
  await assert.rejects(
    changesCommand([goldenPath("cdf-table"), "--from", "2", "--to", "1"], io()),
    UsageError,
  );
});

Deno.test("main() exits 2 on usage errors, 1 on failures, 0 on success", async () => {
  const errors: string[] = [];
  const err = (l: string) => errors.push(l);
  assert.equal(await main([], io(), err), 2);
  assert.equal(await main(["frob"], io(), err), 2);
  assert.equal(await main(["read", goldenPath("basic_append"), "--format", "xml"], io(), err), 2);
  assert.equal(await main(["read", goldenPath("basic_append"), "--version", "9"], io(), err), 1);
  assert.equal(await main(["read", "/definitely/not/a/table"], io(), err), 1);
  assert.equal(await main(["changes", goldenPath("basic_append"), "--from", "0"], io(), err), 1);
  assert.equal(await main(["read", goldenPath("basic_append")], io(), err), 0);
  const help = io();
  assert.equal(await main(["help"], help, err), 0);
  assert.ok(help.out.some((l) => l.startsWith("  read <uri>")));
  assert.ok(errors.every((l) => !l.includes("\n") && !/\bat \S+:\d+/.test(l)), errors.join("\n"));
  assert.match(
    errors[3],
    /^lake read: Cannot load ".*basic_append\/delta" at version 9: the latest version is 1$/,
  );
  assert.match(errors[5], /Change Data Feed is not enabled/);
});

Deno.test("deno task lake exits with the status and one-line message of main()", async () => {
  const cmd = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("./main.ts", import.meta.url).pathname, "read", "/definitely/not/a/table"],
    stdout: "piped",
    stderr: "piped",
  });
  const r = await cmd.output();
  assert.equal(r.code, 1);
  assert.equal(new TextDecoder().decode(r.stdout), "");
  assert.equal(
    new TextDecoder().decode(r.stderr).trim(),
    'lake read: Cannot open "/definitely/not/a/table": no Delta table there (no commits in _delta_log/)',
  );
});

Deno.test("lake read --where takes several conditions joined by and", async () => {
  const x = io();
  await readCommand([
    goldenPath("basic_append"),
    "--where",
    "number >= 2 and letter < 'e'",
    "--format",
    "ndjson",
  ], x);
  assert.deepEqual(x.out.map((l) => JSON.parse(l).letter).sort(), ["b", "c", "d"]);
});
