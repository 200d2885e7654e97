/**
 * A `docker compose` command to validate compose.yaml with (`config` needs no Docker engine). Uses the
 * installed plugin when there is one; otherwise builds Docker Compose from its Go module at a pinned version
 * into `<cache>/docker/cli-plugins/docker-compose` and points the Docker CLI at it with DOCKER_CONFIG.
 *
 * `go install <module>@<version>` refuses Compose (its go.mod has `exclude` directives), so the module is
 * downloaded and built as the main module instead.
 *
 * @module
 */
import { exists, removeIfExists } from "./files.ts";
import { runCommand } from "./process.ts";

/** Pinned Docker Compose module and version built when no compose plugin is installed. */
export const COMPOSE_MODULE = "github.com/docker/compose/v2";
export const COMPOSE_VERSION = "v2.40.3";

/** How to run `docker compose …`. */
export interface ComposeCli {
  command: string;
  /** Arguments that come before compose's own (e.g. `["compose"]`). */
  args: string[];
  env: Record<string, string>;
}

async function succeeds(command: string, args: string[], env: Record<string, string> = {}): Promise<boolean> {
  try {
    const out = await new Deno.Command(command, { args, env, stdin: "null", stdout: "null", stderr: "null" })
      .output();
    return out.success;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

/** Returns a working `docker compose`, building the pinned one into the cache on first use. */
export async function composeCli(cacheDir: string, logFile: string): Promise<ComposeCli> {
  if (await succeeds("docker", ["compose", "version"])) {
    return { command: "docker", args: ["compose"], env: {} };
  }
  const dockerConfig = `${cacheDir}/docker`;
  const plugin = `${dockerConfig}/cli-plugins/docker-compose`;
  if (!(await exists(plugin))) await buildCompose(plugin, logFile);
  // Through the Docker CLI when it is installed (the documented way); the plugin also runs on its own.
  const env = { DOCKER_CONFIG: dockerConfig };
  return await succeeds("docker", ["compose", "version"], env)
    ? { command: "docker", args: ["compose"], env }
    : { command: plugin, args: [], env: {} };
}

async function buildCompose(plugin: string, logFile: string): Promise<void> {
  const what = `Building Docker Compose ${COMPOSE_VERSION} (go build)`;
  await Deno.mkdir(plugin.slice(0, plugin.lastIndexOf("/")), { recursive: true });
  const download = await new Deno.Command("go", {
    args: ["mod", "download", "-json", `${COMPOSE_MODULE}@${COMPOSE_VERSION}`],
    stdin: "null",
  }).output().catch((e) => {
    if (e instanceof Deno.errors.NotFound) {
      throw new Error(`${what} failed: Go is not installed`, { cause: e });
    }
    throw e;
  });
  const info = JSON.parse(new TextDecoder().decode(download.stdout) || "{}") as {
    Dir?: string;
    Error?: string;
  };
  if (!download.success || !info.Dir) {
    throw new Error(
      `${what} failed: go mod download: ${info.Error ?? new TextDecoder().decode(download.stderr)}`,
    );
  }
  const tmp = `${plugin}.tmp-${Deno.pid}`;
  try {
    const ldflags = `-X ${COMPOSE_MODULE}/internal.Version=${COMPOSE_VERSION}`;
    await runCommand("go", ["build", "-trimpath", "-ldflags", ldflags, "-o", tmp, "./cmd"], {
      cwd: info.Dir,
      logFile,
      what,
    });
    await Deno.rename(tmp, plugin);
  } finally {
    await removeIfExists(tmp);
  }
}
