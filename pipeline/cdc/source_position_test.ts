import assert from "node:assert/strict";
import {
  comparePositions,
  mysqlPosition,
  normalizeLsn,
  parsePostgresPosition,
  parseSqlitePosition,
  parseSqlServerPosition,
  postgresPosition,
  sqlitePosition,
  sqlServerPosition,
} from "./source_position.ts";

function assertAscending(positions: string[]): void {
  for (let i = 1; i < positions.length; i++) {
    assert.equal(
      comparePositions(positions[i - 1], positions[i]),
      -1,
      `${positions[i - 1]} < ${positions[i]}`,
    );
    assert.equal(positions[i].length, positions[0].length, "fixed width");
  }
}

Deno.test("normalizeLsn() pads short hex and lower-cases it", () => {
  assert.equal(normalizeLsn("0000002B:00000557:0003"), "0000002b:00000557:0003");
  assert.equal(normalizeLsn("00"), "00000000:00000000:0000");
  assert.equal(normalizeLsn("0000002b000005570003"), "0000002b:00000557:0003");
  assert.throws(() => normalizeLsn("xyz"), SyntaxError);
  assert.throws(() => normalizeLsn("0".repeat(21)), SyntaxError);
});

Deno.test("sqlServerPosition() orders snapshot rows, then commit LSN, change LSN and serial", () => {
  assertAscending([
    sqlServerPosition({ commitLsn: "0000002b:000004f8:0005", changeLsn: null, eventSerialNo: null }),
    sqlServerPosition({
      commitLsn: "0000002b:00000557:0005",
      changeLsn: "0000002b:00000557:0003",
      eventSerialNo: 1,
    }),
    sqlServerPosition({
      commitLsn: "0000002b:00000557:0005",
      changeLsn: "0000002b:00000557:0004",
      eventSerialNo: 1,
    }),
    sqlServerPosition({
      commitLsn: "0000002b:00000557:0005",
      changeLsn: "0000002b:00000557:0004",
      eventSerialNo: 2,
    }),
    sqlServerPosition({
      commitLsn: "0000002b:00000559:0003",
      changeLsn: "0000002b:00000559:0002",
      eventSerialNo: 2,
    }),
    sqlServerPosition({
      commitLsn: "0000002c:00000000:0001",
      changeLsn: "0000002b:00000600:0002",
      eventSerialNo: 1,
    }),
  ]);
});

Deno.test("sqlServerPosition() round-trips through parseSqlServerPosition()", () => {
  const p = sqlServerPosition({
    commitLsn: "0000002B:00000557:0005",
    changeLsn: "0000002b:00000557:0003",
    eventSerialNo: 2n,
  });
  assert.equal(p, "0000002b:00000557:0005/0000002b:00000557:0003/0000000002");
  assert.deepEqual(parseSqlServerPosition(p), {
    commitLsn: "0000002b:00000557:0005",
    changeLsn: "0000002b:00000557:0003",
    eventSerialNo: 2n,
  });
  assert.throws(() => parseSqlServerPosition("nope"), SyntaxError);
  assert.throws(() => sqlServerPosition({ commitLsn: "00", changeLsn: null, eventSerialNo: -1 }), RangeError);
});

Deno.test("postgresPosition() orders interleaved transactions by their commit, then by LSN", () => {
  // T2 wrote at LSN 110 and committed at 120, T1 wrote at 100 and committed at 130: Debezium emits T2 first.
  assertAscending([
    postgresPosition({ lastCommitLsn: null, lsn: 22401960n }), // snapshot rows share their LSN
    postgresPosition({ lastCommitLsn: null, lsn: 22401960n, sub: 1 }),
    postgresPosition({ lastCommitLsn: null, lsn: 22402288n }),
    postgresPosition({ lastCommitLsn: 22402290n, lsn: 110n }),
    postgresPosition({ lastCommitLsn: 120n + 22402290n, lsn: 100n }),
    postgresPosition({ lastCommitLsn: 120n + 22402290n, lsn: 101n }),
  ]);
  const p = postgresPosition({ lastCommitLsn: 34389280n, lsn: 34389336n });
  assert.equal(p, "00000000020cbd20/00000000020cbd58/00000000000000000000");
  assert.deepEqual(parsePostgresPosition(p), { lastCommitLsn: 34389280n, lsn: 34389336n, sub: 0n });
  assert.throws(() => postgresPosition({ lastCommitLsn: -1n, lsn: 0n }), RangeError);
});

Deno.test("sqlitePosition() puts snapshot rows after the changes they include and before later ones", () => {
  assertAscending([
    sqlitePosition(41),
    sqlitePosition(42),
    sqlitePosition(42, 1),
    sqlitePosition(42, 2),
    sqlitePosition(43),
  ]);
  assert.deepEqual(parseSqlitePosition(sqlitePosition(42, 7)), { seq: 42n, sub: 7n });
  assert.throws(() => sqlitePosition(-1), RangeError);
});

Deno.test("mysqlPosition() orders binlog files, offsets and rows", () => {
  assertAscending([
    mysqlPosition("mysql-bin.000003", 154, 0),
    mysqlPosition("mysql-bin.000003", 154, 1),
    mysqlPosition("mysql-bin.000003", 1000, 0),
    mysqlPosition("mysql-bin.000004", 4, 0),
  ]);
});
