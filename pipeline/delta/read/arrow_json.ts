/**
 * Arrow columns to plain JSON-like values, for reading log actions out of Parquet checkpoints: structs become
 * objects, maps become objects with string keys, lists become arrays, 64-bit integers become numbers (sizes,
 * versions and times fit in 2^53).
 *
 * @module
 */
import { type Data, Type } from "apache-arrow";
import { binaryValues, boolValues, offsetsOf, utf8Values, validity } from "./arrow_data.ts";

/** A JSON-like value decoded from Arrow. */
export type Plain = null | boolean | number | string | Uint8Array | Plain[] | { [key: string]: Plain };

/**
 * Decodes every row of `data`. Struct fields named in `skip` are left out at any depth (checkpoints carry
 * `stats_parsed` and `partitionValues_parsed`, which the reader does not need), and so are null struct fields
 * (absent optional fields of an action). Map entries keep null values. Types that actions never use decode to
 * null.
 */
export function arrowToPlain(data: Data, skip: ReadonlySet<string> = new Set()): Plain[] {
  const n = data.length;
  // Checkpoint columns are mostly null (each row holds one action): skip their children entirely.
  if (n > 0 && data.nullCount === n) return new Array<Plain>(n).fill(null);
  const valid = validity(data);
  switch (data.typeId) {
    case Type.Utf8:
    case Type.LargeUtf8:
      return utf8Values(data);
    case Type.Binary:
    case Type.LargeBinary:
      return binaryValues(data);
    case Type.Bool:
      return boolValues(data);
    case Type.Int:
    case Type.Float:
    case Type.Timestamp:
    case Type.Date: {
      const values = data.values as ArrayLike<number | bigint>;
      const out = new Array<Plain>(n);
      for (let i = 0; i < n; i++) out[i] = valid(i) ? Number(values[i]) : null;
      return out;
    }
    case Type.Struct: {
      const fields = data.type.children as { name: string }[];
      const cols: [string, Plain[]][] = [];
      fields.forEach((f, j) => {
        if (!skip.has(f.name)) cols.push([f.name, arrowToPlain(data.children[j], skip)]);
      });
      const out = new Array<Plain>(n);
      for (let i = 0; i < n; i++) {
        if (!valid(i)) {
          out[i] = null;
          continue;
        }
        const o: { [key: string]: Plain } = {};
        for (const [name, col] of cols) {
          const v = col[i];
          if (v !== null) o[name] = v;
        }
        out[i] = o;
      }
      return out;
    }
    case Type.List:
    case Type.LargeList: {
      const items = arrowToPlain(data.children[0], skip);
      const offsets = offsetsOf(data);
      const out = new Array<Plain>(n);
      for (let i = 0; i < n; i++) out[i] = valid(i) ? items.slice(offsets[i], offsets[i + 1]) : null;
      return out;
    }
    case Type.Map: {
      const entries = data.children[0];
      const keys = arrowToPlain(entries.children[0], skip);
      const values = arrowToPlain(entries.children[1], skip);
      const offsets = offsetsOf(data);
      const out = new Array<Plain>(n);
      for (let i = 0; i < n; i++) {
        if (!valid(i)) {
          out[i] = null;
          continue;
        }
        const o: { [key: string]: Plain } = {};
        for (let j = offsets[i]; j < offsets[i + 1]; j++) o[String(keys[j])] = values[j];
        out[i] = o;
      }
      return out;
    }
    default:
      return new Array<Plain>(n).fill(null);
  }
}
