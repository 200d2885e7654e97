/**
 * The environment variables the code reads, found by scanning its sources, so a test can check that the README
 * documents every one of them.
 *
 * @module
 */

/** Folders (relative to the repository) whose non-test sources are scanned. */
export const SCANNED_FOLDERS: readonly string[] = ["pipeline", "web", "scripts", "bench"];

/**
 * Variable names as string literals: the project's own (`LAKESTREAM_*`), the S3 settings (`AWS_*`) and SQL
 * Server's (`MSSQL_*`). Standard variables (HOME, PATH, XDG_CACHE_HOME, JAVA_HOME) are not the project's
 * configuration and are documented where they matter.
 */
const VARIABLE = /["'`]((?:LAKESTREAM|AWS|MSSQL)_[A-Z0-9_]+)["'`]/g;

/** The variable names in one source text, sorted and without repeats. */
export function envVarsIn(text: string): string[] {
  return [...new Set([...text.matchAll(VARIABLE)].map((m) => m[1]))].sort();
}

/** Every variable named in the non-test `.ts`/`.tsx` sources under `root`'s {@linkcode SCANNED_FOLDERS}. */
export async function findEnvVars(root: string): Promise<string[]> {
  const found = new Set<string>();
  const walk = async (dir: string): Promise<void> => {
    for await (const e of Deno.readDir(dir)) {
      const path = `${dir}/${e.name}`;
      if (e.isDirectory) {
        if (!e.name.startsWith(".") && e.name !== "node_modules" && e.name !== "out") await walk(path);
      } else if (e.isFile && /\.tsx?$/.test(e.name) && !/_test\.tsx?$/.test(e.name)) {
        for (const name of envVarsIn(await Deno.readTextFile(path))) found.add(name);
      }
    }
  };
  for (const folder of SCANNED_FOLDERS) await walk(`${root.replace(/\/+$/, "")}/${folder}`);
  return [...found].sort();
}
