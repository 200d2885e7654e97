/**
 * Reading Markdown tables cell by cell, so generated tables compare equal however a formatter pads them.
 *
 * @module
 */

/**
 * The cells of every table row in `text` (lines starting with `|`), trimmed; a separator row (`| --- | :-: |`)
 * becomes cells of `---`. Escaped pipes (`\|`) stay inside their cell.
 *
 * @example
 * ```ts
 * tableCells("| a | b |\n|---|--:|\n| 1 | x \\| y |");
 * // [["a", "b"], ["---", "---"], ["1", "x \\| y"]]
 * ```
 */
export function tableCells(text: string): string[][] {
  const rows: string[][] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line.startsWith("|")) continue;
    const cells = line.replace(/^\||\|$/g, "").split(/(?<!\\)\|/).map((c) => c.trim());
    rows.push(cells.every((c) => /^:?-+:?$/.test(c)) ? cells.map(() => "---") : cells);
  }
  return rows;
}
