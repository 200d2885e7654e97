/**
 * Pid files of the stack's processes. A pid alone can be reused by an unrelated process after ours exits, so a
 * pid file also records the process's start time (field 22 of `/proc/<pid>/stat`, in clock ticks since boot):
 * a process counts as ours only while both the pid and that start time match.
 *
 * @module
 */

/** What a pid file records about one process the stack started. */
export interface PidRecord {
  pid: number;
  /** Start time of the process in clock ticks since boot, as written in `/proc/<pid>/stat`. */
  startTime: string;
}

/**
 * Parses the text of `/proc/<pid>/stat` and returns the process start time (field 22).
 *
 * Field 2 (the command name) is in parentheses and may itself contain spaces and parentheses, so the fields
 * after it are counted from the last `)`.
 */
export function parseProcStat(text: string): { state: string; startTime: string } {
  const close = text.lastIndexOf(")");
  if (close < 0) {
    throw new SyntaxError(`Cannot parse /proc stat line "${text.slice(0, 80)}": no ")" after the command`);
  }
  // After ")": field 3 (state) onwards; start time is field 22, i.e. index 19 of the rest.
  const rest = text.slice(close + 1).trim().split(/\s+/);
  const state = rest[0];
  const startTime = rest[19];
  if (!state || !startTime || !/^\d+$/.test(startTime)) {
    throw new SyntaxError(`Cannot parse /proc stat line "${text.slice(0, 80)}": missing start time`);
  }
  return { state, startTime };
}

/** Parses a pid file's text; throws SyntaxError naming the file when it is not one of ours. */
export function parsePidFile(text: string, path: string): PidRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new SyntaxError(`Cannot read pid file "${path}": not JSON`, { cause: e });
  }
  const v = value as Partial<PidRecord>;
  if (
    typeof v !== "object" || v === null || !Number.isSafeInteger(v.pid) || (v.pid as number) <= 0 ||
    typeof v.startTime !== "string" || !/^\d+$/.test(v.startTime)
  ) {
    throw new SyntaxError(`Cannot read pid file "${path}": expected {"pid": <int>, "startTime": "<digits>"}`);
  }
  return { pid: v.pid as number, startTime: v.startTime };
}

/** The text written to a pid file for `record`. */
export function formatPidFile(record: PidRecord): string {
  return `${JSON.stringify(record)}\n`;
}

/**
 * The start time of a live process, or null when no such process exists or it is a zombie (exited, not yet
 * reaped: it no longer runs and will never answer).
 */
export function processStartTime(pid: number): string | null {
  let text: string;
  try {
    text = Deno.readTextFileSync(`/proc/${pid}/stat`);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
  const { state, startTime } = parseProcStat(text);
  return state === "Z" || state === "X" ? null : startTime;
}

/** Whether the process a pid record describes is still running (same pid, same start time). */
export function isRunning(record: PidRecord): boolean {
  return processStartTime(record.pid) === record.startTime;
}

/**
 * Reads a pid file and returns its record when that process is still running, or null when the file does not
 * exist or its process has gone (the pid may now belong to someone else: it is then not ours to touch).
 */
export function readLivePidFile(path: string): PidRecord | null {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
  const record = parsePidFile(text, path);
  return isRunning(record) ? record : null;
}
