/**
 * `deno task bench [name] [options…]`: without a name, lists the benchmarks (every `bench/<area>/<name>.ts` that
 * writes a section of bench/RESULTS.md) with the first line of their description; with one, runs it in its own
 * process with the options passed through, e.g. `deno task bench delta/append --rows 100000`. Benchmarks run one
 * at a time on purpose: two at once would measure each other.
 *
 * @module
 */

const BENCH = new URL(".", import.meta.url);

/** A runnable benchmark: its name (`area/file` without `.ts`) and the first sentence of its module doc. */
export interface Benchmark {
  name: string;
  summary: string;
}

/** The benchmarks under bench/, sorted by name. */
export async function listBenchmarks(root: URL = BENCH): Promise<Benchmark[]> {
  const out: Benchmark[] = [];
  for await (const area of Deno.readDir(root)) {
    if (!area.isDirectory) continue;
    for await (const file of Deno.readDir(new URL(`${area.name}/`, root))) {
      if (!file.isFile || !file.name.endsWith(".ts") || file.name.endsWith("_test.ts")) continue;
      const text = await Deno.readTextFile(new URL(`${area.name}/${file.name}`, root));
      if (!text.includes("writeSection(")) continue;
      const doc = /\/\*\*([\s\S]*?)\*\//.exec(text)?.[1] ?? "";
      const prose = doc.split("\n").map((l) => l.replace(/^\s*\*\s?/, "").trim()).filter((l) =>
        l && !l.startsWith("@")
      );
      // The first sentence, up to a colon that introduces details.
      const summary = prose.join(" ").replace(/^Benchmark:\s*/, "").split(/(?<=\.)\s|:\s/)[0];
      out.push({ name: `${area.name}/${file.name.slice(0, -3)}`, summary });
    }
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

if (import.meta.main) {
  const [name, ...rest] = Deno.args;
  const benchmarks = await listBenchmarks();
  if (name === undefined || name === "--help") {
    console.log("Usage: deno task bench <name> [options…]\n");
    for (const b of benchmarks) console.log(`  ${b.name.padEnd(22)} ${b.summary}`);
    Deno.exit(0);
  }
  if (!benchmarks.some((b) => b.name === name)) {
    console.error(`Unknown benchmark "${name}"; one of: ${benchmarks.map((b) => b.name).join(", ")}`);
    Deno.exit(2);
  }
  const { code } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL(`${name}.ts`, BENCH).pathname, ...rest],
    stdin: "inherit",
    stdout: "inherit",
    stderr: "inherit",
  }).spawn().status;
  Deno.exit(code);
}
