/**
 * `up`, `down`, `status` and `logs` of the local stack.
 *
 * @module
 */
import { loadStackConfig, PORT_VARIABLES, type StackConfig } from "./config.ts";
import { loadCredentials } from "./credentials.ts";
import { stackEndpoints, writeStackFile } from "./endpoints.ts";
import { parseStackFile, type StackEnv } from "./env.ts";
import { removeIfExists, rotateIfLarger } from "./files.ts";
import { choosePorts, explicitPorts, parseSavedPorts, PORT_OWNER, type PortKey } from "./ports.ts";
import { acquireLock } from "./lock.ts";
import { type ServiceName, SERVICES, type StackPaths, stackPaths } from "./paths.ts";
import { isRunning, type PidRecord, readLivePidFile } from "./pid_file.ts";
import { portInUse, startDetached, type StartedProcess, stopProcess } from "./process.ts";
import { afterStop, createServices, REQUIRES, type Service, STOP_OPTIONS } from "./services.ts";

/** A service failed to install, start or become healthy. The message names it and points to its log. */
export class ServiceError extends Error {
  override name = "ServiceError";
  constructor(
    readonly service: ServiceName,
    message: string,
    readonly logFile: string,
    options?: ErrorOptions,
  ) {
    super(`${service}: ${message}; see ${logFile}`, options);
  }
}

/** Where the stack commands write their report, one line at a time, and where they read settings. */
export interface StackIo {
  out: (line: string) => void;
  env?: (name: string) => string | undefined;
}

/** `names` plus every service they require, in start order. */
export function withRequirements(names: readonly ServiceName[]): ServiceName[] {
  const wanted = new Set<ServiceName>();
  const add = (n: ServiceName) => {
    for (const r of REQUIRES[n]) add(r);
    wanted.add(n);
  };
  names.forEach(add);
  return SERVICES.filter((s) => wanted.has(s));
}

/** `names` plus every service that requires them, in stop order (dependents first). */
export function withDependents(names: readonly ServiceName[]): ServiceName[] {
  const wanted = new Set(names);
  for (let grew = true; grew;) {
    grew = false;
    for (const s of SERVICES) {
      if (!wanted.has(s) && REQUIRES[s].some((r) => wanted.has(r))) {
        wanted.add(s);
        grew = true;
      }
    }
  }
  return SERVICES.filter((s) => wanted.has(s)).reverse();
}

/** A service's log is moved aside at start once it is this large. */
const LOG_ROTATE_BYTES = 64 * 2 ** 20;

const pad = (name: string) => name.padEnd(9);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The last `n` lines of a log file, indented, for failure reports. */
async function logTail(path: string, n = 15): Promise<string> {
  try {
    const lines = (await Deno.readTextFile(path)).trimEnd().split("\n").slice(-n);
    return lines.map((l) => `    ${l}`).join("\n");
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return "    (no log written)";
    throw e;
  }
}

function portVariable(config: StackConfig, port: number): string {
  const key = (Object.keys(config.ports) as (keyof StackConfig["ports"])[]).find((k) =>
    config.ports[k] === port
  );
  return key ? PORT_VARIABLES[key][0] : "its LAKESTREAM_*_PORT variable";
}

/** The stack's settings with the ports it last used (unless set explicitly), and its folders. */
async function openStack(io: StackIo) {
  const env = io.env ?? Deno.env.get;
  const configured = loadStackConfig(env);
  const paths = stackPaths(configured.stackDir);
  await Deno.mkdir(`${paths.root}/run`, { recursive: true });
  await Deno.mkdir(`${paths.root}/logs`, { recursive: true });
  let saved = null;
  try {
    saved = parseSavedPorts(await Deno.readTextFile(portsFile(paths)));
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  const explicit = explicitPorts(env);
  const ports = { ...configured.ports };
  for (const key of Object.keys(ports) as PortKey[]) {
    if (!explicit.has(key)) ports[key] = saved?.[key] ?? ports[key];
  }
  return { config: { ...configured, ports }, configured, explicit, saved, paths };
}

const portsFile = (paths: StackPaths) => `${paths.root}/ports.json`;

async function withLock<T>(paths: StackPaths, io: StackIo, fn: () => Promise<T>): Promise<T> {
  const release = await acquireLock(`${paths.root}/run/stack.lock`, {
    timeoutMs: 15 * 60_000,
    onWait: (pid) => io.out(`waiting for another stack command (pid ${pid}) to finish`),
  });
  try {
    return await fn();
  } finally {
    await release();
  }
}

/**
 * Installs (first run) and starts the given services and those they require, waits until each is healthy and
 * writes .stack/stack.json. Services already running are only checked. On failure the services this call
 * started are stopped again and a {@linkcode ServiceError} is thrown.
 */
export async function stackUp(names: readonly ServiceName[], io: StackIo): Promise<void> {
  const t0 = performance.now();
  const opened = await openStack(io);
  const { paths } = opened;
  await withLock(paths, io, async () => {
    // Ports of services not running yet move off ports another program holds (see ports.ts).
    const running = new Set(SERVICES.filter((s) => readLivePidFile(paths.pidFile(s)) !== null));
    const { ports, moved } = choosePorts({
      configured: opened.configured.ports,
      explicit: opened.explicit,
      saved: opened.saved,
      running,
      isFree: (port) => !portInUse(opened.config.host, port),
    });
    for (const m of moved) {
      io.out(
        `${pad(PORT_OWNER[m.key])} port ${m.from} is taken by another program: using ${m.to} ` +
          `(set ${PORT_VARIABLES[m.key][0]} to choose)`,
      );
    }
    const config = { ...opened.config, ports };
    await Deno.writeTextFile(portsFile(paths), `${JSON.stringify(ports, null, 2)}\n`);
    const credentials = await loadCredentials(paths.credentialsFile, io.env);
    const endpoints = stackEndpoints(config, credentials);
    const services = createServices({ config, paths, credentials, endpoints });
    const wanted = withRequirements(names);
    await writeStackFile(paths.stackFile, endpoints);

    const already = new Map<ServiceName, PidRecord>();
    for (const name of wanted) {
      const record = readLivePidFile(paths.pidFile(name));
      if (record) already.set(name, record);
      else {
        for (const port of services[name].ports) {
          if (portInUse(config.host, port)) {
            throw new ServiceError(
              name,
              `port ${port} on ${config.host} is in use by a process this stack did not start ` +
                `(set ${portVariable(config, port)} to use another port)`,
              paths.logFile(name),
            );
          }
        }
      }
    }

    const started = new Map<ServiceName, StartedProcess>();
    const abort = new AbortController();
    const outcomes = new Map<ServiceName, Promise<void>>();
    // Settles when a service's process is running: what a dependent waits for before starting its own.
    const launched = new Map(wanted.map((n) => [n, Promise.withResolvers<void>()] as const));
    for (const l of launched.values()) {
      // A failure is reported through the failing service's own promise; dependents only stop waiting.
      l.promise.catch(() => {});
    }
    const bringUp = async (name: ServiceName): Promise<void> => {
      const service = services[name];
      const logFile = paths.logFile(name);
      const running = already.get(name);
      let launch;
      try {
        launch = running ? null : await service.prepare((line) => io.out(`${pad(name)} ${line}`));
      } catch (e) {
        throw new ServiceError(name, `preparing failed: ${(e as Error).message}`, logFile, { cause: e });
      }
      // Connect starts while Kafka is still starting: it waits for the broker itself, and the two JVMs'
      // start-up work overlaps instead of adding up.
      await Promise.all(REQUIRES[name].map((r) => launched.get(r)?.promise));
      abort.signal.throwIfAborted();
      const since = performance.now();
      let proc: StartedProcess | null = null;
      if (launch) {
        await rotateIfLarger(logFile, LOG_ROTATE_BYTES);
        await Deno.writeTextFile(logFile, `\n==== ${new Date().toISOString()} starting ${name}\n`, {
          append: true,
        });
        proc = await startDetached({
          ...launch,
          logFile,
          pidFile: paths.pidFile(name),
          cwd: paths.serviceDir(name),
        });
        started.set(name, proc);
      }
      launched.get(name)?.resolve();
      const detail = await waitHealthy(
        service,
        proc,
        config.startTimeoutSeconds * 1000,
        abort.signal,
        logFile,
      );
      const where = `${config.host}:${service.ports[0]}`;
      io.out(
        running
          ? `${pad(name)} already running (pid ${running.pid}) on ${where}: ${detail}`
          : `${pad(name)} healthy in ${seconds(performance.now() - since)} on ${where}: ${detail}`,
      );
    };
    let failure: unknown = null;
    for (const name of wanted) {
      outcomes.set(
        name,
        bringUp(name).catch((e) => {
          // The first failure stops the others from waiting out their timeouts.
          launched.get(name)?.reject(e);
          failure ??= e;
          abort.abort();
          throw e;
        }),
      );
    }
    await Promise.allSettled(outcomes.values());
    if (failure) {
      for (const name of [...started.keys()].reverse()) {
        if (await stopProcess(paths.pidFile(name), STOP_OPTIONS[name]) !== "not-running") {
          io.out(`${pad(name)} stopped again (started by this failed run)`);
        }
      }
      if (failure instanceof ServiceError) {
        io.out(`✘ ${failure.message}\n${await logTail(failure.logFile)}`);
      }
      throw failure;
    }
    io.out(`stack up in ${seconds(performance.now() - t0)}; endpoints in ${paths.stackFile}`);
  });
}

/** Retries `finish` and `probe` until both succeed, the process exits, or the timeout passes. */
async function waitHealthy(
  service: Service,
  proc: StartedProcess | null,
  timeoutMs: number,
  signal: AbortSignal,
  logFile: string,
): Promise<string> {
  let exit: Deno.CommandStatus | null = null;
  proc?.exited.then((s) => exit = s);
  const deadline = Date.now() + timeoutMs;
  let last = "no answer yet";
  while (true) {
    signal.throwIfAborted();
    try {
      const note = await service.finish(5000);
      const detail = await service.probe(5000);
      return note ? `${detail} (${note})` : detail;
    } catch (e) {
      last = (e as Error).message;
    }
    // `exit` is set asynchronously by the `then` above.
    const exited = exit as Deno.CommandStatus | null;
    if (exited || (proc && !isRunning(proc.record))) {
      const how = exited ? `exited with code ${exited.code}` : "exited";
      throw new ServiceError(service.name, `${how} during startup`, logFile);
    }
    if (Date.now() > deadline) {
      throw new ServiceError(service.name, `not healthy after ${seconds(timeoutMs)}: ${last}`, logFile);
    }
    await sleep(250);
  }
}

/**
 * Stops the given services and those that require them, dependents first; only processes recorded in this
 * stack's pid files and still matching them are signalled. Removes stack.json once nothing runs.
 */
export async function stackDown(names: readonly ServiceName[], io: StackIo): Promise<void> {
  const { config, paths } = await openStack(io);
  await withLock(paths, io, async () => {
    const stopped: ServiceName[] = [];
    for (const name of withDependents(names)) {
      const record = readLivePidFile(paths.pidFile(name));
      const t = performance.now();
      const outcome = await stopProcess(paths.pidFile(name), STOP_OPTIONS[name]);
      if (outcome !== "not-running") stopped.push(name);
      io.out(
        outcome === "not-running"
          ? `${pad(name)} not running`
          : `${pad(name)} ${
            outcome === "killed" ? "killed (did not stop in time)" : "stopped"
          } (pid ${record?.pid}) in ${seconds(performance.now() - t)}`,
      );
    }
    if (SERVICES.every((s) => readLivePidFile(paths.pidFile(s)) === null)) {
      await removeIfExists(paths.stackFile);
    }
    await Promise.all(stopped.map(async (name) => {
      try {
        await afterStop(name, config, paths, (line) => io.out(`${pad(name)} ${line}`));
      } catch (e) {
        // The service is stopped either way; only the next start is slower.
        io.out(`${pad(name)} could not archive its classes for faster starts: ${(e as Error).message}`);
      }
    }));
  });
}

/** Prints each service's address, pid and health; resolves to true when every service is healthy. */
export async function stackStatus(io: StackIo): Promise<boolean> {
  const { config, paths } = await openStack(io);
  let endpoints: StackEnv | null = null;
  try {
    endpoints = parseStackFile(await Deno.readTextFile(paths.stackFile), paths.stackFile);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  const services = endpoints
    ? createServices({
      config,
      paths,
      endpoints,
      credentials: {
        postgres: { user: endpoints.postgres.user, password: endpoints.postgres.password },
        minio: { accessKeyId: endpoints.minio.accessKeyId, secretAccessKey: endpoints.minio.secretAccessKey },
      },
    })
    : null;
  const rows = await Promise.all(SERVICES.map(async (name) => {
    const record = readLivePidFile(paths.pidFile(name));
    let health = "stopped";
    let ok = false;
    if (record && services) {
      try {
        health = `healthy: ${await services[name].probe(5000)}`;
        ok = true;
      } catch (e) {
        health = `unhealthy: ${(e as Error).message}; see ${paths.logFile(name)}`;
      }
    } else if (record) health = `running, but ${paths.stackFile} is missing`;
    const port = createPortLabel(config, name);
    return { ok, line: `${pad(name)} ${port.padEnd(25)} ${String(record?.pid ?? "-").padEnd(8)} ${health}` };
  }));
  io.out(`${pad("service")} ${"address".padEnd(25)} ${"pid".padEnd(8)} health`);
  for (const r of rows) io.out(r.line);
  return rows.every((r) => r.ok);
}

function createPortLabel(config: StackConfig, name: ServiceName): string {
  const p = config.ports;
  const main = { kafka: p.kafka, connect: p.connect, postgres: p.postgres, minio: p.minio }[name];
  const extra = name === "kafka"
    ? ` (+${p.kafkaController})`
    : name === "minio"
    ? ` (+${p.minioConsole})`
    : "";
  return `${config.host}:${main}${extra}`;
}

/** Copies a service's log file to `out`; throws when there is none yet. */
export async function stackLogs(
  name: ServiceName,
  io: StackIo,
  out: WritableStream<Uint8Array>,
): Promise<void> {
  const { paths } = await openStack(io);
  let file: Deno.FsFile;
  try {
    file = await Deno.open(paths.logFile(name));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new Error(`No log for ${name} yet (${paths.logFile(name)}): run \`deno task stack up\` first`);
    }
    throw e;
  }
  await file.readable.pipeTo(out, { preventClose: true });
}
