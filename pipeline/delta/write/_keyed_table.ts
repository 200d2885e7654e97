/**
 * Test fixture of the keyed-write tests (merge, upsert, rewrite): a table of `id`, `name`, `amount` in three
 * data files with ids 1–10, 11–20 and 21–30, and its rows in id order.
 *
 * @module
 */
import { Decimal, type Row } from "../../value/mod.ts";
import { loadSnapshot } from "../log/snapshot.ts";
import { scanAll } from "../read/scan.ts";
import type { StructType } from "../schema/types.ts";
import type { MemoryStore } from "../storage/memory_store.ts";
import type { ByteRange, ObjectStore } from "../storage/object_store.ts";
import { createTable, writeTable } from "./write_table.ts";

export const schema: StructType = {
  type: "struct",
  fields: [
    { name: "id", type: "long", nullable: false, metadata: {} },
    { name: "name", type: "string", nullable: true, metadata: {} },
    { name: "amount", type: "decimal(10,2)", nullable: true, metadata: {} },
  ],
};

export const row = (id: number, name = `n${id}`, amount = "1.00"): Row => ({
  id: BigInt(id),
  name,
  amount: Decimal.parse(amount),
});

export const key = (id: number): Row => ({ id: BigInt(id) });

let clock = 1_700_000_000_000;
/** A clock that ticks one ms per call, so commits have distinct times. */
export const now = (): number => clock++;

/** Creates the three-file table in `store` (with Change Data Feed and deletion vectors as asked). */
export async function keyedTable(
  store: MemoryStore,
  options: { cdf?: boolean; dv?: boolean } = {},
): Promise<MemoryStore> {
  await createTable(
    store,
    { schema, enableChangeDataFeed: options.cdf ?? false, enableDeletionVectors: options.dv ?? false },
    { now },
  );
  for (let f = 0; f < 3; f++) {
    await writeTable(store, Array.from({ length: 10 }, (_, i) => row(f * 10 + i + 1)), { now });
  }
  return store;
}

/** The table's rows, by id. */
export async function contents(store: ObjectStore): Promise<Row[]> {
  const rows = await scanAll(store, await loadSnapshot(store));
  return rows.sort((a, b) => Number((a.id as bigint) - (b.id as bigint)));
}

/** `store` with its data file reads recorded (keys outside `_delta_log/`, in order). */
export function recordingReads(store: ObjectStore): { store: ObjectStore; reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    store: {
      url: store.url,
      get: (k: string, r?: ByteRange) => {
        if (!k.startsWith("_delta_log/") && k.endsWith(".parquet")) reads.push(k);
        return store.get(k, r);
      },
      head: (k) => store.head(k),
      put: (k, b) => store.put(k, b),
      putIfAbsent: (k, b) => store.putIfAbsent(k, b),
      delete: (k) => store.delete(k),
      list: (p, o) => store.list(p, o),
    },
  };
}
