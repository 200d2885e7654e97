/**
 * `deno task stack up [service…] | down [service…] | status | logs <service>`: the local stack (Kafka KRaft,
 * Kafka Connect + Debezium, PostgreSQL, MinIO) without Docker. See scripts/stack/README.md.
 *
 * Exit codes: 0 success (for `status`: every service healthy), 1 failure, 2 usage error.
 *
 * @module
 */
import { isServiceName, type ServiceName, SERVICES } from "./paths.ts";
import { ServiceError, stackDown, stackLogs, stackStatus, stackUp } from "./stack.ts";

const USAGE = `Usage: deno task stack <command>
  up [service…]     install (first run) and start services, wait until healthy (default: all)
  down [service…]   stop services this stack started (default: all)
  status            show each service, its address, pid and health (exit 1 unless all healthy)
  logs <service>    print a service's log
Services: ${SERVICES.join(", ")}`;

/** A command line that cannot be run: exit code 2 with a one-line message. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** A parsed command line. */
export type Command =
  | { command: "up" | "down"; services: ServiceName[] }
  | { command: "status" }
  | { command: "logs"; service: ServiceName }
  | { command: "help" };

/** Parses the command line; throws UsageError for anything it does not accept. */
export function parseCommand(args: readonly string[]): Command {
  const [command, ...rest] = args;
  const services = (names: readonly string[]): ServiceName[] => {
    const unknown = names.filter((n) => !isServiceName(n));
    if (unknown.length > 0) {
      throw new UsageError(`Unknown service "${unknown[0]}": expected one of ${SERVICES.join(", ")}`);
    }
    return names as ServiceName[];
  };
  switch (command) {
    case "up":
    case "down": {
      const picked = services(rest);
      return { command, services: picked.length > 0 ? picked : [...SERVICES] };
    }
    case "status":
      if (rest.length > 0) throw new UsageError(`"status" takes no arguments, got "${rest[0]}"`);
      return { command };
    case "logs": {
      if (rest.length !== 1) throw new UsageError(`"logs" takes one service: ${SERVICES.join(", ")}`);
      return { command, service: services(rest)[0] };
    }
    case "help":
    case "-h":
    case "--help":
      return { command: "help" };
    case undefined:
      throw new UsageError("Missing command: expected up, down, status or logs");
    default:
      throw new UsageError(`Unknown command "${command}": expected up, down, status or logs`);
  }
}

async function main(args: string[]): Promise<number> {
  let cmd: Command;
  try {
    cmd = parseCommand(args);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`${e.message} (deno task stack --help)`);
    return 2;
  }
  const io = { out: (line: string) => console.log(line) };
  try {
    switch (cmd.command) {
      case "help":
        console.log(USAGE);
        return 0;
      case "up":
        await stackUp(cmd.services, io);
        return 0;
      case "down":
        await stackDown(cmd.services, io);
        return 0;
      case "status":
        return await stackStatus(io) ? 0 : 1;
      case "logs":
        await stackLogs(cmd.service, io, Deno.stdout.writable);
        return 0;
    }
  } catch (e) {
    // ServiceError was already reported with its log tail; other errors are reported here, without a stack
    // trace, since they describe the environment (a port, a missing tool), not a bug.
    if (!(e instanceof ServiceError)) console.error(`✘ ${(e as Error).message}`);
    return 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
