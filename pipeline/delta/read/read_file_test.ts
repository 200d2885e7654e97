import assert from "node:assert/strict";
import { goldenStore } from "../golden/golden_tables.ts";
import { loadSnapshot } from "../log/snapshot.ts";
import { dataFileKey, readDataFile, selectFields } from "./read_file.ts";

Deno.test("dataFileKey() percent-decodes add.path exactly once and keeps plus signs", () => {
  assert.equal(dataFileKey("x=A%252FA/part-0.parquet", "/t"), "x=A%2FA/part-0.parquet");
  assert.equal(dataFileKey("_2=bar+%252521/p.parquet", "/t"), "_2=bar+%2521/p.parquet");
  assert.equal(
    dataFileKey("part=2021-10-01%2008%253A09%253A20/p.parquet", "/t"),
    "part=2021-10-01 08%3A09%3A20/p.parquet",
  );
  assert.equal(dataFileKey("data=😈/p.parquet", "/t"), "data=😈/p.parquet");
  assert.equal(dataFileKey("file:///lake/t/a%20b/p.parquet", "/lake/t"), "a b/p.parquet");
  assert.throws(() => dataFileKey("s3://other/p.parquet", "/lake/t"), { message: /outside the table/ });
  assert.throws(() => dataFileKey("bad%zz", "/t"), URIError);
});

Deno.test("readDataFile() ignores extra file columns and reads missing ones as null", async () => {
  // cdf-table's UPDATE-written data files carry an all-null _change_type column that is not in the schema.
  const store = goldenStore("cdf-table");
  const s = await loadSnapshot(store);
  const file = s.files.find((f) => f.partitionValues.birthday === "2023-12-29")!;
  const rows = await readDataFile(store, s, file);
  assert.ok(rows.length > 0);
  assert.deepEqual(Object.keys(rows[0]), ["id", "name", "birthday"]);
  const wider = {
    ...s.schema,
    fields: [...s.schema.fields, {
      name: "added_later",
      type: "long" as const,
      nullable: true,
      metadata: {},
    }],
  };
  const evolved = await readDataFile(store, {
    schema: wider,
    partitionColumns: s.partitionColumns,
    metadata: s.metadata,
  }, file);
  assert.ok(evolved.every((r) => r.added_later === null));
});

Deno.test("selectFields() resolves names ignoring case and names unknown columns", () => {
  const schema = {
    type: "struct" as const,
    fields: [{ name: "Id", type: "long" as const, nullable: true, metadata: {} }],
  };
  assert.deepEqual(selectFields(schema, ["id"], "t").map((f) => f.name), ["Id"]);
  assert.throws(() => selectFields(schema, ["x"], "t"), {
    message: 'Cannot read column "x" of "t": no such column (columns: Id)',
  });
});
