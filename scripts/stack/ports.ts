/**
 * Which ports this checkout's stack uses. A port set by its LAKESTREAM_*_PORT variable is used as is. Otherwise
 * the stack keeps the port it used before (saved in .stack/ports.json), or the default, and moves to a free one
 * when another program holds it: two checkouts on one machine (a CI clone beside a developer's tree) each get
 * a working stack. Ports are sticky because registered Debezium connectors remember the database's port.
 *
 * @module
 */
import { PORT_VARIABLES, type StackConfig } from "./config.ts";
import type { ServiceName } from "./paths.ts";

/** The port settings. */
export type PortKey = keyof StackConfig["ports"];

/** The service that binds each port. */
export const PORT_OWNER: Record<PortKey, ServiceName> = {
  kafka: "kafka",
  kafkaController: "kafka",
  connect: "connect",
  postgres: "postgres",
  minio: "minio",
  minioConsole: "minio",
};

/** Ports set explicitly through their environment variable. */
export function explicitPorts(env: (name: string) => string | undefined): Set<PortKey> {
  return new Set((Object.keys(PORT_VARIABLES) as PortKey[]).filter((k) => env(PORT_VARIABLES[k][0])));
}

/** What {@linkcode choosePorts} needs to know. */
export interface PortChoice {
  /** Ports from the environment or the defaults. */
  configured: StackConfig["ports"];
  /** Keys whose port was set explicitly: never moved. */
  explicit: ReadonlySet<PortKey>;
  /** Ports this stack used last time, if any. */
  saved: Partial<StackConfig["ports"]> | null;
  /** Services of this stack that are running: their ports are taken by themselves and stay. */
  running: ReadonlySet<ServiceName>;
  /** Whether nothing listens on a port. */
  isFree: (port: number) => boolean;
}

/** One port that had to move. */
export interface PortMove {
  key: PortKey;
  from: number;
  to: number;
}

/**
 * Chooses the ports: explicit ones as set, others as saved (or configured), each moved by steps of 1000 while
 * another program holds it. A port that finds no free alternative stays, so that starting fails with a clear
 * message naming it.
 */
export function choosePorts(choice: PortChoice): { ports: StackConfig["ports"]; moved: PortMove[] } {
  const ports = { ...choice.configured };
  const moved: PortMove[] = [];
  const keys = Object.keys(ports) as PortKey[];
  for (const key of keys) {
    if (!choice.explicit.has(key)) ports[key] = choice.saved?.[key] ?? choice.configured[key];
  }
  // Ports that cannot move are claimed first; then each other port in turn, avoiding those already claimed.
  const fixed = (key: PortKey) => choice.explicit.has(key) || choice.running.has(PORT_OWNER[key]);
  const claimed = new Set(keys.filter(fixed).map((k) => ports[k]));
  for (const key of keys.filter((k) => !fixed(k))) {
    const from = ports[key];
    let to = from;
    if (claimed.has(from) || !choice.isFree(from)) {
      for (let step = 1; step <= 40 && from + 1000 * step <= 65535; step++) {
        const candidate = from + 1000 * step;
        if (!claimed.has(candidate) && choice.isFree(candidate)) {
          to = candidate;
          break;
        }
      }
    }
    if (to !== from) {
      ports[key] = to;
      moved.push({ key, from, to });
    }
    claimed.add(to);
  }
  return { ports, moved };
}

/** Parses ports.json; an unreadable file counts as absent (the ports are then chosen afresh). */
export function parseSavedPorts(text: string): Partial<StackConfig["ports"]> | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // A half-written file from an interrupted run: choosing again is the safe answer.
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const saved: Partial<StackConfig["ports"]> = {};
  for (const key of Object.keys(PORT_VARIABLES) as PortKey[]) {
    const p = (value as Record<string, unknown>)[key];
    if (typeof p === "number" && Number.isInteger(p) && p > 0 && p < 65536) saved[key] = p;
  }
  return saved;
}
