/**
 * The stack's own PostgreSQL cluster: created with `initdb` on first use, in `.stack/postgres/data`.
 *
 * `initdb` and `postgres` refuse to run as root, so as root they run as the `postgres` system user (via
 * `setpriv`, which execs: the recorded pid is the postmaster's). That user may be unable to reach `.stack/`
 * (a checkout under /root, say); the cluster then lives in the postgres user's home, and
 * `.stack/postgres/data` is a symlink to it, so a wiped `.stack/` still means a fresh cluster.
 *
 * @module
 */
import { exists, removeIfExists } from "./files.ts";
import { runCommand } from "./process.ts";
import { type SystemUser, systemUser } from "./system_user.ts";

/** What to create. */
export interface ClusterOptions {
  /** PostgreSQL's bin folder (initdb, postgres). */
  bin: string;
  /** `.stack/postgres`. */
  dir: string;
  /** Superuser created by initdb, and its password. */
  user: string;
  password: string;
  logFile: string;
}

/** A cluster ready to start. */
export interface Cluster {
  /** Data directory as the postgres process sees it (no symlink in the way). */
  dataDir: string;
  /** Command prefix that runs a program as the cluster's owner (empty when that is the current user). */
  runAs: string[];
  /** A line for the report when something noteworthy happened. */
  note: string;
}

/** Command prefix running a program as `owner` with its own groups. */
export function runAsPrefix(owner: SystemUser | null): string[] {
  return owner ? ["setpriv", `--reuid=${owner.uid}`, `--regid=${owner.gid}`, "--init-groups", "--"] : [];
}

async function canWrite(runAs: string[], dir: string): Promise<boolean> {
  const [command, ...args] = [...runAs, "test", "-w", dir];
  return (await new Deno.Command(command, { args, stdin: "null", stdout: "null", stderr: "null" }).output())
    .success;
}

/** A short stable name for a path, so that two checkouts never share a fallback cluster. */
async function pathTag(path: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(path)));
  return [...digest.slice(0, 4)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Creates the cluster on first use (or after its data was removed) and says how to run it. */
export async function prepareCluster(options: ClusterOptions): Promise<Cluster> {
  const owner = Deno.uid() === 0 ? await systemUser("postgres") : null;
  const runAs = runAsPrefix(owner);
  const { dir } = options;
  await Deno.mkdir(dir, { recursive: true });
  if (owner) await Deno.chown(dir, owner.uid, owner.gid);
  const link = `${dir}/data`;

  let dataDir = link;
  let note = "";
  if (owner && !(await canWrite(runAs, dir))) {
    dataDir = `${owner.home}/lakestream-${await pathTag(dir)}/data`;
    note = `data in ${dataDir} (the postgres user cannot reach ${dir})`;
    const linked = await Deno.readLink(link).catch((e) => {
      if (e instanceof Deno.errors.NotFound) return null;
      throw e;
    });
    if (linked !== dataDir) {
      // No link (a wiped .stack/) or a different one: whatever is at the fallback is stale.
      await removeIfExists(dataDir);
      await removeIfExists(link);
      await Deno.mkdir(dataDir.slice(0, dataDir.lastIndexOf("/")), { recursive: true });
      await Deno.chown(dataDir.slice(0, dataDir.lastIndexOf("/")), owner.uid, owner.gid);
      await Deno.symlink(dataDir, link);
    }
  }

  if (!(await exists(`${dataDir}/PG_VERSION`))) {
    if (dataDir === link) await removeIfExists(dataDir);
    await initdb(options, dataDir, runAs, owner);
    note = note ? `created the cluster, ${note}` : "created the cluster";
  }
  return { dataDir, runAs, note };
}

async function initdb(options: ClusterOptions, dataDir: string, runAs: string[], owner: SystemUser | null) {
  // The password reaches initdb through a file only its owner can read, never the command line.
  const pwfile = `${dataDir.slice(0, dataDir.lastIndexOf("/"))}/initdb-password`;
  await Deno.writeTextFile(pwfile, `${options.password}\n`, { mode: 0o600 });
  if (owner) await Deno.chown(pwfile, owner.uid, owner.gid);
  const [command, ...pre] = [...runAs, `${options.bin}/initdb`];
  try {
    await runCommand(command, [
      ...pre,
      "-D",
      dataDir,
      "-U",
      options.user,
      `--pwfile=${pwfile}`,
      "--auth-host=scram-sha-256",
      "--auth-local=scram-sha-256",
      "--encoding=UTF8",
      "--locale=C.UTF-8",
      "--no-instructions",
      // A throwaway development cluster: skipping the final fsync of every new file saves seconds.
      "--no-sync",
    ], { logFile: options.logFile, what: `postgres: creating the cluster in ${dataDir} (initdb)` });
  } finally {
    await removeIfExists(pwfile);
  }
}
