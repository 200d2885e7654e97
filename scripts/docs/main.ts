/**
 * `deno task docs [--check]`: writes the generated parts of README.md (the lake tables, from the operators'
 * schemas) and formats it; `--check` only says whether they are current (exit 1 when not).
 *
 * @module
 */
import { lakeTablesMarkdown } from "./lake_tables.ts";
import { tableCells } from "./markdown_table.ts";
import { readSection, replaceSection } from "./readme_section.ts";

const README = new URL("../../README.md", import.meta.url).pathname;

/** Generated sections of README.md, by marker name. */
export function generatedSections(): Record<string, string> {
  return { "lake-tables": lakeTablesMarkdown() };
}

/** Names of the README sections whose tables differ from what the code generates. */
export function staleSections(readme: string): string[] {
  return Object.entries(generatedSections())
    .filter(([name, body]) =>
      JSON.stringify(tableCells(readSection(readme, name))) !== JSON.stringify(tableCells(body))
    )
    .map(([name]) => name);
}

async function main(args: string[]): Promise<number> {
  if (args.some((a) => a !== "--check")) {
    console.error(
      `docs: unknown argument "${args.find((a) => a !== "--check")}" (usage: deno task docs [--check])`,
    );
    return 2;
  }
  const readme = await Deno.readTextFile(README);
  const stale = staleSections(readme);
  if (args.includes("--check")) {
    if (stale.length === 0) return 0;
    console.error(`README.md is out of date (${stale.join(", ")}): run deno task docs`);
    return 1;
  }
  let next = readme;
  for (const [name, body] of Object.entries(generatedSections())) next = replaceSection(next, name, body);
  await Deno.writeTextFile(README, next);
  const fmt = await new Deno.Command(Deno.execPath(), { args: ["fmt", "--quiet", README] }).output();
  if (!fmt.success) {
    console.error(`docs: deno fmt README.md failed: ${new TextDecoder().decode(fmt.stderr).trim()}`);
    return 1;
  }
  console.log(stale.length ? `README.md: updated ${stale.join(", ")}` : "README.md: already up to date");
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
