/**
 * `deno task up --stack docker`: the original system's stack, fixed, from compose.yaml (SQL Server, Kafka,
 * Debezium, MinIO and Lakestream's own services in containers). Needs a reachable Docker engine and a .env file.
 *
 * @module
 */
import { composeCli } from "../stack/compose_cli.ts";
import { loadStackConfig } from "../stack/config.ts";
import type { HealthReport } from "../../web/mod.ts";
import type { UpContext } from "./up_context.ts";

/** The repository root, where compose.yaml and .env are. */
const ROOT = new URL("../../", import.meta.url).pathname;

/** The output of a finished command. */
export interface CommandOutput {
  code: number;
  stderr: string;
}

/** Runs a command to completion without input, capturing stderr. Rejects with NotFound when it is not installed. */
export type CommandRunner = (command: string, args: string[]) => Promise<CommandOutput>;

const quiet: CommandRunner = async (command, args) => {
  const out = await new Deno.Command(command, { args, stdin: "null", stdout: "null", stderr: "piped" })
    .output();
  return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
};

/**
 * Why no Docker engine can be used, or null when one answers `docker info`. The reason is the last line the
 * Docker CLI printed (e.g. "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker
 * daemon running?").
 */
export async function dockerEngineProblem(run: CommandRunner = quiet): Promise<string | null> {
  let out: CommandOutput;
  try {
    out = await run("docker", ["info", "--format", "{{.ServerVersion}}"]);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return "the docker command is not installed";
    throw e;
  }
  if (out.code === 0) return null;
  return out.stderr.trim().split("\n").map((l) => l.trim()).filter(Boolean).at(-1) ??
    `docker info exited with code ${out.code}`;
}

async function compose(args: string[], env: Record<string, string>): Promise<void> {
  const cli = await composeCli(loadStackConfig().cacheDir, `${loadStackConfig().cacheDir}/docker/build.log`);
  const status = await new Deno.Command(cli.command, {
    args: [...cli.args, "--file", `${ROOT}compose.yaml`, ...args],
    cwd: ROOT,
    env: { ...cli.env, ...env },
    stdin: "null",
  }).spawn().status;
  if (!status.success) {
    throw new Error(`docker compose ${args[0]} failed with exit code ${status.code} (its output is above)`);
  }
}

async function health(url: string): Promise<HealthReport | null> {
  try {
    const res = await fetch(`${url}api/health`, { signal: AbortSignal.timeout(2000) });
    return res.ok ? await res.json() as HealthReport : (await res.body?.cancel(), null);
  } catch {
    // Not answering (yet, or any more) is what the status line shows; it is not an error of `up`.
    return null;
  }
}

function lastCommit(h: HealthReport | null): number | null {
  if (!h) return null;
  let last: number | null = null;
  for (const t of h.tables) {
    if (t.lastCommitAt !== null && (last === null || t.lastCommitAt > last)) last = t.lastCommitAt;
  }
  return last;
}

/**
 * Runs compose.yaml until the context stops it: `up --build --wait`, the dashboard URL, a status line from the
 * dashboard's /api/health; on stop the faker container stops first, the processor gets until the lake has been
 * quiet for `quietMs` (at most `drainTimeoutMs`) to commit what was captured, then every container stops (kept,
 * with their volumes, so the next `up` resumes).
 */
export async function runDockerStack(
  ctx: UpContext,
  options: { port: number; quietMs?: number; drainTimeoutMs?: number },
): Promise<void> {
  const problem = await dockerEngineProblem();
  if (problem !== null) {
    throw new Error(
      `No Docker engine is reachable (${problem}): start Docker, or use --stack embedded (nothing to install) ` +
        `or --stack local (the real stack without Docker)`,
    );
  }
  try {
    await Deno.stat(`${ROOT}.env`);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
    throw new Error(
      `compose.yaml reads its passwords from .env, which is missing: cp .env.example .env, then edit it`,
    );
  }
  const env = { WEB_PORT: String(options.port) };
  ctx.io.line(
    "Starting the Docker stack (docker compose up --build --wait; the first run pulls and builds images)",
  );
  await compose(["up", "--build", "--detach", "--wait"], env);
  const url = `http://127.0.0.1:${options.port}/`;
  ctx.io.line(`Dashboard: ${url}`);
  ctx.markLive();
  let latest: HealthReport | null = null;
  const started = ctx.now();
  while (!ctx.stopRequested()) {
    latest = await health(url);
    const last = lastCommit(latest);
    ctx.io.status?.({
      phase: "live",
      elapsedMs: ctx.now() - started,
      lastCommitAgeMs: last === null ? null : Date.now() - last,
      clients: latest?.clients ?? 0,
    });
    await ctx.sleep(1000);
  }
  ctx.io.line("Stopping: the faker first, then the processor once the lake is quiet");
  await compose(["stop", "faker"], env);
  const quietMs = options.quietMs ?? 5000;
  const deadline = ctx.now() + (options.drainTimeoutMs ?? 120_000);
  let seen = lastCommit(latest);
  let quietSince = ctx.now();
  while (ctx.now() - quietSince < quietMs && ctx.now() < deadline && !ctx.forced()) {
    await ctx.sleep(1000, false);
    const last = lastCommit(await health(url));
    if (last !== seen) {
      seen = last;
      quietSince = ctx.now();
    }
    ctx.io.status?.({
      phase: "draining",
      elapsedMs: ctx.now() - started,
      lastCommitAgeMs: last === null ? null : Date.now() - last,
    });
  }
  await compose(["stop"], env);
  ctx.io.line("Stopped; `deno task up --stack docker` starts the containers again where they stopped");
}
