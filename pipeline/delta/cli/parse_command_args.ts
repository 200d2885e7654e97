import { parseArgs } from "node:util";
import { UsageError } from "./usage_error.ts";

/** Option specs in node:util parseArgs form. */
export type OptionSpecs = Record<string, { type: "string" | "boolean"; short?: string }>;

/**
 * Parses `args` (strict: unknown options and missing values are usage errors) and requires exactly one
 * positional argument, the table URI.
 */
export function parseCommandArgs<T extends OptionSpecs>(
  command: string,
  args: string[],
  options: T,
): { uri: string; values: { [K in keyof T]?: T[K]["type"] extends "boolean" ? boolean : string } } {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(`lake ${command}: ${(e as Error).message.split("\n")[0]}`);
  }
  if (parsed.positionals.length !== 1) {
    throw new UsageError(
      `lake ${command}: expected one table URI, got ${parsed.positionals.length} arguments`,
    );
  }
  return { uri: parsed.positionals[0], values: parsed.values as never };
}

/** A non-negative number option, or undefined when absent; a UsageError otherwise. */
export function nonNegativeOption(
  command: string,
  option: string,
  text: string | undefined,
): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0) {
    throw new UsageError(`lake ${command}: --${option} must be a non-negative number`);
  }
  return n;
}
