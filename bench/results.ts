/**
 * bench/RESULTS.md is shared by every benchmark: each one owns a section between markers and replaces only
 * that section, stamped with the machine and the date, so runs of different benchmarks never clobber each other.
 *
 * @module
 */

const RESULTS = new URL("./RESULTS.md", import.meta.url);
const HEADER = `# Benchmark results

Written by the benchmarks in bench/ (\`deno task bench [name]\`); each section names its machine, date and baseline,
measured side by side in the same run. Goals not met are marked **not met**, with what limits them.
`;

/** One line describing the machine: CPU model, cores, memory, OS and runtime versions. */
export async function machineLine(): Promise<string> {
  let cpu = "unknown CPU";
  try {
    const info = await Deno.readTextFile("/proc/cpuinfo");
    cpu = /model name\s*:\s*(.+)/.exec(info)?.[1]?.trim() ?? cpu;
  } catch {
    // Not Linux: the CPU model is only informative.
  }
  const memGiB = (Deno.systemMemoryInfo().total / 2 ** 30).toFixed(0);
  return `${cpu}, ${navigator.hardwareConcurrency} cores, ${memGiB} GiB, ${Deno.build.os}, Deno ${Deno.version.deno}`;
}

/**
 * Replaces (or appends) the section `name` of bench/RESULTS.md with `body`, under a heading that carries the
 * machine line and `date`.
 */
export async function writeSection(
  name: string,
  title: string,
  body: string,
  date = new Date(),
): Promise<void> {
  let text = HEADER;
  try {
    text = await Deno.readTextFile(RESULTS);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  const start = `<!-- section:${name} -->`;
  const end = `<!-- /section:${name} -->`;
  const section = `${start}\n## ${title}\n\n_${await machineLine()}; ${
    date.toISOString().slice(0, 16)
  }Z_\n\n${body.trim()}\n${end}`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  text = i >= 0 && j > i
    ? text.slice(0, i) + section + text.slice(j + end.length)
    : `${text.trimEnd()}\n\n${section}\n`;
  await Deno.writeTextFile(RESULTS, text);
}
