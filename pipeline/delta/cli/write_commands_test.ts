import assert from "node:assert/strict";
import { loadSnapshot } from "../log/snapshot.ts";
import { scanAll } from "../read/scan.ts";
import { LocalStore } from "../storage/local_store.ts";
import { rowToJson } from "../../value/mod.ts";
import type { CommandIO } from "./command_io.ts";
import { checkpointCommand } from "./checkpoint_command.ts";
import { optimizeCommand } from "./optimize_command.ts";
import { UsageError } from "./usage_error.ts";
import { vacuumCommand } from "./vacuum_command.ts";
import { verifyCommand } from "./verify_command.ts";
import { writeCommand } from "./write_command.ts";

function io(inputs: Record<string, string> = {}): CommandIO & { out: string[] } {
  const out: string[] = [];
  return { out, print: (l) => out.push(l), readInput: (p) => Promise.resolve(inputs[p]) };
}

const SCHEMA = "id:long!,name:string,amount:decimal(18,2),ts:timestamp,day:date";

Deno.test("lake write --deletion-vectors creates a DV table whose deletes write deletion vectors", async () => {
  const dir = await Deno.makeTempDir({ prefix: "lakestream-cli-" });
  try {
    const x = io({ a: '{"id":1,"name":"a"}\n{"id":2,"name":"b"}\n{"id":3,"name":"c"}', d: '{"id":2}' });
    await writeCommand([dir, "--input", "a", "--schema", "id:long,name:string", "--deletion-vectors"], x);
    await writeCommand([dir, "--input", "d", "--mode", "delete", "--key", "id"], x);
    const store = new LocalStore(dir);
    const snapshot = await loadSnapshot(store);
    assert.deepEqual(snapshot.protocol.readerFeatures, ["deletionVectors"]);
    assert.equal(snapshot.files.filter((f) => f.deletionVector).length, 1);
    assert.deepEqual((await scanAll(store, snapshot)).map((r) => r.id), [1n, 3n]);
    await verifyCommand([dir], x);
    assert.equal(JSON.parse(x.out.at(-1)!).ok, true);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("lake write creates, appends, upserts and deletes; checkpoint, optimize, vacuum and verify run", async () => {
  const dir = await Deno.makeTempDir({ prefix: "lakestream-cli-" });
  try {
    const lines = (ids: number[], name = "a") =>
      ids.map((i) =>
        `{"id":${i},"name":"${name}${i}","amount":"${i}.10","ts":"2024-01-01T00:00:00.000001Z","day":"2024-01-0${
          1 + (i % 2)
        }"}`
      )
        .join("\n");
    const x = io({ a: lines([1, 2, 3]), b: lines([4]), u: lines([2, 5], "u"), d: '{"id":1}' });
    await writeCommand([dir, "--input", "a", "--schema", SCHEMA, "--partition-by", "day", "--cdf"], x);
    await writeCommand([dir, "--input", "b"], x);
    await writeCommand([dir, "--input", "u", "--mode", "upsert", "--key", "id"], x);
    await writeCommand([dir, "--input", "d", "--mode", "delete", "--key", "id"], x);
    await writeCommand([dir, "--mode", "delete", "--where", "id = 3"], x);
    assert.deepEqual(x.out.map((l) => JSON.parse(l).version), [0, 1, 2, 3, 4]);
    const store = new LocalStore(dir);
    const snapshot = await loadSnapshot(store);
    assert.deepEqual(snapshot.protocol, { minReaderVersion: 1, minWriterVersion: 4 });
    const rows = await scanAll(store, snapshot);
    assert.deepEqual(rows.map((r) => rowToJson(r)).sort(), [
      '{"id":2,"name":"u2","amount":"2.10","ts":"2024-01-01T00:00:00.000001Z","day":"2024-01-01"}',
      '{"id":4,"name":"a4","amount":"4.10","ts":"2024-01-01T00:00:00.000001Z","day":"2024-01-01"}',
      '{"id":5,"name":"u5","amount":"5.10","ts":"2024-01-01T00:00:00.000001Z","day":"2024-01-02"}',
    ]);
    await checkpointCommand([dir], x);
    assert.equal(JSON.parse(x.out.at(-1)!).version, 4);
    await optimizeCommand([dir, "--target-size", "1"], x);
    await vacuumCommand([dir, "--dry-run"], x);
    assert.equal(JSON.parse(x.out.at(-1)!).dryRun, true);
    await verifyCommand([dir], x);
    assert.equal(JSON.parse(x.out.at(-1)!).ok, true);
    const [some] = (await loadSnapshot(store)).files;
    await Deno.remove(`${dir}/${decodeURIComponent(some.path)}`);
    await assert.rejects(verifyCommand([dir], x), /failed verification/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("lake write reports usage errors as UsageError", async () => {
  const x = io({ a: "{}" });
  await assert.rejects(writeCommand(["/tmp/none"], x), UsageError);
  await assert.rejects(
    writeCommand(["/tmp/none", "--input", "a", "--mode", "merge"], x),
    /--mode must be one of/,
  );
  await assert.rejects(writeCommand(["/tmp/none", "--input", "a", "--mode", "upsert"], x), /needs --key/);
  await assert.rejects(writeCommand(["/tmp/none", "--input", "a", "--bogus"], x), UsageError);
  await assert.rejects(
    writeCommand(["/tmp/lakestream-missing-table", "--input", "a"], x),
    /give --schema to create it/,
  );
  await assert.rejects(writeCommand(["/tmp/t", "--input", "a", "--schema", "id:lng"], x), UsageError);
});
