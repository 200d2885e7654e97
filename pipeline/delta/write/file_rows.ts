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
import type { Table } from "apache-arrow";
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
  return decodeFileColumns(bytes, source, schema, partitionColumns, add).rows();
}

/** The physical rows of a data file's bytes, column by column (see {@linkcode FileColumns}). */
export function decodeFileColumns(
  bytes: Uint8Array,
  source: string,
  schema: StructType,
  partitionColumns: readonly string[],
  add: AddFile,
): FileColumns {
  return new FileColumns(readParquetTable(bytes, source), schema, partitionColumns, add);
}

/**
 * The physical rows of a decoded data file as columns: a column's values are converted on first use, and row
 * objects are built only where asked, so finding a few rows by key touches only the key columns.
 */
export class FileColumns {
  readonly numRows: number;
  readonly #table: Table;
  readonly #schema: StructType;
  readonly #partitionColumns: readonly string[];
  readonly #add: AddFile;
  readonly #values = new Map<string, Value[]>();

  constructor(table: Table, schema: StructType, partitionColumns: readonly string[], add: AddFile) {
    this.numRows = table.numRows;
    this.#table = table;
    this.#schema = schema;
    this.#partitionColumns = partitionColumns;
    this.#add = add;
  }

  /** Every value of the column `name` (a table column), in file order. */
  values(name: string): Value[] {
    let values = this.#values.get(name);
    if (values) return values;
    const field = this.#schema.fields.find((f) => f.name === name);
    if (!field) throw new TypeError(`Cannot read column "${name}": it is not in the table schema`);
    const n = this.numRows;
    if (this.#partitionColumns.includes(name)) {
      const v = parsePartitionValue(field.type, this.#add.partitionValues[name], name);
      values = new Array<Value>(n).fill(v);
    } else {
      const i = findArrowField(this.#table.schema.fields, field, "none");
      if (i < 0) values = new Array<Value>(n).fill(null);
      else {
        values = [];
        for (const chunk of this.#table.getChildAt(i)!.data) {
          for (const v of arrowToValues(chunk, field.type, "none", name)) values.push(v);
        }
      }
    }
    this.#values.set(name, values);
    return values;
  }

  /** Row `index` with every column of the table. */
  row(index: number): Row {
    const row: Row = {};
    for (const f of this.#schema.fields) row[f.name] = this.values(f.name)[index];
    return row;
  }

  /** Every row with every column, in file order. */
  rows(): Row[] {
    const n = this.numRows;
    const rows: Row[] = Array.from({ length: n }, () => ({}));
    for (const f of this.#schema.fields) {
      const values = this.values(f.name);
      for (let r = 0; r < n; r++) rows[r][f.name] = values[r];
    }
    return rows;
  }
}
