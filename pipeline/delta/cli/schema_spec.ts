/**
 * The `--schema` option: `"id:long,name:string,amount:decimal(18,2),ts:timestamp,day:date"`. A `!` after the
 * type makes the column non-nullable (`id:long!`).
 *
 * @module
 */
import { parseSchema } from "../schema/parse_schema.ts";
import type { StructType } from "../schema/types.ts";

const ALIASES: Record<string, string> = {
  int: "integer",
  bigint: "long",
  smallint: "short",
  tinyint: "byte",
  bool: "boolean",
};

/** Parses a schema spec; a SyntaxError names the part that is wrong. */
export function parseSchemaSpec(spec: string): StructType {
  const parts = spec.split(/,(?![^(]*\))/).map((p) => p.trim()).filter((p) => p !== "");
  if (parts.length === 0) throw new SyntaxError(`Cannot parse schema "${spec}": no columns`);
  const fields = parts.map((part) => {
    const m = /^([^:\s]+)\s*:\s*([a-z_]+(?:\(\s*\d+\s*,\s*\d+\s*\))?)\s*(!)?$/i.exec(part);
    if (!m) throw new SyntaxError(`Cannot parse schema column "${part}": expected name:type`);
    const raw = m[2].toLowerCase().replace(/\s+/g, "");
    return { name: m[1], type: ALIASES[raw] ?? raw, nullable: m[3] !== "!", metadata: {} };
  });
  try {
    return parseSchema(JSON.stringify({ type: "struct", fields }));
  } catch (e) {
    throw new SyntaxError(`Cannot parse schema "${spec}": ${(e as Error).message}`);
  }
}
