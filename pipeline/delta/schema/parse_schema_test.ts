import assert from "node:assert/strict";
import { parseSchema, schemaToJson, typeToString } from "./parse_schema.ts";

const field = (name: string, type: unknown) => ({ name, type, nullable: true, metadata: {} });
const text = (...fields: unknown[]) => JSON.stringify({ type: "struct", fields });

Deno.test("parseSchema() reads Spark StructType JSON with nested types and keeps it printable", () => {
  const json = text(
    field("id", "long"),
    field("amount", "decimal(38,18)"),
    field("tags", { type: "array", elementType: "string", containsNull: true }),
    field("m", {
      type: "map",
      keyType: "string",
      valueType: { type: "struct", fields: [field("x", "integer")] },
      valueContainsNull: false,
    }),
  );
  const schema = parseSchema(json);
  assert.equal(schemaToJson(schema), json);
  assert.deepEqual(schema.fields.map((f) => typeToString(f.type)), [
    "long",
    "decimal(38,18)",
    "array<string>",
    "map<string,struct<x:integer>>",
  ]);
});

Deno.test("parseSchema() names what is wrong", () => {
  assert.throws(() => parseSchema("{"), SyntaxError);
  assert.throws(() => parseSchema(text(field("a", "uuid"))), {
    message: 'Cannot use schema: schema.a has unknown type "uuid"',
  });
  assert.throws(() => parseSchema(text(field("a", "decimal(39,2)"))), {
    message: /schema.a has type decimal\(39,2\)/,
  });
  assert.throws(() => parseSchema(text(field("A", "long"), field("a", "long"))), {
    message: /two fields named "a"/,
  });
  assert.throws(() => parseSchema('{"type":"array","elementType":"long","containsNull":true}'), {
    message: /must be a struct/,
  });
});
