/**
 * First-run installation of the stack's software, cached so later runs skip it:
 * - Kafka broker + Connect jars and the Debezium plugins, resolved by Maven from scripts/stack/pom.xml into
 *   `<cache>/jvm-<hash of pom.xml>/{lib,plugins}` (a version bump in the POM gets a fresh folder);
 * - PostgreSQL from Debian packages when no `initdb` is installed;
 * - MinIO built with `go install` at the pinned module version into `<cache>/bin/minio`.
 *
 * Each installer writes to a temporary name and renames when complete, so an interrupted install is redone.
 *
 * @module
 */
import { MINIO_MODULE, MINIO_VERSION } from "./config.ts";
import { exists, removeIfExists } from "./files.ts";
import { runCommand } from "./process.ts";

const POM = new URL("./pom.xml", import.meta.url).pathname;

/** Where the JVM pieces are. */
export interface JvmPieces {
  /** The folder holding both (and the class-data archives, see jvm_cds.ts). */
  dir: string;
  /** Broker and Connect worker classpath (`java -cp '<lib>/*'`). */
  lib: string;
  /** Connect `plugin.path`: one folder per Debezium connector. */
  plugins: string;
}

/** The JVM pieces folder for the current pom.xml (present or not). */
export async function jvmPiecesDir(cacheDir: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", await Deno.readFile(POM)));
  const hex = [...digest.slice(0, 6)].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${cacheDir}/jvm-${hex}`;
}

/** Installs (if needed) the Kafka/Connect jars and Debezium plugins; `true` in `installed` when it downloaded. */
export async function installJvmPieces(
  cacheDir: string,
  logFile: string,
): Promise<JvmPieces & { installed: boolean }> {
  const dir = await jvmPiecesDir(cacheDir);
  const pieces = { dir, lib: `${dir}/lib`, plugins: `${dir}/plugins` };
  if (await exists(`${dir}/.complete`)) return { ...pieces, installed: false };
  const tmp = `${dir}.tmp-${Deno.pid}`;
  await removeIfExists(tmp);
  await Deno.mkdir(tmp, { recursive: true });
  await runCommand("mvn", [
    "-B",
    "--no-transfer-progress",
    "-f",
    POM,
    `-Dmaven.repo.local=${cacheDir}/m2`,
    `-Dstack.build=${tmp}/build`,
    `-Dstack.plugins=${tmp}/plugins`,
    `-DoutputDirectory=${tmp}/lib`,
    "-DincludeScope=runtime",
    "dependency:copy-dependencies",
    "dependency:unpack",
  ], { logFile, what: "Installing the Kafka and Debezium jars (mvn)" });
  await removeIfExists(`${tmp}/build`);
  await Deno.writeTextFile(`${tmp}/.complete`, `${new Date().toISOString()}\n`);
  try {
    await Deno.rename(tmp, dir);
  } catch (e) {
    // Another `up` finished the same install first: theirs is as good as ours.
    await Deno.remove(tmp, { recursive: true });
    if (!(await exists(`${dir}/.complete`))) throw e;
  }
  return { ...pieces, installed: true };
}

/** The newest `/usr/lib/postgresql/<version>/bin` that has `initdb`, or null. */
export async function findPostgresBin(root = "/usr/lib/postgresql"): Promise<string | null> {
  const versions: number[] = [];
  try {
    for await (const e of Deno.readDir(root)) {
      if (/^\d+$/.test(e.name) && await exists(`${root}/${e.name}/bin/initdb`)) versions.push(Number(e.name));
    }
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
  return versions.length ? `${root}/${Math.max(...versions)}/bin` : null;
}

/** Returns PostgreSQL's bin folder, installing the Debian package first when there is none. */
export async function installPostgres(logFile: string): Promise<{ bin: string; installed: boolean }> {
  const found = await findPostgresBin();
  if (found) return { bin: found, installed: false };
  if (Deno.uid() !== 0) {
    throw new Error(
      "PostgreSQL is not installed and installing it needs root: run `sudo apt-get install -y postgresql`",
    );
  }
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  const what = "Installing PostgreSQL (apt-get install postgresql)";
  try {
    await runCommand("apt-get", ["install", "-y", "--no-install-recommends", "postgresql"], {
      env,
      logFile,
      what,
    });
  } catch {
    // Often only the package lists are stale or absent on a fresh machine: refresh once and retry.
    await runCommand("apt-get", ["update"], { env, logFile, what });
    await runCommand("apt-get", ["install", "-y", "--no-install-recommends", "postgresql"], {
      env,
      logFile,
      what,
    });
  }
  const bin = await findPostgresBin();
  if (!bin) throw new Error(`${what} did not provide initdb under /usr/lib/postgresql; see ${logFile}`);
  return { bin, installed: true };
}

/** Whether `go version -m` says the binary was built from the pinned MinIO module version. */
async function isPinnedMinio(bin: string): Promise<boolean | null> {
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command("go", { args: ["version", "-m", bin], stdin: "null" }).output();
  } catch (e) {
    // Without Go the binary's build info cannot be read: trust the cached binary.
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
  const text = new TextDecoder().decode(out.stdout);
  return new RegExp(`^\\s*mod\\s+${MINIO_MODULE.replaceAll(".", "\\.")}\\s+${MINIO_VERSION}\\s`, "m").test(
    text,
  );
}

/** Returns the MinIO binary, building it with `go install` at the pinned version when the cache lacks it. */
export async function installMinio(
  cacheDir: string,
  logFile: string,
): Promise<{ bin: string; installed: boolean }> {
  const binDir = `${cacheDir}/bin`;
  const bin = `${binDir}/minio`;
  if (await exists(bin) && await isPinnedMinio(bin) !== false) return { bin, installed: false };
  const tmp = `${binDir}/.minio-build-${Deno.pid}`;
  await Deno.mkdir(tmp, { recursive: true });
  try {
    await runCommand("go", ["install", `${MINIO_MODULE}@${MINIO_VERSION}`], {
      env: { GOBIN: tmp },
      logFile,
      what: `Building MinIO (go install ${MINIO_MODULE}@${MINIO_VERSION})`,
    });
    await Deno.rename(`${tmp}/minio`, bin);
  } finally {
    await removeIfExists(tmp);
  }
  return { bin, installed: true };
}
