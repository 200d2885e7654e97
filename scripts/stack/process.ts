/**
 * Starting and stopping the stack's long-running processes. Each runs detached (own session, survives the
 * `up` command), writes stdout and stderr to its log file and is recorded in a pid file with its start time;
 * stopping signals only a process whose pid and start time still match (see pid_file.ts).
 *
 * @module
 */
import { removeIfExists } from "./files.ts";
import { formatPidFile, isRunning, type PidRecord, processStartTime, readLivePidFile } from "./pid_file.ts";

/** What to start. */
export interface StartOptions {
  command: string;
  args: string[];
  /** Extra environment variables (added to this process's environment). */
  env?: Record<string, string>;
  cwd?: string;
  /** File that receives stdout and stderr (appended). */
  logFile: string;
  /** File that receives the pid record. */
  pidFile: string;
}

/** A process started by {@linkcode startDetached}. */
export interface StartedProcess {
  record: PidRecord;
  /** Settles when the process exits while this program still runs (a crash during startup). */
  exited: Promise<Deno.CommandStatus>;
}

/** `sh -c` script running "$2…" with stdout and stderr appended to the file "$1"; `exec` keeps the pid. */
const TO_LOG = 'log=$1; shift; exec "$@" >>"$log" 2>&1';

/** Starts a detached process whose output goes to `logFile` and records it in `pidFile`. */
export async function startDetached(options: StartOptions): Promise<StartedProcess> {
  const child = new Deno.Command("sh", {
    args: ["-c", TO_LOG, "sh", options.logFile, options.command, ...options.args],
    env: options.env,
    cwd: options.cwd,
    stdin: "null",
    stdout: "null",
    stderr: "null",
    detached: true,
  }).spawn();
  child.unref();
  // A process that died at once has no start time left to read; record a value no process can match.
  const record = { pid: child.pid, startTime: processStartTime(child.pid) ?? "0" };
  await Deno.writeTextFile(options.pidFile, formatPidFile(record));
  return { record, exited: child.status };
}

/** Options of {@linkcode stopProcess}. */
export interface StopOptions {
  /** First signal; the service's graceful shutdown. */
  signal: Deno.Signal;
  /** How long to wait after `signal` before SIGKILL. */
  graceMs: number;
}

/** What {@linkcode stopProcess} did. */
export type StopOutcome = "not-running" | "stopped" | "killed";

/**
 * Stops the process recorded in `pidFile` if it is still ours and running, then removes the pid file.
 * A pid file whose process has gone (or whose pid now belongs to another process) is removed, never signalled.
 */
export async function stopProcess(pidFile: string, options: StopOptions): Promise<StopOutcome> {
  const record = readLivePidFile(pidFile);
  let outcome: StopOutcome = "not-running";
  if (record) {
    outcome = await signalAndWait(record, options.signal, options.graceMs) ? "stopped" : "killed";
    if (outcome === "killed") await signalAndWait(record, "SIGKILL", 10_000);
  }
  await removeIfExists(pidFile);
  return outcome;
}

/** Sends `signal` and waits up to `waitMs` for the process to exit; true when it did. */
async function signalAndWait(record: PidRecord, signal: Deno.Signal, waitMs: number): Promise<boolean> {
  try {
    Deno.kill(record.pid, signal);
  } catch (e) {
    // It exited between the liveness check and the signal: that is the outcome we wanted.
    if (e instanceof Deno.errors.NotFound) return true;
    throw e;
  }
  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline) {
    if (!isRunning(record)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !isRunning(record);
}

/** Whether something already listens on `host:port` (so a service of ours cannot bind it). */
export function portInUse(host: string, port: number): boolean {
  try {
    Deno.listen({ hostname: host, port }).close();
    return false;
  } catch (e) {
    if (e instanceof Deno.errors.AddrInUse) return true;
    throw e;
  }
}

/** Options of {@linkcode runCommand}. */
export interface RunOptions {
  env?: Record<string, string>;
  cwd?: string;
  /** Append the command line and its output to this file. */
  logFile: string;
  /** Names the step in the error message, e.g. `kafka: installing the jars`. */
  what: string;
}

/**
 * Runs a command to completion, appending the command line and its output to a log file.
 *
 * @throws {Error} naming the step, the exit code and the log file when the command fails.
 */
export async function runCommand(command: string, args: string[], options: RunOptions): Promise<void> {
  await Deno.writeTextFile(options.logFile, `\n$ ${[command, ...args].join(" ")}\n`, { append: true });
  const status = await new Deno.Command("sh", {
    args: ["-c", TO_LOG, "sh", options.logFile, command, ...args],
    env: options.env,
    cwd: options.cwd,
    stdin: "null",
  }).output();
  if (status.code === 127) {
    throw new Error(`${options.what} failed: the command "${command}" was not found; see ${options.logFile}`);
  }
  if (!status.success) {
    throw new Error(
      `${options.what} failed: ${command} exited with code ${status.code}; see ${options.logFile}`,
    );
  }
}
