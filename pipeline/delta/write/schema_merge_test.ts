import assert from "node:assert/strict";
import type { StructType } from "../schema/types.ts";
import { mergeSchemas } from "./schema_merge.ts";

const table: StructType = {
  type: "struct",
  fields: [
    { name: "id", type: "long", nullable: false, metadata: {} },
    {
      name: "s",
      type: { type: "struct", fields: [{ name: "a", type: "integer", nullable: true, metadata: {} }] },
      nullable: true,
      metadata: {},
    },
  ],
};

Deno.test("mergeSchemas() adds new nullable columns, also inside structs", () => {
  const merged = mergeSchemas(table, {
    type: "struct",
    fields: [
      { name: "ID", type: "long", nullable: false, metadata: {} },
      { name: "note", type: "string", nullable: true, metadata: {} },
      {
        name: "s",
        type: { type: "struct", fields: [{ name: "b", type: "date", nullable: true, metadata: {} }] },
        nullable: true,
        metadata: {},
      },
    ],
  });
  assert.deepEqual(merged.fields.map((f) => f.name), ["id", "s", "note"]);
  assert.deepEqual((merged.fields[1].type as StructType).fields.map((f) => f.name), ["a", "b"]);
});

Deno.test("mergeSchemas() rejects type changes and new non-nullable columns", () => {
  assert.throws(
    () =>
      mergeSchemas(table, {
        type: "struct",
        fields: [{ name: "id", type: "string", nullable: false, metadata: {} }],
      }),
    /column "id" is long in the table but string in the data/,
  );
  assert.throws(
    () =>
      mergeSchemas(table, {
        type: "struct",
        fields: [{ name: "x", type: "string", nullable: false, metadata: {} }],
      }),
    /new column "x" must be nullable/,
  );
});
