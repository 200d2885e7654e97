/**
 * Column readers over SQL Server's own column metadata: the select list they build, the conversion of recorded
 * driver values (the text the CONVERT expressions return, debezium.md §C.6) to exact lake values, the catalog
 * overrides, and the mapping of the metadata query's rows.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import type { ColumnDef } from "../../../catalog/mod.ts";
import { Decimal, LocalDate, LocalTime, Timestamp, toJsonValue } from "../../../value/mod.ts";
import type { CaptureInstance } from "./cdc_client.ts";
import {
  columnReader,
  columnReaders,
  ColumnTypeError,
  selectList,
  type SqlColumn,
} from "./column_readers.ts";
import { CAPTURED_COLUMNS_QUERY, changesQuery, snapshotQuery, sqlColumnsOf } from "./mssql_client.ts";

const col = (ordinal: number, name: string, type: string, precision = 0, scale = 0): SqlColumn => ({
  name,
  ordinal,
  type,
  precision,
  scale,
});

/** Every supported type, as `capturedColumns()` reports a table `dbo.Ledger` outside the catalog. */
const LEDGER: SqlColumn[] = [
  col(1, "EntryID", "bigint", 19),
  col(2, "Amount", "money", 19, 4),
  col(3, "Fee", "smallmoney", 10, 4),
  col(4, "Rate", "decimal", 38, 10),
  col(5, "Ratio", "numeric", 5, 5),
  col(6, "BookedAt", "datetime2", 27, 7),
  col(7, "LegacyAt", "datetime", 23, 3),
  col(8, "RoundedAt", "smalldatetime", 16, 0),
  col(9, "ZonedAt", "datetimeoffset", 34, 7),
  col(10, "ValueDate", "date", 10, 0),
  col(11, "CutOff", "time", 16, 7),
  col(12, "Settled", "bit", 1),
  col(13, "Tiny", "tinyint", 3),
  col(14, "Small", "smallint", 5),
  col(15, "Count", "int", 10),
  col(16, "Weight", "real", 24),
  col(17, "Score", "float", 53),
  col(18, "Code", "nchar"),
  col(19, "Memo", "nvarchar"),
  col(20, "Note", "text"),
  col(21, "Ref", "uniqueidentifier"),
  col(22, "Hash", "varbinary"),
];

const readers = () => columnReaders("dbo.Ledger", LEDGER);

Deno.test("selectList() casts every type the driver would read lossily, from the column metadata alone", () => {
  assert.equal(
    selectList(readers()),
    [
      "CONVERT(varchar(20), [EntryID]) AS [EntryID]",
      "CONVERT(varchar(24), [Amount], 2) AS [Amount]",
      "CONVERT(varchar(24), [Fee], 2) AS [Fee]",
      "CONVERT(varchar(41), [Rate]) AS [Rate]",
      "CONVERT(varchar(41), [Ratio]) AS [Ratio]",
      "CONVERT(varchar(27), [BookedAt], 121) AS [BookedAt]",
      "CONVERT(varchar(27), [LegacyAt], 121) AS [LegacyAt]",
      "CONVERT(varchar(27), [RoundedAt], 121) AS [RoundedAt]",
      "CONVERT(varchar(34), [ZonedAt], 121) AS [ZonedAt]",
      "CONVERT(varchar(10), [ValueDate], 23) AS [ValueDate]",
      "CONVERT(varchar(16), [CutOff], 121) AS [CutOff]",
      "[Settled]",
      "[Tiny]",
      "[Small]",
      "[Count]",
      "[Weight]",
      "[Score]",
      "[Code]",
      "[Memo]",
      "[Note]",
      "CONVERT(char(36), [Ref]) AS [Ref]",
      "[Hash]",
    ].join(", "),
  );
});

Deno.test("columnReaders() derives each Delta type from the SQL type and keeps ordinal order", () => {
  const shuffled = [...LEDGER].reverse();
  const r = columnReaders("dbo.Ledger", shuffled);
  assert.deepEqual(
    [...r.keys()],
    LEDGER.map((c) => c.name),
    "ordinal order, whatever order the rows came in",
  );
  assert.deepEqual(
    Object.fromEntries([...r.values()].map((x) => [x.sqlType, x.deltaType])),
    {
      "bigint": "long",
      "money": "decimal(19,4)",
      "smallmoney": "decimal(10,4)",
      "decimal(38,10)": "decimal(38,10)",
      "numeric(5,5)": "decimal(5,5)",
      "datetime2(7)": "timestamp",
      "datetime": "timestamp",
      "smalldatetime": "timestamp",
      "datetimeoffset(7)": "timestamp",
      "date": "date",
      "time(7)": null,
      "bit": "boolean",
      "tinyint": "short",
      "smallint": "short",
      "int": "integer",
      "real": "float",
      "float": "double",
      "nchar": "string",
      "nvarchar": "string",
      "text": "string",
      "uniqueidentifier": "string",
      "varbinary": "binary",
    },
  );
});

/** One recorded row: what the driver returns for the select list above, extremes of each type. */
const RECORDED: Record<string, unknown> = {
  EntryID: "9223372036854775807",
  Amount: "922337203685477.5807",
  Fee: "-214748.3648",
  Rate: "1234567890123456789012345678.0123456789",
  Ratio: ".12345",
  BookedAt: "2024-01-02 03:04:05.1234567",
  LegacyAt: "2024-01-02 03:04:05.997",
  RoundedAt: "2024-01-02 03:04:00",
  ZonedAt: "2024-01-02 03:04:05.1234567 +11:00",
  ValueDate: "0001-01-01",
  CutOff: "23:59:59.9999999",
  Settled: true,
  Tiny: 255,
  Small: -32768,
  Count: 2147483647,
  Weight: 4.322999954223633,
  Score: 3.323,
  Code: "cč ",
  Memo: "naïve ☕",
  Note: "",
  Ref: "6f9619ff-8b86-d011-b42d-00c04fc964ff",
  Hash: Buffer.from([0, 1, 255]),
};

Deno.test("column readers convert recorded driver values to exact lake values", () => {
  const r = readers();
  const out = Object.fromEntries([...r].map(([name, reader]) => [name, reader.read(RECORDED[name])]));
  assert.deepEqual(out.EntryID, 9223372036854775807n, "bigint beyond 2^53 exact");
  assert.deepEqual(out.Amount, new Decimal(9223372036854775807n, 4), "money's largest value exact, scale 4");
  assert.deepEqual(out.Fee, new Decimal(-2147483648n, 4), "smallmoney's smallest value exact");
  assert.equal(String(out.Rate), "1234567890123456789012345678.0123456789");
  assert.equal(String(out.Ratio), "0.12345", "decimal text without a leading zero is read too");
  assert.deepEqual(out.BookedAt, new Timestamp(1704164645123456700n, 7, true), "datetime2(7) keeps 7 digits");
  assert.equal(String(out.LegacyAt), "2024-01-02T03:04:05.997Z");
  assert.equal(String(out.RoundedAt), "2024-01-02T03:04:00Z");
  assert.equal(String(out.ZonedAt), "2024-01-01T16:04:05.1234567Z", "the instant of the offset value");
  assert.deepEqual(out.ValueDate, LocalDate.parse("0001-01-01"));
  assert.deepEqual(out.CutOff, new LocalTime(86_399_999_999_900n, 7), "time(7) keeps 100 ns");
  assert.equal(out.Ref, "6F9619FF-8B86-D011-B42D-00C04FC964FF", "upper case, as SQL Server shows it");
  assert.deepEqual(out.Hash, new Uint8Array([0, 1, 255]));
  assert.deepEqual(toJsonValue(out), {
    EntryID: "9223372036854775807",
    Amount: "922337203685477.5807",
    Fee: "-214748.3648",
    Rate: "1234567890123456789012345678.0123456789",
    Ratio: "0.12345",
    BookedAt: "2024-01-02T03:04:05.1234567Z",
    LegacyAt: "2024-01-02T03:04:05.997Z",
    RoundedAt: "2024-01-02T03:04:00Z",
    ZonedAt: "2024-01-01T16:04:05.1234567Z",
    ValueDate: "0001-01-01",
    CutOff: "23:59:59.9999999",
    Settled: true,
    Tiny: 255,
    Small: -32768,
    Count: 2147483647,
    Weight: 4.322999954223633,
    Score: 3.323,
    Code: "cč ",
    Memo: "naïve ☕",
    Note: "",
    Ref: "6F9619FF-8B86-D011-B42D-00C04FC964FF",
    Hash: "AAH/",
  });
  for (const reader of r.values()) assert.equal(reader.read(null), null, `${reader.name} NULL`);
});

Deno.test("column readers refuse values the driver read without the cast, naming table and column", () => {
  const r = readers();
  const cases: [string, unknown, RegExp][] = [
    ["Amount", 922337203685477.6, /"dbo\.Ledger\.Amount": expected decimal text, got 922337203685477\.6/],
    ["EntryID", 9223372036854776000, /"dbo\.Ledger\.EntryID": expected bigint text/],
    ["EntryID", "9223372036854775808", /expected bigint text, got "9223372036854775808"/],
    ["BookedAt", new Date(0), /"dbo\.Ledger\.BookedAt": expected date-time text without an offset/],
    ["BookedAt", "2024-01-02 03:04:05.1234567 +11:00", /without an offset/],
    [
      "ZonedAt",
      "2024-01-02 03:04:05.1234567",
      /"dbo\.Ledger\.ZonedAt": expected date-time text with an offset/,
    ],
    ["CutOff", "24:00:00", /outside one day/],
    ["Ref", "not-a-guid", /expected uniqueidentifier text/],
    ["Tiny", 256, /an integer between 0 and 255/],
    ["Settled", 1, /expected a boolean/],
  ];
  for (const [name, raw, message] of cases) {
    assert.throws(() => r.get(name)!.read(raw), message, `${name} ${String(raw)}`);
  }
  assert.throws(() => r.get("Amount")!.read("1.23456"), /1\.23456 does not fit scale 4/);
});

Deno.test("columnReaders() fails with ColumnTypeError naming table, column and type for an unsupported type", () => {
  for (const type of ["geography", "sql_variant", "hierarchyid"]) {
    assert.throws(
      () => columnReaders("dbo.Stores", [col(1, "StoreID", "int", 10), col(2, "Location", type)]),
      (e) =>
        e instanceof ColumnTypeError &&
        e.message.startsWith(`Cannot read SQL Server column "dbo.Stores.Location" of type ${type}: `),
    );
  }
  assert.throws(() => columnReaders("dbo.Empty", []), /"dbo\.Empty": SQL Server lists no captured columns/);
});

Deno.test("columnReader() takes the catalog's type when it holds every value of the SQL type exactly", () => {
  const def = (type: ColumnDef["type"]): ColumnDef => ({ source: "X", name: "x", type, nullable: true });
  const price = columnReader("dbo.Products", col(1, "Price", "decimal", 18, 2), def("decimal(18,2)"));
  assert.equal(price.select, "CONVERT(varchar(41), [Price]) AS [Price]");
  assert.deepEqual(price.read("99999999999999.99"), new Decimal(9999999999999999n, 2));
  const wider = columnReader("dbo.T", col(1, "N", "int", 10), def("long"));
  assert.deepEqual([wider.deltaType, wider.read(-5)], ["long", -5n]);
  const asDecimal = columnReader("dbo.T", col(1, "N", "smallint", 5), def("decimal(7,2)"));
  assert.equal(String(asDecimal.read(-32768)), "-32768.00");
  const widerScale = columnReader("dbo.T", col(1, "P", "decimal", 10, 2), def("decimal(12,4)"));
  assert.equal(String(widerScale.read("12345678.90")), "12345678.9000");
  const ntz = columnReader("dbo.T", col(1, "At", "datetime2", 27, 7), def("timestamp_ntz"));
  assert.equal(String(ntz.read("2024-01-02 03:04:05.1234567")), "2024-01-02T03:04:05.1234567");
  for (
    const [sql, type] of [
      [col(1, "Price", "money", 19, 4), "decimal(18,2)"],
      [col(1, "P", "decimal", 20, 2), "decimal(18,2)"],
      [col(1, "N", "bigint", 19), "integer"],
      [col(1, "N", "int", 10), "string"],
      [col(1, "At", "time", 16, 7), "timestamp"],
    ] as const
  ) {
    assert.throws(
      () => columnReader("dbo.T", sql, def(type)),
      (e) =>
        e instanceof ColumnTypeError && e.message.includes(`"dbo.T.${sql.name}"`) && e.message.includes(type),
      `${sql.type} as ${type}`,
    );
  }
});

Deno.test("sqlColumnsOf() maps the metadata query's rows (tedious: tinyint and smallint as numbers)", () => {
  assert.match(CAPTURED_COLUMNS_QUERY, /FROM cdc\.change_tables ct\s+JOIN cdc\.captured_columns cc/);
  assert.match(CAPTURED_COLUMNS_QUERY, /WHERE ct\.capture_instance = @ci/);
  const rows = [
    { name: "EntryID", ordinal: 1, type: "bigint", precision: 19, scale: 0 },
    { name: "Amount", ordinal: 2, type: "money", precision: 19, scale: 4 },
    { name: "BookedAt", ordinal: 3, type: "datetime2", precision: 27, scale: 7 },
    { name: "Owner", ordinal: 4, type: "NVARCHAR", precision: 0, scale: 0 },
  ];
  const columns = sqlColumnsOf("dbo_Ledger", rows);
  assert.deepEqual(columns, [
    col(1, "EntryID", "bigint", 19),
    col(2, "Amount", "money", 19, 4),
    col(3, "BookedAt", "datetime2", 27, 7),
    col(4, "Owner", "nvarchar"),
  ]);
  assert.equal(
    selectList(columnReaders("dbo.Ledger", columns)),
    "CONVERT(varchar(20), [EntryID]) AS [EntryID], CONVERT(varchar(24), [Amount], 2) AS [Amount], " +
      "CONVERT(varchar(27), [BookedAt], 121) AS [BookedAt], [Owner]",
  );
  assert.throws(
    () => sqlColumnsOf("dbo_Ledger", [{ name: "X", ordinal: 1, type: null, precision: 0, scale: 0 }]),
    /Cannot read the captured columns of "dbo_Ledger": unexpected row/,
  );
});

Deno.test("changesQuery() and snapshotQuery() quote every name and order the snapshot by the key column itself", () => {
  const r = columnReaders("dbo.Odd Table", [
    col(1, "Id", "bigint", 19),
    col(2, "Weird]Name", "money", 19, 4),
  ]);
  assert.match(
    changesQuery("dbo_Odd]; DROP TABLE y; --", r),
    /CONVERT\(varchar\(24\), \[Weird\]\]Name\], 2\) AS \[Weird\]\]Name\]\s+FROM cdc\.\[fn_cdc_get_all_changes_dbo_Odd\]\]; DROP TABLE y; --\]\(@from, @to, N'all update old'\)/,
  );
  const ci: CaptureInstance = { name: "dbo_Odd", sourceSchema: "dbo", sourceTable: "Odd Table" };
  assert.equal(
    snapshotQuery(ci, r, { column: "Id", value: "41" }),
    "SELECT CONVERT(varchar(20), [Id]) AS [Id], CONVERT(varchar(24), [Weird]]Name], 2) AS [Weird]]Name] " +
      "FROM [dbo].[Odd Table] AS src WHERE src.[Id] > @after ORDER BY src.[Id]",
  );
  assert.match(snapshotQuery(ci, r, { column: "Id", value: null }), /AS src ORDER BY src\.\[Id\]$/);
  assert.match(snapshotQuery(ci, r), /AS src$/);
});
