/**
 * A lossless JSON-safe form of `Value`s for operator state: unlike the lake's JSON encoding it keeps types
 * (decimal scale, timestamp digits and zone flag, int64 vs number, bytes vs text), so state restores exactly.
 *
 * @module
 */
import {
  Decimal,
  decodeBase64,
  encodeBase64,
  type JsonValue,
  LocalDate,
  LocalTime,
  type Row,
  Timestamp,
  type Value,
} from "../../value/mod.ts";

// Non-JSON values become strings that start with this character and a type letter; a real string that starts
// with it is escaped with the letter "s". A printable ASCII tag keeps state compact: JSON escapes control
// characters to six bytes.
const TAG = "~";
const MAP = TAG + "M";

/** The JSON-safe form of a value; `decodeValue(encodeValue(v))` equals `v` with its type. */
export function encodeValue(v: Value): JsonValue {
  switch (typeof v) {
    case "string":
      return v.startsWith(TAG) ? TAG + "s" + v : v;
    case "boolean":
      return v;
    case "number":
      return Number.isFinite(v) ? v : TAG + "n" + String(v);
    case "bigint":
      return TAG + "b" + v;
    case "object":
      if (v === null) return null;
      if (v instanceof Decimal) return TAG + "d" + v.toString();
      if (v instanceof Timestamp) return TAG + "t" + v.digits + (v.zoned ? "z" : "u") + v.epochNanos;
      if (v instanceof LocalDate) return TAG + "D" + v.days;
      if (v instanceof LocalTime) return TAG + "T" + v.digits + ":" + v.nanos;
      if (v instanceof Uint8Array) return TAG + "B" + encodeBase64(v);
      if (Array.isArray(v)) return v.map(encodeValue);
      if (v instanceof Map) {
        const out: JsonValue[] = [MAP];
        for (const [k, x] of v) out.push(encodeValue(k), encodeValue(x));
        return out;
      }
      {
        const o: { [k: string]: JsonValue } = {};
        for (const k in v) o[k] = encodeValue((v as Row)[k]);
        return o;
      }
  }
  throw new TypeError(`Cannot encode state value of type ${typeof v}`);
}

/** The value of its JSON-safe form; a SyntaxError names a malformed tagged string. */
export function decodeValue(j: JsonValue): Value {
  if (typeof j === "string") return j.startsWith(TAG) ? decodeTagged(j) : j;
  if (j === null || typeof j !== "object") return j;
  if (Array.isArray(j)) {
    if (j[0] !== MAP) return j.map(decodeValue);
    const m = new Map<Value, Value>();
    for (let i = 1; i + 1 < j.length; i += 2) m.set(decodeValue(j[i]), decodeValue(j[i + 1]));
    return m;
  }
  const o: Row = {};
  for (const k in j) o[k] = decodeValue(j[k]);
  return o;
}

function decodeTagged(s: string): Value {
  const body = s.slice(2);
  switch (s[1]) {
    case "s":
      return body;
    case "n":
      return Number(body);
    case "b":
      return BigInt(body);
    case "d":
      return Decimal.parse(body);
    case "t":
      return new Timestamp(BigInt(body.slice(2)), Number(body[0]), body[1] === "z");
    case "D":
      return new LocalDate(Number(body));
    case "T": {
      const colon = body.indexOf(":");
      return new LocalTime(BigInt(body.slice(colon + 1)), Number(body.slice(0, colon)));
    }
    case "B":
      return decodeBase64(body);
  }
  throw new SyntaxError(`Cannot decode state value ${JSON.stringify(s)}: unknown type tag`);
}
