/**
 * Reading back the rows of one data file the writer must rewrite (delete, upsert, OPTIMIZE): the file's data
 * columns plus the partition columns from `add.partitionValues`.
 *
 * @module
 */
import type { Row, Value } from "../../value/mod.ts";
import type { AddFile } from "../log/actions.ts";
import { readDeletionVector } from "../read/deletion_vector.ts";
import { arrowToValues, findArrowField } from "../read/arrow_values.ts";
import { readParquetTable } from "../read/parquet_file.ts";
import type { StructType } from "../schema/types.ts";
import type { ObjectStore } from "../storage/object_store.ts";
import { parsePartitionValue } from "./partition_values.ts";

/** The storage key of an `add.path` (percent-decoded exactly once; `+` stays a plus). */
export function addPathToKey(path: string): string {
  return decodeURIComponent(path);
}

/**
 * The live rows of the data file `add` of a table with `schema` and `partitionColumns`: the rows its deletion
 * vector deletes, if it has one, are left out.
 */
export async function readFileRows(
  store: ObjectStore,
  schema: StructType,
  partitionColumns: readonly string[],
  add: AddFile,
): Promise<Row[]> {
  const key = addPathToKey(add.path);
  const [bytes, deleted] = await Promise.all([
    store.get(key),
    add.deletionVector ? readDeletionVector(store, add.deletionVector) : null,
  ]);
  const rows = decodeFileRows(bytes, `${store.url}/${key}`, schema, partitionColumns, add);
  if (!deleted) return rows;
  const gone = new Set(deleted);
  return rows.filter((_, i) => !gone.has(i));
}

/**
 * Every physical row of a data file's bytes, in file order, including rows a deletion vector deletes (a row's
 * index is its position in the file); `source` names the file in errors.
 */
export function decodeFileRows(
  bytes: Uint8Array,
  source: string,
  schema: StructType,
  partitionColumns: readonly string[],
  add: AddFile,
): Row[] {
  const table = readParquetTable(bytes, source);
  const n = table.numRows;
  const rows: Row[] = Array.from({ length: n }, () => ({}));
  for (const field of schema.fields) {
    if (partitionColumns.includes(field.name)) {
      const v = parsePartitionValue(field.type, add.partitionValues[field.name], field.name);
      for (const r of rows) r[field.name] = v;
      continue;
    }
    const i = findArrowField(table.schema.fields, field, "none");
    let values: Value[];
    if (i < 0) values = new Array<Value>(n).fill(null);
    else {
      values = [];
      for (const chunk of table.getChildAt(i)!.data) {
        for (const v of arrowToValues(chunk, field.type, "none", field.name)) values.push(v);
      }
    }
    for (let r = 0; r < n; r++) rows[r][field.name] = values[r];
  }
  return rows;
}
