import assert from "node:assert/strict";
import type { Metadata } from "../log/actions.ts";
import { columnMappingMode, fieldId, physicalName } from "./column_mapping.ts";

const meta = (mode?: string): Metadata => ({
  id: "t",
  format: { provider: "parquet", options: {} },
  schemaString: "",
  partitionColumns: [],
  configuration: mode ? { "delta.columnMapping.mode": mode } : {},
});
const field = {
  name: "Amount",
  type: "long" as const,
  nullable: true,
  metadata: { "delta.columnMapping.id": 7, "delta.columnMapping.physicalName": "col-5f2c" },
};

Deno.test("columnMappingMode() reads the table property", () => {
  assert.equal(columnMappingMode(meta()), "none");
  assert.equal(columnMappingMode(meta("name")), "name");
  assert.equal(columnMappingMode(meta("id")), "id");
  assert.throws(() => columnMappingMode(meta("magic")), TypeError);
});

Deno.test("physicalName() and fieldId() follow the mode", () => {
  assert.equal(physicalName(field, "none"), "Amount");
  assert.equal(physicalName(field, "name"), "col-5f2c");
  assert.equal(fieldId(field), 7);
  assert.throws(() => physicalName({ ...field, metadata: {} }, "name"), {
    message: /has no delta.columnMapping.physicalName/,
  });
});
