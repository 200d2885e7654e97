/**
 * The local stack's settings: where it lives, its ports and the pinned versions of what it installs. Ports and
 * folders come from the environment (documented in scripts/stack/README.md), with defaults chosen not to collide
 * with system services.
 *
 * @module
 */
import { defaultCacheDir, defaultStackDir } from "./paths.ts";

/** Pinned MinIO build: `go install github.com/minio/minio@<version>` (the Go module proxy serves no RELEASE.* tags). */
export const MINIO_MODULE = "github.com/minio/minio";
/** The MinIO module version built into the cache. */
export const MINIO_VERSION = "v0.0.0-20260212201848-7aac2a2c5b7c";

/** Everything `up` needs to know besides credentials. */
export interface StackConfig {
  /** Runtime state: data, logs, pid files, configuration files. */
  stackDir: string;
  /** Downloads and builds, shared by every checkout on the machine. */
  cacheDir: string;
  /** Address every service listens on. */
  host: string;
  ports: {
    kafka: number;
    kafkaController: number;
    connect: number;
    postgres: number;
    minio: number;
    minioConsole: number;
  };
  /** Database `up` creates for the project. */
  postgresDatabase: string;
  /** Bucket `up` creates in MinIO. */
  minioBucket: string;
  minioRegion: string;
  /** Seconds to wait for each service to become healthy. */
  startTimeoutSeconds: number;
}

/** Environment variables that set ports, with their defaults. */
export const PORT_VARIABLES = {
  kafka: ["LAKESTREAM_KAFKA_PORT", 19092],
  kafkaController: ["LAKESTREAM_KAFKA_CONTROLLER_PORT", 19093],
  connect: ["LAKESTREAM_CONNECT_PORT", 18083],
  postgres: ["LAKESTREAM_PG_PORT", 15432],
  minio: ["LAKESTREAM_MINIO_PORT", 19000],
  minioConsole: ["LAKESTREAM_MINIO_CONSOLE_PORT", 19001],
} as const satisfies Record<keyof StackConfig["ports"], readonly [string, number]>;

/**
 * Reads the stack configuration from environment variables.
 *
 * @throws {RangeError} when a port variable is not a port number or two ports coincide.
 */
export function loadStackConfig(env: (name: string) => string | undefined = Deno.env.get): StackConfig {
  const ports = Object.fromEntries(
    Object.entries(PORT_VARIABLES).map((
      [key, [name, fallback]],
    ) => [key, parsePort(name, env(name), fallback)]),
  ) as StackConfig["ports"];
  const seen = new Map<number, string>();
  for (const [key, port] of Object.entries(ports)) {
    const other = seen.get(port);
    if (other) {
      throw new RangeError(
        `Cannot use port ${port} for both ${other} and ${key}: set distinct LAKESTREAM_*_PORT values`,
      );
    }
    seen.set(port, key);
  }
  const timeout = env("LAKESTREAM_STACK_TIMEOUT") ?? "180";
  if (!/^\d+$/.test(timeout) || Number(timeout) < 1) {
    throw new RangeError(
      `Invalid LAKESTREAM_STACK_TIMEOUT "${timeout}": expected a positive number of seconds`,
    );
  }
  return {
    stackDir: defaultStackDir(env),
    cacheDir: defaultCacheDir(env),
    host: "127.0.0.1",
    ports,
    postgresDatabase: env("LAKESTREAM_PG_DATABASE") || "lakestream",
    minioBucket: env("LAKESTREAM_MINIO_BUCKET") || "datalake",
    minioRegion: env("LAKESTREAM_MINIO_REGION") || "us-east-1",
    startTimeoutSeconds: Number(timeout),
  };
}

function parsePort(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined || text === "") return fallback;
  const port = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(port >= 1 && port <= 65535)) {
    throw new RangeError(`Invalid ${name} "${text}": expected a port number 1-65535`);
  }
  return port;
}
