/**
 * One writer of the concurrency test, run as its own process: appends `batches` commits of `rows` rows to the
 * table at `uri`, each an idempotent txn batch (appId "writer-<id>", version = batch number).
 *
 * Usage: deno run -A tests/integration/_append_worker.ts <uri> <writer id> <batches> <rows>
 *
 * @module
 */
import { openStore } from "../../pipeline/delta/storage/open_store.ts";
import { writeTable } from "../../pipeline/delta/write/write_table.ts";

const [uri, id, batches, rows] = Deno.args;
const store = openStore(uri);
for (let b = 1; b <= Number(batches); b++) {
  const data = Array.from(
    { length: Number(rows) },
    (_, i) => ({ writer: Number(id), batch: b, seq: BigInt(i) }),
  );
  const r = await writeTable(store, data, { txn: { appId: `writer-${id}`, version: b } });
  if (r.skipped) throw new Error(`writer ${id} batch ${b} was skipped`);
}
