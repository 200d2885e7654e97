"""Python `deltalake` (delta-rs) side of the interop tests.

  <op> <path> [<op> <path> …]   ops run in order in one process (one JVM for Spark), each numbered i from 0:
    read     print the table's rows ("ROW<i> {json}") and its change feed from version 0 ("CDF<i> {json}")
    readdv   the same for a table with deletion vectors: rows through the SQL QueryBuilder (DataFusion applies
             the vectors), plus "REFUSED<i> <message>" when to_pyarrow_table() refuses the table, and
             "CDFERROR<i> <message>" when the change feed cannot be read
    write0   create a table (not partitioned) with every primitive type, insert, merge, delete, checkpoint(s),
    write1   the same partitioned by p_day; then print its rows as this library reads them ("ROW<i> {json}")
  Values are printed in the lake's JSON encoding; other libraries print to stdout too, hence the prefixes.
"""
import datetime
import decimal
import json
import os
import sys

import pyarrow as pa
from deltalake import DeltaTable, QueryBuilder, write_deltalake

from lake_json import encode


def ntz_columns(schema):
    return {f.name for f in schema if pa.types.is_timestamp(f.type) and f.type.tz is None}


def dump(prefix, table):
    ntz = ntz_columns(table.schema)
    for row in table.to_pylist():
        print(prefix, json.dumps({k: encode(v, zoned=k not in ntz) for k, v in row.items()}, sort_keys=True))


def read(path, i, cdf=True):
    dt = DeltaTable(path)
    dump(f"ROW{i}", dt.to_pyarrow_table())
    if cdf:
        # deltalake 1.x returns an arro3 stream; pyarrow takes it over the Arrow C stream interface.
        table = pa.RecordBatchReader.from_stream(dt.load_cdf(starting_version=0)).read_all()
        dump(f"CDF{i}", table.drop_columns([c for c in table.column_names if c == "_commit_timestamp"]))


def read_dv(path, i):
    dt = DeltaTable(path)
    try:
        dt.to_pyarrow_table()
    except Exception as e:  # deltalake 1.6.6: DeltaProtocolError, reader feature deletionVectors not supported
        print(f"REFUSED{i}", type(e).__name__, str(e).replace("\n", " "))
    result = QueryBuilder().register("t", dt).execute("SELECT * FROM t")
    dump(f"ROW{i}", pa.RecordBatchReader.from_stream(result).read_all())
    try:
        table = pa.RecordBatchReader.from_stream(dt.load_cdf(starting_version=0)).read_all()
        dump(f"CDF{i}", table.drop_columns([c for c in table.column_names if c == "_commit_timestamp"]))
    except Exception as e:
        print(f"CDFERROR{i}", type(e).__name__, str(e).replace("\n", " "))


SCHEMA = pa.schema([
    ("id", pa.int64()),
    ("b_byte", pa.int8()),
    ("s_short", pa.int16()),
    ("i_int", pa.int32()),
    ("f_float", pa.float32()),
    ("d_double", pa.float64()),
    ("bo_bool", pa.bool_()),
    ("str", pa.string()),
    ("bin", pa.binary()),
    ("dt_date", pa.date32()),
    ("ts", pa.timestamp("us", tz="UTC")),
    ("dec9", pa.decimal128(9, 2)),
    ("dec18", pa.decimal128(18, 2)),
    ("dec38", pa.decimal128(38, 10)),
    ("p_day", pa.date32()),
])


def rows(ids, tag):
    out = []
    for i in ids:
        out.append({
            "id": i if i != 4 else 9007199254740993,
            "b_byte": -i,
            "s_short": i * 100,
            "i_int": i * 100000,
            "f_float": i + 0.5,
            "d_double": i / 3,
            "bo_bool": i % 2 == 0,
            "str": f"{tag}-{i}-ünï",
            "bin": bytes([i, 255]),
            "dt_date": datetime.date(2024, 1, i),
            "ts": datetime.datetime(2024, 1, i, 12, 0, 0, 123456, tzinfo=datetime.timezone.utc),
            "dec9": decimal.Decimal(f"{i}.25"),
            "dec18": decimal.Decimal(f"-{i}123456789.99"),
            "dec38": decimal.Decimal(f"{i}234567890123456789012345678.0123456789"),
            "p_day": datetime.date(2024, 2, 1 + i % 2),
        })
    return pa.Table.from_pylist(out, schema=SCHEMA)


def write(path, partitioned):
    part = ["p_day"] if partitioned else None
    config = {"delta.enableChangeDataFeed": "true"}
    write_deltalake(path, rows([1, 2, 3], "a"), partition_by=part, configuration=config)
    write_deltalake(path, rows([4, 5], "b"), mode="append")
    dt = DeltaTable(path)
    (dt.merge(source=rows([2, 6], "m"), predicate="t.id = s.id", source_alias="s", target_alias="t")
       .when_matched_update_all().when_not_matched_insert_all().execute())
    DeltaTable(path).delete("id = 3")
    DeltaTable(path).create_checkpoint()


if __name__ == "__main__":
    args = sys.argv[1:]
    for i, (op, path) in enumerate(zip(args[::2], args[1::2])):
        if op == "read":
            read(path, i)
        elif op == "readdv":
            read_dv(path, i)
        elif op in ("write0", "write1"):
            write(path, op == "write1")
            read(path, i, cdf=False)
        else:
            raise SystemExit(f"unknown op {op}")
    # delta-rs' background threads can abort the interpreter's shutdown ("terminate called without an active
    # exception", delta-io/delta-rs#2184) after all the work is done: flush, then leave without the teardown.
    sys.stdout.flush()
    os._exit(0)
