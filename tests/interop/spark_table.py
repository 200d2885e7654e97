"""pyspark 3.5 + delta-spark 3.x side of the interop tests (local[1], UTC, Delta jars from spark.jars.packages).

  <op> <path> [<op> <path> …]   ops run in order in one process (one JVM for Spark), each numbered i from 0:
    read     print the table's rows ("ROW<i> {json}") and its change feed from version 0 ("CDF<i> {json}")
    write0   create a table (not partitioned) with every primitive type, insert, merge, delete, checkpoint(s),
    write1   the same partitioned by p_day; then print its rows as this library reads them ("ROW<i> {json}")
    writedv  create a table with deletion vectors and Change Data Feed, insert ids 1-5 in one file, delete id 3
             (a deletion vector), then print its rows ("ROW<i> {json}")
    detail   print DESCRIBE DETAIL's protocol ("DETAIL<i> {minReaderVersion, minWriterVersion, tableFeatures}")
  Values are printed in the lake's JSON encoding; other libraries print to stdout too, hence the prefixes.
"""
import json
import os
import sys
import tempfile

os.environ["TZ"] = "UTC"
import time  # noqa: E402

time.tzset()

from delta import configure_spark_with_delta_pip  # noqa: E402
from pyspark.sql import SparkSession  # noqa: E402
from pyspark.sql.types import TimestampNTZType  # noqa: E402

from lake_json import encode  # noqa: E402


def session():
    builder = (SparkSession.builder.master("local[1]").appName("lakestream-interop")
               .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
               .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
               .config("spark.sql.session.timeZone", "UTC")
               .config("spark.ui.enabled", "false")
               .config("spark.sql.shuffle.partitions", "1")
               # Delta rebuilds table state in 50 tasks by default; one is plenty for these tiny tables.
               .config("spark.databricks.delta.snapshotPartitions", "1")
               .config("spark.driver.memory", "1g")
               # Not the working directory: that is the repository.
               .config("spark.sql.warehouse.dir", tempfile.mkdtemp(prefix="lakestream-spark-warehouse-")))
    spark = configure_spark_with_delta_pip(builder).getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def dump(prefix, df):
    ntz = {f.name for f in df.schema.fields if isinstance(f.dataType, TimestampNTZType)}
    for row in df.collect():
        d = row.asDict(recursive=True)
        print(prefix, json.dumps({k: encode(v, zoned=k not in ntz) for k, v in d.items()}, sort_keys=True))


def read(spark, path, i, cdf=True):
    dump(f"ROW{i}", spark.read.format("delta").load(path))
    if cdf:
        dump(f"CDF{i}", spark.read.format("delta").option("readChangeFeed", "true").option("startingVersion", 0)
             .load(path).drop("_commit_timestamp"))


COLUMNS = ("id BIGINT, b_byte TINYINT, s_short SMALLINT, i_int INT, f_float FLOAT, d_double DOUBLE, "
           "bo_bool BOOLEAN, str STRING, bin BINARY, dt_date DATE, ts TIMESTAMP, dec9 DECIMAL(9,2), "
           "dec18 DECIMAL(18,2), dec38 DECIMAL(38,10), p_day DATE")


def values(ids, tag):
    out = []
    for i in ids:
        idv = 9007199254740993 if i == 4 else i
        out.append(
            f"({idv}, {-i}, {i * 100}, {i * 100000}, {i + 0.5}, {i}D / 3, {str(i % 2 == 0).lower()}, "
            f"'{tag}-{i}-ünï', X'{i:02X}FF', DATE'2024-01-{i:02d}', TIMESTAMP'2024-01-{i:02d} 12:00:00.123456', "
            f"{i}.25, -{i}123456789.99, {i}234567890123456789012345678.0123456789, DATE'2024-02-{1 + i % 2:02d}')")
    return ", ".join(out)


def write(spark, path, partitioned):
    t = f"delta.`{path}`"
    part = "PARTITIONED BY (p_day)" if partitioned else ""
    spark.sql(f"CREATE TABLE {t} ({COLUMNS}) USING DELTA {part} "
              "TBLPROPERTIES (delta.enableChangeDataFeed = true, delta.checkpointInterval = 2)")
    spark.sql(f"INSERT INTO {t} VALUES {values([1, 2, 3], 'a')}")
    spark.sql(f"INSERT INTO {t} VALUES {values([4, 5], 'b')}")
    names = ", ".join(c.split()[0] for c in COLUMNS.split(", "))
    spark.sql(f"CREATE OR REPLACE TEMP VIEW src AS SELECT * FROM VALUES {values([2, 6], 'm')} AS s({names})")
    spark.sql(f"MERGE INTO {t} AS t USING src AS s ON t.id = s.id "
              "WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *")
    spark.sql(f"DELETE FROM {t} WHERE id = 3")


def write_dv(spark, path):
    t = f"delta.`{path}`"
    spark.sql(f"CREATE TABLE {t} ({COLUMNS}) USING DELTA TBLPROPERTIES (delta.enableDeletionVectors = true, "
              "delta.enableChangeDataFeed = true)")
    spark.sql(f"INSERT INTO {t} VALUES {values([1, 2, 3, 4, 5], 'a')}")
    spark.sql(f"DELETE FROM {t} WHERE id = 3")


def detail(spark, path, i):
    d = spark.sql(f"DESCRIBE DETAIL delta.`{path}`").collect()[0].asDict()
    protocol = {k: d[k] for k in ("minReaderVersion", "minWriterVersion")}
    print(f"DETAIL{i}", json.dumps({**protocol, "tableFeatures": sorted(d["tableFeatures"])}))


if __name__ == "__main__":
    args = sys.argv[1:]
    spark = session()
    try:
        for i, (op, path) in enumerate(zip(args[::2], args[1::2])):
            if op == "read":
                read(spark, path, i)
            elif op in ("write0", "write1"):
                write(spark, path, op == "write1")
                read(spark, path, i, cdf=False)
            elif op == "writedv":
                write_dv(spark, path)
                read(spark, path, i, cdf=False)
            elif op == "detail":
                detail(spark, path, i)
            else:
                raise SystemExit(f"unknown op {op}")
    finally:
        spark.stop()
