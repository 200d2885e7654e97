/**
 * The endpoints and credentials of the running local stack, for tests and tools that talk to it.
 *
 * ```ts
 * import { stackEnv } from "../../scripts/stack/env.ts";
 * const { kafka, postgres } = stackEnv(); // throws StackNotRunningError when `deno task stack up` has not run
 * ```
 *
 * @module
 */
import { readLivePidFile } from "./pid_file.ts";
import { type ServiceName, SERVICES, stackPaths } from "./paths.ts";

export { type ServiceName, SERVICES } from "./paths.ts";

/** Endpoints and credentials of the local stack, as written by `deno task stack up` to .stack/stack.json. */
export interface StackEnv {
  kafka: {
    /** Bootstrap servers, `host:port`. */
    brokers: string[];
  };
  connect: {
    /** Base URL of the Kafka Connect REST API, without a trailing slash. */
    url: string;
  };
  postgres: {
    host: string;
    port: number;
    user: string;
    password: string;
    database: string;
  };
  minio: {
    /** S3 endpoint URL (use path-style addressing). */
    endpoint: string;
    accessKeyId: string;
    secretAccessKey: string;
    region: string;
    /** The lake's bucket, created by `up`. */
    bucket: string;
  };
}

/** The local stack (or a service of it that the caller needs) is not running. */
export class StackNotRunningError extends Error {
  override name = "StackNotRunningError";
}

/** Options of {@linkcode stackEnv}. */
export interface StackEnvOptions {
  /**
   * Services that must be running.
   * @default all of them
   */
  services?: readonly ServiceName[];
  /**
   * The stack directory.
   * @default LAKESTREAM_STACK_DIR, or .stack in the repository
   */
  dir?: string;
}

/**
 * Returns the endpoints and credentials of the running local stack.
 *
 * @throws {StackNotRunningError} when `deno task stack up` has not run, or a needed service has stopped.
 */
export function stackEnv(options: StackEnvOptions = {}): StackEnv {
  const paths = stackPaths(options.dir);
  let text: string;
  try {
    text = Deno.readTextFileSync(paths.stackFile);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new StackNotRunningError(
        `The local stack is not running (no ${paths.stackFile}): run \`deno task stack up\``,
      );
    }
    throw e;
  }
  const stopped = (options.services ?? SERVICES).filter((s) => readLivePidFile(paths.pidFile(s)) === null);
  if (stopped.length > 0) {
    throw new StackNotRunningError(
      `The local stack is not running (${stopped.join(", ")} stopped): run \`deno task stack up\``,
    );
  }
  return parseStackFile(text, paths.stackFile);
}

/** Parses the text of stack.json; throws SyntaxError naming the file and the field when it is malformed. */
export function parseStackFile(text: string, path: string): StackEnv {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (e) {
    throw new SyntaxError(`Cannot read "${path}": not JSON`, { cause: e });
  }
  const field = (obj: unknown, name: string): unknown => {
    const [head, ...rest] = name.split(".");
    const v = typeof obj === "object" && obj !== null ? (obj as Record<string, unknown>)[head] : undefined;
    return rest.length === 0 ? v : field(v, rest.join("."));
  };
  const bad = (name: string, expected: string) =>
    new SyntaxError(`Cannot read "${path}": field ${name} must be ${expected}`);
  const str = (name: string): string => {
    const v = field(root, name);
    if (typeof v !== "string" || v === "") throw bad(name, "a non-empty string");
    return v;
  };
  const port = (name: string): number => {
    const v = field(root, name);
    if (typeof v !== "number" || !Number.isInteger(v) || v < 1 || v > 65535) throw bad(name, "a port number");
    return v;
  };
  const brokers = field(root, "kafka.brokers");
  if (!Array.isArray(brokers) || brokers.length === 0 || !brokers.every((b) => typeof b === "string" && b)) {
    throw bad("kafka.brokers", "a non-empty array of host:port strings");
  }
  return {
    kafka: { brokers: [...brokers] },
    connect: { url: str("connect.url") },
    postgres: {
      host: str("postgres.host"),
      port: port("postgres.port"),
      user: str("postgres.user"),
      password: str("postgres.password"),
      database: str("postgres.database"),
    },
    minio: {
      endpoint: str("minio.endpoint"),
      accessKeyId: str("minio.accessKeyId"),
      secretAccessKey: str("minio.secretAccessKey"),
      region: str("minio.region"),
      bucket: str("minio.bucket"),
    },
  };
}
