/**
 * Application class-data sharing (AppCDS) for the broker and the Connect worker: a JVM that maps an archive
 * of pre-parsed classes starts markedly faster (measured here: Kafka's broker ~40 % faster to "started").
 *
 * Without an archive a service runs with `-XX:DumpLoadedClassList`, recording the classes it loads; when `down`
 * stops it, that list is turned into an archive (`java -Xshare:dump`, several seconds, once), which later
 * starts map with `-XX:SharedArchiveFile`. Archives live next to the jars they were built from and are named
 * after the JDK, so a JDK update records a new list instead of failing to map a stale archive.
 *
 * @module
 */
import { exists, removeIfExists } from "./files.ts";
import { runCommand } from "./process.ts";

/** Where one service's class list and archive are. */
export interface CdsFiles {
  classList: string;
  archive: string;
}

/** The `java` a service runs: `$JAVA_HOME/bin/java`, else the first `java` on PATH. */
export function javaCommand(env: (name: string) => string | undefined = Deno.env.get): string {
  const home = env("JAVA_HOME");
  return home ? `${home}/bin/java` : "java";
}

async function resolveOnPath(command: string): Promise<string | null> {
  if (command.includes("/")) return command;
  for (const dir of (Deno.env.get("PATH") ?? "").split(":").filter(Boolean)) {
    if (await exists(`${dir}/${command}`)) return `${dir}/${command}`;
  }
  return null;
}

/**
 * A short id of the JDK behind `java` (its real path and `release` file), or null when it cannot be told, in
 * which case no archive is used.
 */
export async function jdkId(java: string): Promise<string | null> {
  const found = await resolveOnPath(java);
  if (!found) return null;
  let real: string;
  let release: string;
  try {
    real = await Deno.realPath(found);
    release = await Deno.readTextFile(`${real.slice(0, real.lastIndexOf("/bin/"))}/release`);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${real}\n${release}`)),
  );
  return [...digest.slice(0, 4)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The class list and archive of `service` for the JDK `jdk`, under `dir` (the jars' folder). */
export function cdsFiles(dir: string, service: string, jdk: string): CdsFiles {
  return { classList: `${dir}/cds/${service}-${jdk}.classlist`, archive: `${dir}/cds/${service}-${jdk}.jsa` };
}

/** JVM flags for a start: map the archive when there is one, otherwise record the classes loaded. */
export async function cdsFlags(files: CdsFiles): Promise<string[]> {
  if (await exists(files.archive)) return [`-XX:SharedArchiveFile=${files.archive}`];
  await Deno.mkdir(files.classList.slice(0, files.classList.lastIndexOf("/")), { recursive: true });
  return [`-XX:DumpLoadedClassList=${files.classList}`];
}

/**
 * Builds the archive from a recorded class list (after the service stopped); resolves to true when it built
 * one. The list is removed either way: a failed dump is retried from a fresh recording, not from this list.
 */
export async function archiveClasses(
  files: CdsFiles,
  java: string,
  classpath: string,
  logFile: string,
): Promise<boolean> {
  if (await exists(files.archive) || !(await exists(files.classList))) return false;
  // A JVM killed mid-write leaves a cut last line: keep whole lines only.
  const text = await Deno.readTextFile(files.classList);
  const complete = `${files.classList}.complete`;
  const tmp = `${files.archive}.tmp-${Deno.pid}`;
  await Deno.writeTextFile(complete, text.slice(0, text.lastIndexOf("\n") + 1));
  try {
    await runCommand(java, [
      "-Xshare:dump",
      `-XX:SharedClassListFile=${complete}`,
      `-XX:SharedArchiveFile=${tmp}`,
      "-cp",
      classpath,
    ], { logFile, what: `Archiving classes for faster starts (${files.archive})` });
    await Deno.rename(tmp, files.archive);
    return true;
  } finally {
    await removeIfExists(tmp);
    await removeIfExists(complete);
    await removeIfExists(files.classList);
  }
}
