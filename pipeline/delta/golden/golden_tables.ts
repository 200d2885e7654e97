/**
 * Test support: the real Delta tables in `../shared/delta-golden` (read in place, never copied into the repo),
 * opened as stores.
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { LocalStore } from "../storage/local_store.ts";
import { MemoryStore } from "../storage/memory_store.ts";
import { type JsonValue, type Row, toJsonValue, type Value } from "../../value/mod.ts";
import type { StructType } from "../schema/types.ts";
import { arrowToValues, findArrowField } from "../read/arrow_values.ts";
import { readParquetTable } from "../read/parquet_file.ts";

/** The folder of the golden tables, next to the repository. */
export const GOLDEN_ROOT: string = fileURLToPath(
  new URL("../../../../shared/delta-golden/", import.meta.url),
);

/** The table root (`<name>/delta`) of a golden table. */
export function goldenPath(name: string): string {
  return join(GOLDEN_ROOT, name, "delta");
}

/** A read-only view of a golden table in place. */
export function goldenStore(name: string): LocalStore {
  return new LocalStore(goldenPath(name));
}

/**
 * A copy of a golden table in memory, with the files' modification times, that a test may change (corrupt a
 * checkpoint, delete a commit) without touching the shared folder.
 */
export async function goldenCopy(name: string): Promise<MemoryStore> {
  const clock = { now: 0 };
  const copy = new MemoryStore({ url: `memory://${name}`, now: () => clock.now });
  for await (const meta of goldenStore(name).list("")) {
    clock.now = meta.lastModified;
    await copy.put(meta.key, await Deno.readFile(join(goldenPath(name), meta.key)));
  }
  return copy;
}

/**
 * The expected rows of a golden table as Parquet (`expected/<version>/`, every `.parquet` file in it), decoded
 * by the table's schema so that they compare with what the reader returns. Null when the folder does not exist.
 */
export async function readExpected(name: string, version: string, schema: StructType): Promise<Row[] | null> {
  const dir = join(GOLDEN_ROOT, name, "expected", version);
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(dir));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
  const rows: Row[] = [];
  for (const entry of entries.filter((e) => e.name.endsWith(".parquet"))) {
    const table = readParquetTable(await Deno.readFile(join(dir, entry.name)), entry.name);
    const columns = schema.fields.map((f) => {
      const i = findArrowField(table.schema.fields, f, "none");
      if (i < 0) throw new Error(`Expected rows of ${name} have no column ${f.name}`);
      return table.batches.flatMap((b) => arrowToValues(b.data.children[i], f.type, "none", f.name));
    });
    for (let r = 0; r < table.numRows; r++) {
      const row: Row = {};
      schema.fields.forEach((f, c) => row[f.name] = columns[c][r]);
      rows.push(row);
    }
  }
  return rows;
}

/**
 * Rows as sorted canonical JSON lines (the lake's value encoding, object keys sorted), so that two row sets
 * compare regardless of order. Accepts rows of the value model or already JSON-encoded objects.
 */
export function canonicalRows(rows: readonly (Row | JsonValue)[]): string[] {
  // toJsonValue leaves JSON values as they are, so both kinds of input go through it.
  return rows.map((r) => canonicalJson(toJsonValue(r as Value))).sort();
}

function canonicalJson(v: JsonValue): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (v !== null && typeof v === "object") {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`).join(",")}}`;
  }
  return JSON.stringify(v);
}
