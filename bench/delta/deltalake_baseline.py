"""Python `deltalake` baseline for bench/delta: the same orders table shape, timed the same way.

  append <dir> <rows> [writes]   time write_deltalake of <rows> rows to <writes> (default 2) new tables
                                 <dir>-<i>, one after the other (generation not timed)
  open <dir>                     time DeltaTable(dir) (snapshot open), median of 5
Prints one JSON object: writes (seconds, cpu_seconds of each) / ms, peak_rss_mib.
"""
import decimal
import json
import os
import random
import resource
import sys
import time

import pyarrow as pa
from deltalake import DeltaTable, write_deltalake


def orders(n):
    rng = random.Random(42)
    ids = list(range(n))
    statuses = ["pending", "paid", "shipped", "delivered", "cancelled"]
    return pa.table({
        "order_id": pa.array(ids, pa.int64()),
        "customer_id": pa.array([rng.randrange(100_000) for _ in ids], pa.int64()),
        "status": pa.array([statuses[rng.randrange(5)] for _ in ids]),
        "amount": pa.array([decimal.Decimal(rng.randrange(1_000_000)).scaleb(-2) for _ in ids], pa.decimal128(18, 2)),
        "created_at": pa.array([1_700_000_000_000_000 + i * 1_000_003 for i in ids], pa.timestamp("us", tz="UTC")),
        "order_date": pa.array([19_700 + i // 10_000 for i in ids], pa.int32()).cast(pa.date32()),
        "quantity": pa.array([1 + rng.randrange(9) for _ in ids], pa.int32()),
        "note": pa.array([f"o-{i % 977}" for i in ids]),
    })


def peak():
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


if __name__ == "__main__":
    cmd, path = sys.argv[1], sys.argv[2]
    if cmd == "append":
        n = int(sys.argv[3])
        writes = []
        for i in range(int(sys.argv[4]) if len(sys.argv) > 4 else 2):
            data = orders(n)
            r0 = resource.getrusage(resource.RUSAGE_SELF)
            t = time.perf_counter()
            write_deltalake(f"{path}-{i}", data, mode="append")
            s = time.perf_counter() - t
            r1 = resource.getrusage(resource.RUSAGE_SELF)
            cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
            writes.append({"seconds": s, "cpu_seconds": cpu})
            del data
        print(json.dumps({"writes": writes, "peak_rss_mib": peak()}))
    elif cmd == "open":
        times = []
        for _ in range(5):
            t = time.perf_counter()
            DeltaTable(path).version()
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        print(json.dumps({"ms": times[2], "peak_rss_mib": peak()}))
    # delta-rs' background threads can abort the interpreter's shutdown after the work is done
    # (delta-io/delta-rs#2184): flush, then leave without the teardown.
    sys.stdout.flush()
    os._exit(0)
