/**
 * Option values shared by the read-side commands, checked into usage errors (exit 2).
 *
 * @module
 */
import { Timestamp } from "../../value/mod.ts";
import { ROW_FORMATS, type RowFormat } from "./row_format.ts";
import { UsageError } from "./usage_error.ts";

/** A non-negative integer option (a version or a count), or undefined when absent. */
export function integerOption(command: string, option: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(Number(text))) {
    throw new UsageError(`lake ${command}: --${option} must be a non-negative integer, got "${text}"`);
  }
  return Number(text);
}

/** An ISO-8601 time option in ms since the epoch (no zone = UTC), or undefined when absent. */
export function timeOption(command: string, option: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  try {
    const t = /^\d{4}-\d{2}-\d{2}$/.test(text.trim()) ? `${text.trim()}T00:00:00Z` : text;
    return Timestamp.parse(t).epochMillis;
  } catch {
    throw new UsageError(
      `lake ${command}: --${option} must be an ISO-8601 time such as 2024-01-02T03:04:05Z, got "${text}"`,
    );
  }
}

/** The `--format` option (default `table`). */
export function formatOption(command: string, text: string | undefined): RowFormat {
  const format = text ?? "table";
  if (!(ROW_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(
      `lake ${command}: --format must be one of ${ROW_FORMATS.join(", ")}, got "${format}"`,
    );
  }
  return format as RowFormat;
}

/** The `--columns a,b` option as a list, or undefined when absent. */
export function columnsOption(command: string, text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const columns = text.split(",").map((c) => c.trim());
  if (columns.some((c) => c === "")) {
    throw new UsageError(`lake ${command}: --columns has an empty name in "${text}"`);
  }
  return columns;
}
