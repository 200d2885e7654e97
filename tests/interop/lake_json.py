"""The lake's JSON value encoding (pipeline/value toJsonValue) for values read by pyarrow and pyspark, so rows
from delta-rs and Spark compare exactly with rows from the Deno engine."""
import base64
import datetime
import decimal
import math

MAX_SAFE = 2**53 - 1


def encode(v, zoned=True):
    """One value; zoned says whether a naive datetime is a Delta `timestamp` (printed with Z) or `timestamp_ntz`."""
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, int):
        return str(v) if abs(v) > MAX_SAFE else v
    if isinstance(v, float):
        if math.isnan(v):
            return "NaN"
        if math.isinf(v):
            return "Infinity" if v > 0 else "-Infinity"
        return v
    if isinstance(v, decimal.Decimal):
        return format(v, "f")
    if isinstance(v, datetime.datetime):
        if v.tzinfo is not None:
            v = v.astimezone(datetime.timezone.utc).replace(tzinfo=None)
            zoned = True
        return v.strftime("%Y-%m-%dT%H:%M:%S.%f") + ("Z" if zoned else "")
    if isinstance(v, datetime.date):
        return v.isoformat()
    if isinstance(v, (bytes, bytearray)):
        return base64.b64encode(bytes(v)).decode()
    if isinstance(v, dict):
        return {k: encode(x, zoned) for k, x in v.items()}
    if isinstance(v, list):
        # pyarrow gives maps as lists of (key, value) tuples
        if v and all(isinstance(e, tuple) and len(e) == 2 for e in v):
            if all(isinstance(k, str) for k, _ in v):
                return {k: encode(x, zoned) for k, x in v}
            return [{"key": encode(k, zoned), "value": encode(x, zoned)} for k, x in v]
        return [encode(x, zoned) for x in v]
    raise TypeError(f"cannot encode {type(v).__name__}")
