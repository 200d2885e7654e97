/**
 * Structured logs: one line per event, as text (`2024-05-01T10:00:00.000Z INFO batch committed batch=7`) or
 * as JSON (`{"ts":"…","level":"info","msg":"batch committed","batch":7}`).
 *
 * @module
 */

export type LogLevel = "debug" | "info" | "warn" | "error";
/** Fields of a log line: JSON-safe values (bigints are written as strings). */
export type LogFields = Record<string, unknown>;

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** Where log lines go. */
export interface Logger {
  log(level: LogLevel, msg: string, fields?: LogFields): void;
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

/** Options of {@linkcode createLogger}. */
export interface LoggerOptions {
  /** @default "text" */
  format?: "text" | "json";
  /** Lowest level written. @default "info" */
  level?: LogLevel;
  /** Receives each line without its newline. @default writes to stderr */
  write?: (line: string) => void;
  /** Clock in ms since the epoch. @default Date.now */
  now?: () => number;
}

function jsonSafe(_k: string, v: unknown): unknown {
  if (typeof v === "bigint") return String(v);
  if (v instanceof Error) return `${v.name}: ${v.message}`;
  return v;
}

function textValue(v: unknown): string {
  if (typeof v !== "string") return JSON.stringify(v, jsonSafe) ?? String(v);
  return v === "" || /[\s"=]/.test(v) ? JSON.stringify(v) : v;
}

const encoder = new TextEncoder();

/** A logger writing text or JSON lines. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const format = options.format ?? "text";
  const min = RANK[options.level ?? "info"];
  const write = options.write ?? ((line: string) => Deno.stderr.writeSync(encoder.encode(line + "\n")));
  const now = options.now ?? Date.now;
  const log = (level: LogLevel, msg: string, fields: LogFields = {}) => {
    if (RANK[level] < min) return;
    const ts = new Date(now()).toISOString();
    if (format === "json") {
      write(JSON.stringify({ ts, level, msg, ...fields }, jsonSafe));
      return;
    }
    let line = `${ts} ${level.toUpperCase()} ${msg}`;
    for (const [k, v] of Object.entries(fields)) if (v !== undefined) line += ` ${k}=${textValue(v)}`;
    write(line);
  };
  return {
    log,
    debug: (m, f) => log("debug", m, f),
    info: (m, f) => log("info", m, f),
    warn: (m, f) => log("warn", m, f),
    error: (m, f) => log("error", m, f),
  };
}

/** A logger that drops everything (library use without logs). */
export const silentLogger: Logger = createLogger({ write: () => {} });
