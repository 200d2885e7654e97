/**
 * The four services of the local stack: how each is installed and prepared, the command that runs it, how it
 * stops, and how its health is probed.
 *
 * @module
 */
import { type StackConfig } from "./config.ts";
import type { Credentials } from "./credentials.ts";
import type { StackEnv } from "./env.ts";
import { exists } from "./files.ts";
import { installJvmPieces, installMinio, installPostgres, type JvmPieces, jvmPiecesDir } from "./install.ts";
import { archiveClasses, cdsFiles, cdsFlags, javaCommand, jdkId } from "./jvm_cds.ts";
import {
  brokerProperties,
  connectProperties,
  log4jProperties,
  newClusterId,
  renderProperties,
} from "./kafka_config.ts";
import type { ServiceName, StackPaths } from "./paths.ts";
import {
  ensureBucket,
  ensureDatabase,
  probeConnect,
  probeKafka,
  probeMinio,
  probePostgres,
} from "./probes.ts";
import { runCommand, type StopOptions } from "./process.ts";
import { prepareCluster } from "./postgres_cluster.ts";

/** What a service needs to know about the stack. */
export interface StackContext {
  config: StackConfig;
  paths: StackPaths;
  credentials: Credentials;
  endpoints: StackEnv;
}

/** The command line that runs a prepared service. */
export interface Launch {
  command: string;
  args: string[];
  env?: Record<string, string>;
}

/** One service of the stack. */
export interface Service {
  name: ServiceName;
  /** The port clients use (first) and any other port the process binds. */
  ports: number[];
  /**
   * Installs what is missing and writes configuration and data folders. `note` receives one line per
   * noteworthy step (an install on first run).
   */
  prepare(note: (line: string) => void): Promise<Launch>;
  /** One health probe; resolves to a short description, rejects saying what is wrong. */
  probe(timeoutMs: number): Promise<string>;
  /**
   * Idempotent setup that needs the running service (the project database, the lake bucket); `up` retries it
   * with the probe until both succeed. Resolves to a note when it changed something, else "".
   */
  finish(timeoutMs: number): Promise<string>;
}

/** JVM flags shared by the broker and the worker, with class-data sharing when the JDK is known. */
async function jvmFlags(
  service: ServiceName,
  pieces: JvmPieces,
  heap: string,
  log4j: string,
): Promise<string[]> {
  const jdk = await jdkId(javaCommand());
  return [
    ...(jdk ? await cdsFlags(cdsFiles(pieces.dir, service, jdk)) : []),
    `-Xmx${heap}`,
    "-XX:+UseG1GC",
    "-XX:MaxGCPauseMillis=20",
    "-XX:+ExitOnOutOfMemoryError",
    "-Djava.awt.headless=true",
    `-Dlog4j.configuration=file:${log4j}`,
  ];
}

function timed<T>(note: (line: string) => void, what: string, task: Promise<T & { installed: boolean }>) {
  const start = performance.now();
  return task.then((r) => {
    if (r.installed) note(`${what} in ${((performance.now() - start) / 1000).toFixed(1)} s`);
    return r;
  });
}

/** How each service stops: its graceful-shutdown signal, then SIGKILL after the grace period. */
export const STOP_OPTIONS: Record<ServiceName, StopOptions> = {
  // Connect stops its connectors and commits offsets; the broker does a controlled shutdown.
  kafka: { signal: "SIGTERM", graceMs: 30_000 },
  connect: { signal: "SIGTERM", graceMs: 30_000 },
  // SIGINT is PostgreSQL's "fast" shutdown; SIGTERM ("smart") would wait for Debezium to disconnect.
  postgres: { signal: "SIGINT", graceMs: 30_000 },
  minio: { signal: "SIGTERM", graceMs: 15_000 },
};

/** Services whose process must be running before each one starts (and that `down` stops after it). */
export const REQUIRES: Record<ServiceName, readonly ServiceName[]> = {
  kafka: [],
  connect: ["kafka"],
  postgres: [],
  minio: [],
};

/**
 * Work once a service has stopped: the broker and the worker turn the classes they recorded into a class-data
 * archive for faster starts (once per JDK and jar set). `note` hears what is being done and how long it took.
 */
export async function afterStop(
  name: ServiceName,
  config: StackConfig,
  paths: StackPaths,
  note: (line: string) => void,
): Promise<void> {
  if (name !== "kafka" && name !== "connect") return;
  const java = javaCommand();
  const jdk = await jdkId(java);
  if (!jdk) return;
  const dir = await jvmPiecesDir(config.cacheDir);
  const files = cdsFiles(dir, name, jdk);
  if (!(await exists(files.classList)) || await exists(files.archive)) return;
  note("archiving its classes for faster starts (once per JDK and jar set)");
  const start = performance.now();
  if (await archiveClasses(files, java, `${dir}/lib/*`, `${paths.root}/logs/install.log`)) {
    note(`archived its classes in ${((performance.now() - start) / 1000).toFixed(1)} s`);
  }
}

/** Creates the service definitions for a stack. */
export function createServices(ctx: StackContext): Record<ServiceName, Service> {
  const { config, paths, endpoints } = ctx;
  const host = config.host;
  const installLog = `${paths.root}/logs/install.log`;
  let jvm: Promise<JvmPieces & { installed: boolean }> | undefined;
  // Kafka and Connect share one install; the first to ask reports it.
  const jvmPieces = (note: (line: string) => void) =>
    jvm ??= timed(
      note,
      "installed the Kafka and Debezium jars (mvn)",
      installJvmPieces(config.cacheDir, installLog),
    );

  const kafka: Service = {
    name: "kafka",
    ports: [config.ports.kafka, config.ports.kafkaController],
    async prepare(note) {
      const pieces = await jvmPieces(note);
      const lib = pieces.lib;
      const dir = paths.serviceDir("kafka");
      await Deno.mkdir(`${dir}/data`, { recursive: true });
      const settings = { host, port: config.ports.kafka, controllerPort: config.ports.kafkaController };
      await Deno.writeTextFile(
        `${dir}/server.properties`,
        renderProperties(
          brokerProperties({ ...settings, dataDir: `${dir}/data` }),
          "written by `deno task stack up`",
        ),
      );
      await Deno.writeTextFile(`${dir}/log4j.properties`, renderProperties(log4jProperties()));
      if (!(await exists(`${dir}/data/meta.properties`))) {
        await runCommand(javaCommand(), [
          `-Dlog4j.configuration=file:${dir}/log4j.properties`,
          "-cp",
          `${lib}/*`,
          "kafka.tools.StorageTool",
          "format",
          "-t",
          newClusterId(),
          "-c",
          `${dir}/server.properties`,
        ], { logFile: paths.logFile("kafka"), what: "kafka: formatting the KRaft storage" });
      }
      return {
        command: javaCommand(),
        args: [
          ...await jvmFlags("kafka", pieces, "512m", `${dir}/log4j.properties`),
          "-Xms256m",
          "-cp",
          `${lib}/*`,
          "kafka.Kafka",
          `${dir}/server.properties`,
        ],
      };
    },
    probe: (timeoutMs) => probeKafka(endpoints.kafka, timeoutMs),
    finish: () => Promise.resolve(""),
  };

  const connect: Service = {
    name: "connect",
    ports: [config.ports.connect],
    async prepare(note) {
      const pieces = await jvmPieces(note);
      const { lib, plugins } = pieces;
      const dir = paths.serviceDir("connect");
      await Deno.mkdir(dir, { recursive: true });
      const props = connectProperties({
        host,
        port: config.ports.connect,
        bootstrapServers: endpoints.kafka.brokers.join(","),
        pluginPath: plugins,
      });
      await Deno.writeTextFile(
        `${dir}/connect-distributed.properties`,
        renderProperties(props, "written by `deno task stack up`"),
      );
      await Deno.writeTextFile(`${dir}/log4j.properties`, renderProperties(log4jProperties()));
      return {
        command: javaCommand(),
        args: [
          ...await jvmFlags("connect", pieces, "1g", `${dir}/log4j.properties`),
          "-cp",
          `${lib}/*`,
          "org.apache.kafka.connect.cli.ConnectDistributed",
          `${dir}/connect-distributed.properties`,
        ],
      };
    },
    probe: (timeoutMs) => probeConnect(endpoints.connect, timeoutMs),
    finish: () => Promise.resolve(""),
  };

  const postgres: Service = {
    name: "postgres",
    ports: [config.ports.postgres],
    async prepare(note) {
      const { bin } = await timed(note, "installed PostgreSQL (apt-get)", installPostgres(installLog));
      const cluster = await prepareCluster({
        bin,
        dir: paths.serviceDir("postgres"),
        user: ctx.credentials.postgres.user,
        password: ctx.credentials.postgres.password,
        logFile: paths.logFile("postgres"),
      });
      if (cluster.note) note(cluster.note);
      const [cmd, ...pre] = [...cluster.runAs, `${bin}/postgres`];
      return {
        command: cmd,
        args: [
          ...pre,
          "-D",
          cluster.dataDir,
          "-c",
          `listen_addresses=${host}`,
          "-c",
          `port=${config.ports.postgres}`,
          // TCP only: no socket file whose path length or folder permissions could get in the way.
          "-c",
          "unix_socket_directories=",
          "-c",
          "wal_level=logical",
          "-c",
          "max_replication_slots=20",
          "-c",
          "max_wal_senders=20",
        ],
      };
    },
    probe: (timeoutMs) => probePostgres(endpoints.postgres, timeoutMs),
    finish: async (timeoutMs) =>
      await ensureDatabase(endpoints.postgres, timeoutMs)
        ? `created database ${config.postgresDatabase}`
        : "",
  };

  const minio: Service = {
    name: "minio",
    ports: [config.ports.minio, config.ports.minioConsole],
    async prepare(note) {
      const { bin } = await timed(
        note,
        "built MinIO (go install)",
        installMinio(config.cacheDir, installLog),
      );
      const data = `${paths.serviceDir("minio")}/data`;
      await Deno.mkdir(data, { recursive: true });
      return {
        command: bin,
        args: [
          "server",
          data,
          "--address",
          `${host}:${config.ports.minio}`,
          "--console-address",
          `${host}:${config.ports.minioConsole}`,
        ],
        // Credentials go through the environment, not the command line that `ps` shows.
        env: {
          MINIO_ROOT_USER: ctx.credentials.minio.accessKeyId,
          MINIO_ROOT_PASSWORD: ctx.credentials.minio.secretAccessKey,
          MINIO_REGION: config.minioRegion,
          MINIO_UPDATE: "off",
        },
      };
    },
    probe: (timeoutMs) => probeMinio(endpoints.minio, timeoutMs),
    finish: async (timeoutMs) =>
      await ensureBucket(endpoints.minio, timeoutMs) ? `created bucket ${config.minioBucket}` : "",
  };

  return { kafka, connect, postgres, minio };
}
