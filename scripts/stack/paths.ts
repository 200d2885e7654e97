/**
 * Where the local stack keeps its runtime state (<repo>/.stack/, git-ignored) and its downloads and builds
 * (~/.cache/lakestream/). Both can be moved with LAKESTREAM_STACK_DIR and LAKESTREAM_CACHE_DIR.
 *
 * @module
 */

/** The services of the local stack, in start order (Connect needs Kafka). */
export const SERVICES = ["kafka", "connect", "postgres", "minio"] as const;

/** One service of the local stack. */
export type ServiceName = typeof SERVICES[number];

/** Whether `name` is a service of the local stack. */
export function isServiceName(name: string): name is ServiceName {
  return (SERVICES as readonly string[]).includes(name);
}

const REPO_ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

/** Runtime state directory: `LAKESTREAM_STACK_DIR`, or `.stack` in the repository. */
export function defaultStackDir(env: (name: string) => string | undefined = Deno.env.get): string {
  return env("LAKESTREAM_STACK_DIR") || `${REPO_ROOT}/.stack`;
}

/** Cache of downloads and builds: `LAKESTREAM_CACHE_DIR`, or `$XDG_CACHE_HOME/lakestream`, or ~/.cache/lakestream. */
export function defaultCacheDir(env: (name: string) => string | undefined = Deno.env.get): string {
  const explicit = env("LAKESTREAM_CACHE_DIR");
  if (explicit) return explicit;
  const xdg = env("XDG_CACHE_HOME");
  if (xdg) return `${xdg}/lakestream`;
  const home = env("HOME");
  if (!home) {
    throw new Error("Cannot locate the cache directory: neither LAKESTREAM_CACHE_DIR nor HOME is set");
  }
  return `${home}/.cache/lakestream`;
}

/** The files and folders under one stack directory. */
export interface StackPaths {
  /** The stack directory itself. */
  root: string;
  /** Endpoints and credentials of a running stack, written by `up`, removed by `down`. */
  stackFile: string;
  /** Credentials generated on first `up` (mode 0600). */
  credentialsFile: string;
  /** Pid file of a service's process. */
  pidFile(service: ServiceName): string;
  /** Log file of a service (stdout and stderr of its process). */
  logFile(service: ServiceName): string;
  /** A service's own folder: configuration files and data. */
  serviceDir(service: ServiceName): string;
}

/** The layout of the stack directory `root`. */
export function stackPaths(root: string = defaultStackDir()): StackPaths {
  return {
    root,
    stackFile: `${root}/stack.json`,
    credentialsFile: `${root}/credentials.json`,
    pidFile: (s) => `${root}/run/${s}.pid`,
    logFile: (s) => `${root}/logs/${s}.log`,
    serviceDir: (s) => `${root}/${s}`,
  };
}
