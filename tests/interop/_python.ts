/**
 * The pinned Python side of the interop tests: a venv at ~/.cache/lakestream/venv with requirements.txt
 * installed on first use (re-installed when the pins change), and a runner for the scripts in this folder.
 *
 * @module
 */
import { defaultCacheDir } from "../../scripts/stack/paths.ts";

const HERE = new URL(".", import.meta.url).pathname;
const REQUIREMENTS = `${HERE}requirements.txt`;

/** The venv folder. */
export const VENV = `${defaultCacheDir()}/venv`;

async function run(cmd: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  const out = await new Deno.Command(cmd, {
    args,
    env,
    cwd: HERE,
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
  })
    .output();
  const stdout = new TextDecoder().decode(out.stdout);
  if (out.code !== 0) {
    const stderr = new TextDecoder().decode(out.stderr);
    throw new Error(`${cmd} ${args.join(" ")} failed with exit code ${out.code}:\n${stderr.slice(-4000)}`);
  }
  return stdout;
}

let ready: Promise<string> | null = null;

/** Creates or updates the venv when needed; resolves to its python. */
export function ensureVenv(): Promise<string> {
  return ready ??= (async () => {
    const python = `${VENV}/bin/python`;
    const pins = await Deno.readTextFile(REQUIREMENTS);
    const marker = `${VENV}/.lakestream-requirements`;
    let installed = "";
    try {
      installed = await Deno.readTextFile(marker);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
    if (installed !== pins) {
      try {
        await Deno.stat(python);
      } catch {
        await run("python3", ["-m", "venv", VENV]);
      }
      await run(python, [
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "-r",
        REQUIREMENTS,
      ]);
      await Deno.writeTextFile(marker, pins);
    }
    return python;
  })();
}

/** Runs one of this folder's Python scripts in the venv; resolves to its stdout. */
export async function runPython(script: string, args: string[]): Promise<string> {
  const python = await ensureVenv();
  return await run(python, [`${HERE}${script}`, ...args], { TZ: "UTC", PYTHONIOENCODING: "utf-8" });
}

/**
 * The JSON records a script printed with `prefix` (`ROW<i>` or `CDF<i>` for its i-th operation), as sorted
 * canonical texts (keys sorted recursively) for order-free exact comparison. Other output lines (Spark and Ivy
 * print to stdout) are ignored.
 */
export function records(stdout: string, prefix: string): string[] {
  return stdout.split("\n").filter((l) => l.startsWith(prefix + " ")).map((l) =>
    canonical(JSON.parse(l.slice(prefix.length + 1)))
  ).sort();
}

/** JSON text of a parsed value with object keys sorted. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(",")}}`;
  }
  return JSON.stringify(v);
}
