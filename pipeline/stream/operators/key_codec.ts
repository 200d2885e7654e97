/**
 * Compact map keys for table keys: the value itself for one integer or string column (a small integer key costs
 * no allocation), else a JSON text of the typed values.
 *
 * @module
 */
import type { ColumnDef } from "../../catalog/mod.ts";
import type { JsonValue, Row } from "../../value/mod.ts";
import type { ByteReader, ByteWriter } from "./byte_buffer.ts";
import { decodeValue, encodeValue } from "./value_codec.ts";

/** A table key as a Map key. */
export type Key = number | string;

/** Turns key columns of a row into a Map key and back. */
export interface KeyCodec {
  /** Key column names. */
  readonly columns: readonly string[];
  keyOf(row: Row): Key;
  /** A row holding only the key columns. */
  rowOf(key: Key): Row;
}

/** The key codec of the given key columns (in key order). */
export function keyCodec(columns: readonly Pick<ColumnDef, "name" | "type">[]): KeyCodec {
  const names = columns.map((c) => c.name);
  if (columns.length === 1) {
    const [{ name, type }] = columns;
    if (type === "integer" || type === "short" || type === "byte" || type === "string") {
      return {
        columns: names,
        keyOf: (row) => row[name] as Key,
        rowOf: (key) => ({ [name]: key }),
      };
    }
  }
  return {
    columns: names,
    keyOf: (row) => JSON.stringify(names.map((n) => encodeValue(row[n]))),
    rowOf: (key) => {
      const values = JSON.parse(key as string) as JsonValue[];
      const row: Row = {};
      names.forEach((n, i) => row[n] = decodeValue(values[i]));
      return row;
    },
  };
}

/** Writes a key to a state snapshot. */
export function writeKey(w: ByteWriter, key: Key): void {
  if (typeof key === "number") w.u8(0).f64(key);
  else w.u8(1).string(key);
}

/** Reads a key written by {@linkcode writeKey}. */
export function readKey(r: ByteReader): Key {
  return r.u8() === 0 ? r.f64() : r.string();
}
