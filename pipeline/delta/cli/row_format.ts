/**
 * Row output formats of the `lake` CLI: ndjson (the lake's JSON value encoding), csv (RFC 4180) and an aligned
 * text table for people.
 *
 * @module
 */
import { type JsonValue, type Row, rowToJson, toJsonValue } from "../../value/mod.ts";
import type { CommandIO } from "./command_io.ts";

/** The output formats of `lake read` and `lake changes`. */
export const ROW_FORMATS = ["table", "ndjson", "csv"] as const;

/** One of {@linkcode ROW_FORMATS}. */
export type RowFormat = typeof ROW_FORMATS[number];

/** Widths are taken from the first rows; later, longer values widen their cell without realigning. */
const WIDTH_SAMPLE = 200;
/** Longest cell shown in table format; longer values are cut with "…". */
const MAX_CELL = 60;

/** Prints `lines` as one block (one write for many rows); nothing for none. */
export function printLines(io: CommandIO, lines: readonly string[]): void {
  if (lines.length > 0) io.print(lines.join("\n"));
}

/** Turns batches of rows into output lines in one format; `finish` returns what remains (table header). */
export interface RowWriter {
  write(rows: readonly Row[]): string[];
  finish(): string[];
}

/** A writer for `format` over `columns` (every row has exactly these keys). */
export function rowWriter(format: RowFormat, columns: readonly string[]): RowWriter {
  switch (format) {
    case "ndjson":
      return { write: (rows) => rows.map(rowToJson), finish: () => [] };
    case "csv": {
      let header = false;
      return {
        write(rows) {
          const out = header ? [] : [columns.map(csvCell).join(",")];
          header = true;
          for (const r of rows) {
            out.push(columns.map((c) => csvValue(r[c] === undefined ? null : toJsonValue(r[c]))).join(","));
          }
          return out;
        },
        finish: () => (header ? [] : [columns.map(csvCell).join(",")]),
      };
    }
    case "table":
      return tableWriter(columns);
  }
}

function csvValue(v: JsonValue): string {
  if (v === null) return "";
  if (typeof v === "object") return csvCell(JSON.stringify(v));
  return csvCell(String(v));
}

function csvCell(text: string): string {
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

function tableCell(v: JsonValue | undefined): string {
  const text = v === null || v === undefined ? "NULL" : typeof v === "object" ? JSON.stringify(v) : String(v);
  const flat = text.replace(/[\r\n\t]/g, " ");
  return flat.length > MAX_CELL ? flat.slice(0, MAX_CELL - 1) + "…" : flat;
}

function tableWriter(columns: readonly string[]): RowWriter {
  let widths: number[] | null = null;
  let sample: string[][] = [];
  let count = 0;
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths![i])).join(" | ").trimEnd();
  const flush = (): string[] => {
    widths = columns.map((c, i) => Math.max(c.length, ...sample.map((r) => r[i].length)));
    const out = [line([...columns]), widths.map((w) => "-".repeat(w)).join("-+-"), ...sample.map(line)];
    sample = [];
    return out;
  };
  return {
    write(rows) {
      const cells = rows.map((r) =>
        columns.map((c) => tableCell(r[c] === undefined ? null : toJsonValue(r[c])))
      );
      count += rows.length;
      if (widths) return cells.map(line);
      sample.push(...cells);
      return sample.length >= WIDTH_SAMPLE ? flush() : [];
    },
    finish() {
      const out = widths ? [] : flush();
      out.push(`(${count} ${count === 1 ? "row" : "rows"})`);
      return out;
    },
  };
}
