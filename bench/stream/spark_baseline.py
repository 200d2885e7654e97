"""The baseline of the stream benchmark: the original system's approach (original-system.md §4), done right.

pyspark 3.5 + delta-spark 3.x, local[2] (settings: bench/stream/spark-baseline.conf), Kafka source over the
Debezium topics `<prefix>.public.<table>` (JsonConverter, schemas on), and `foreachBatch` MERGE into Delta on
MinIO (s3a):
- every table but customers: mirrored with one MERGE per batch (latest change per key by LSN; deletes delete);
- customers: `customers_scd2` with the standard staged-union SCD2 MERGE (one MERGE closes the current row and
  inserts the new version; tracked columns name, email, phone_number; an updated_at-only change updates the
  current row in place; a delete closes it and marks it deleted);
- sales_per_minute: a second streaming query, orders inserts in 1-minute event-time windows (source commit
  time, 1-minute watermark) aggregated in the RocksDB state store, upserted with MERGE.
Decimals are decoded exactly from Connect's base64 bytes, times from ZonedTimestamp text. MERGEs are made
idempotent per batch with Delta's `spark.databricks.delta.write.txnAppId`/`txnVersion` (Delta ≥ 2.3 applies
them to DML).

Per committed batch it appends one JSON line to --metrics: query, batch id, change events, the oldest and newest
source commit time in it (ms), and when its processing started and its last commit ended (ms since the epoch).

usage: spark_baseline.py --bootstrap H:P --prefix P --lake s3a://bucket/path --catalog catalog.json
                         --checkpoint DIR --metrics FILE --trigger available-now|<seconds>
"""
import argparse
import json
import os
import time

from delta.tables import DeltaTable
from pyspark.sql import SparkSession, Window
from pyspark.sql import functions as F
from pyspark.sql.types import StringType, StructField, StructType, LongType

TRACKED = ["name", "email", "phone_number"]
SPARK_TYPES = {"integer": "int", "long": "bigint", "string": "string", "boolean": "boolean",
               "timestamp": "string"}


def now_ms():
    return int(time.time() * 1000)


def raw_type(t):
    """How a column arrives in the JSON payload: decimals as base64 text, times as ISO text."""
    return "string" if t.startswith("decimal(") else SPARK_TYPES[t]


def lake_value(col, t):
    """A payload column converted to its lake type, exactly."""
    c = F.col(col)
    if t.startswith("decimal("):
        # Connect Decimal: big-endian two's complement unscaled bytes (money is never negative here).
        unscaled = F.conv(F.hex(F.unbase64(c)), 16, 10).cast("decimal(38,0)")
        scale = int(t[t.index(",") + 1:-1])
        return (unscaled / F.lit(10 ** scale)).cast(t)
    if t == "timestamp":
        return F.to_timestamp(c)
    return c


def parse_args():
    p = argparse.ArgumentParser()
    for a in ("bootstrap", "prefix", "lake", "catalog", "checkpoint", "metrics", "trigger"):
        p.add_argument("--" + a, required=True)
    return p.parse_args()


ENVELOPE = StructType([StructField("payload", StructType([
    StructField("op", StringType()),
    StructField("before", StringType()),
    StructField("after", StringType()),
    StructField("source", StructType([StructField("ts_ms", LongType()), StructField("lsn", LongType())])),
]))])


class Baseline:
    def __init__(self, spark, args, catalog):
        self.spark = spark
        self.args = args
        self.tables = {t["name"]: t for t in catalog}
        self.by_topic = {f"{args.prefix}.public.{t['source'].lower()}": t for t in catalog}
        self.metrics = open(args.metrics, "a", buffering=1)

    def path(self, name):
        return f"{self.args.lake}/{name}"

    def create_tables(self):
        for t in self.tables.values():
            cols = ", ".join(f"`{c['name']}` {c['type']}" for c in t["columns"])
            if t["name"] == "customers":
                cols += (", valid_from timestamp, valid_to timestamp, is_current boolean, is_deleted boolean, "
                         "version int")
                name = "customers_scd2"
            else:
                name = t["name"]
            self.spark.sql(f"CREATE TABLE IF NOT EXISTS delta.`{self.path(name)}` ({cols}) USING delta")
        self.spark.sql(f"CREATE TABLE IF NOT EXISTS delta.`{self.path('sales_per_minute')}` "
                       "(window_start timestamp, window_end timestamp, orders bigint, revenue decimal(28,2)) "
                       "USING delta")

    def record(self, query, batch_id, events, min_ts, max_ts, started):
        self.metrics.write(json.dumps({"query": query, "batch": batch_id, "events": events, "min_ts": min_ts,
                                       "max_ts": max_ts, "start": started, "end": now_ms()}) + "\n")

    def idempotent(self, query, batch_id):
        self.spark.conf.set("spark.databricks.delta.write.txnAppId", f"lakestream-baseline-{query}")
        self.spark.conf.set("spark.databricks.delta.write.txnVersion", str(batch_id))

    def changes(self, batch, table):
        """The batch's changes of one table: op, lsn, ts and the row image (after, or before for deletes)."""
        row = ", ".join(f"`{c['source'].lower()}` {raw_type(c['type'])}" for c in table["columns"])
        d = batch.where(F.col("table") == table["name"])
        d = d.withColumn("img", F.from_json(F.coalesce(F.col("after"), F.col("before")), row))
        return d.select("op", "lsn", "ts", *[lake_value(f"img.{c['source'].lower()}", c["type"]).alias(c["name"])
                                            for c in table["columns"]])

    @staticmethod
    def latest(df, key):
        w = Window.partitionBy(*key).orderBy(F.col("lsn").desc())
        return df.withColumn("_rn", F.row_number().over(w)).where("_rn = 1").drop("_rn")

    def mirror(self, df, table):
        key = table["key"]
        cols = [c["name"] for c in table["columns"]]
        s = self.latest(df, key)
        on = " AND ".join(f"t.`{k}` = s.`{k}`" for k in key)
        values = {f"`{c}`": f"s.`{c}`" for c in cols}
        (DeltaTable.forPath(self.spark, self.path(table["name"])).alias("t").merge(s.alias("s"), on)
         .whenMatchedDelete(condition="s.op = 'd'")
         .whenMatchedUpdate(set=values)
         .whenNotMatchedInsert(condition="s.op <> 'd'", values=values)
         .execute())

    def scd2(self, df, table):
        cols = [c["name"] for c in table["columns"]]
        updates = self.latest(df, ["customer_id"]).withColumn("change_ts", F.col("ts"))
        target = DeltaTable.forPath(self.spark, self.path("customers_scd2"))
        current = target.toDF().where("is_current").select(
            "customer_id", "version", *[F.col(c).alias(f"cur_{c}") for c in TRACKED])
        differs = " OR ".join(f"NOT (s.`{c}` <=> c.`cur_{c}`)" for c in TRACKED)
        # New versions of keys whose current row closes: staged with a null merge key so they are inserted.
        opened = (updates.alias("s").join(current.alias("c"), F.col("s.customer_id") == F.col("c.customer_id"))
                  .where(f"s.op <> 'd' AND ({differs})")
                  .select(F.lit(None).cast("int").alias("merge_key"), "s.*", F.col("c.version").alias("prev_version"),
                          *[F.col(f"c.cur_{c}") for c in TRACKED]))
        staged = updates.select(F.col("customer_id").alias("merge_key"), "*",
                                F.lit(None).cast("int").alias("prev_version"),
                                *[F.lit(None).cast("string").alias(f"cur_{c}") for c in TRACKED])
        staged = staged.unionByName(opened)
        changed = " OR ".join(f"NOT (t.`{c}` <=> s.`{c}`)" for c in TRACKED)
        insert = {f"`{c}`": f"s.`{c}`" for c in cols}
        insert.update({"valid_from": "s.change_ts", "valid_to": "null", "is_current": "true",
                       "is_deleted": "false", "version": "coalesce(s.prev_version, 0) + 1"})
        (target.alias("t").merge(staged.alias("s"), "t.customer_id = s.merge_key AND t.is_current")
         .whenMatchedUpdate(condition=f"s.op = 'd' OR {changed}",
                            set={"is_current": "false", "valid_to": "s.change_ts",
                                 "is_deleted": "s.op = 'd'"})
         .whenMatchedUpdate(set={"updated_at": "s.updated_at"})
         .whenNotMatchedInsert(condition="s.op <> 'd'", values=insert)
         .execute())

    def main_batch(self, raw, batch_id):
        started = now_ms()
        parsed = (raw.where(F.col("value").isNotNull())
                  .withColumn("e", F.from_json("value", ENVELOPE).getField("payload"))
                  .select(F.col("table"), F.col("e.op").alias("op"), F.col("e.before").alias("before"),
                          F.col("e.after").alias("after"), F.col("e.source.lsn").alias("lsn"),
                          F.col("e.source.ts_ms").alias("ts_ms"),
                          (F.col("e.source.ts_ms") / 1000).cast("timestamp").alias("ts"))
                  .persist())
        stats = parsed.agg(F.count("*").alias("n"), F.min("ts_ms").alias("lo"), F.max("ts_ms").alias("hi"),
                           F.collect_set("table").alias("tables")).first()
        if stats.n > 0:
            self.idempotent("main", batch_id)
            for name in sorted(stats.tables):
                table = self.tables[name]
                df = self.changes(parsed, table)
                if name == "customers":
                    self.scd2(df, table)
                else:
                    self.mirror(df, table)
            self.record("main", batch_id, stats.n, stats.lo, stats.hi, started)
        parsed.unpersist()

    def sales_batch(self, windows, batch_id):
        started = now_ms()
        windows = windows.persist()
        n = windows.count()
        if n > 0:
            self.idempotent("sales", batch_id)
            (DeltaTable.forPath(self.spark, self.path("sales_per_minute")).alias("t")
             .merge(windows.alias("s"), "t.window_start = s.window_start")
             .whenMatchedUpdateAll().whenNotMatchedInsertAll().execute())
            self.record("sales", batch_id, n, None, None, started)
        windows.unpersist()

    def run(self):
        tables = F.create_map(*[x for topic, t in self.by_topic.items() for x in (F.lit(topic), F.lit(t["name"]))])
        source = (self.spark.readStream.format("kafka")
                  .option("kafka.bootstrap.servers", self.args.bootstrap)
                  .option("subscribePattern", self.args.prefix.replace(".", "\\.") + "\\.public\\..*")
                  .option("startingOffsets", "earliest")
                  .option("failOnDataLoss", "false")
                  .load()
                  .select(tables[F.col("topic")].alias("table"), F.col("value").cast("string").alias("value")))
        trigger = ({"availableNow": True} if self.args.trigger == "available-now"
                   else {"processingTime": f"{self.args.trigger} seconds"})
        main = (source.writeStream.foreachBatch(self.main_batch).trigger(**trigger)
                .option("checkpointLocation", f"{self.args.checkpoint}/main").start())
        orders = self.tables["orders"]
        total = next(c for c in orders["columns"] if c["name"] == "total_amount")
        sales = (source.where("table = 'orders' AND value IS NOT NULL")
                 .withColumn("e", F.from_json("value", ENVELOPE).getField("payload"))
                 .where("e.op = 'c'")
                 .select((F.col("e.source.ts_ms") / 1000).cast("timestamp").alias("ts"),
                         F.get_json_object("e.after", "$.totalamount").alias("raw_total"))
                 .select("ts", lake_value("raw_total", total["type"]).alias("total"))
                 .withWatermark("ts", "1 minute")
                 .groupBy(F.window("ts", "1 minute"))
                 .agg(F.count("*").alias("orders"), F.sum("total").cast("decimal(28,2)").alias("revenue"))
                 .select(F.col("window.start").alias("window_start"), F.col("window.end").alias("window_end"),
                         "orders", "revenue"))
        sales_q = (sales.writeStream.outputMode("update").foreachBatch(self.sales_batch).trigger(**trigger)
                   .option("checkpointLocation", f"{self.args.checkpoint}/sales").start())
        print(f"BASELINE started {now_ms()}", flush=True)
        main.awaitTermination()
        sales_q.awaitTermination()
        print(f"BASELINE finished {now_ms()}", flush=True)


def main():
    args = parse_args()
    os.environ["TZ"] = "UTC"
    time.tzset()
    with open(args.catalog) as f:
        catalog = json.load(f)
    spark = SparkSession.builder.appName("lakestream-spark-baseline").getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    baseline = Baseline(spark, args, catalog)
    baseline.create_tables()
    print(f"BASELINE ready {now_ms()}", flush=True)
    baseline.run()


if __name__ == "__main__":
    main()
