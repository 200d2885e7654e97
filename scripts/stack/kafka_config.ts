/**
 * Configuration files of the Kafka broker (single-node KRaft) and the Kafka Connect distributed worker, rendered
 * from the stack's settings (pure: no IO).
 *
 * @module
 */
import { randomToken } from "./credentials.ts";

/** A Java `.properties` value. */
export type PropertyValue = string | number | boolean;

/**
 * Renders Java properties, escaping what `java.util.Properties.load` would otherwise reinterpret
 * (backslashes, line breaks, a leading space, and `=`/`:`/spaces in keys).
 */
export function renderProperties(entries: Record<string, PropertyValue>, header?: string): string {
  const escape = (s: string, key: boolean) =>
    s.replaceAll("\\", "\\\\").replaceAll("\n", "\\n").replaceAll("\r", "\\r").replaceAll("\t", "\\t")
      .replace(key ? /[=: #!]/g : /^[ #!]/, (c) => `\\${c}`);
  const lines = Object.entries(entries).map(([k, v]) => `${escape(k, true)}=${escape(String(v), false)}`);
  return `${header ? `# ${header}\n` : ""}${lines.join("\n")}\n`;
}

/** Settings of the single-node KRaft broker. */
export interface BrokerSettings {
  host: string;
  port: number;
  controllerPort: number;
  /** Absolute path of the broker's log (data) directory. */
  dataDir: string;
}

/** `server.properties` of a single-node KRaft broker (broker and controller in one process). */
export function brokerProperties(s: BrokerSettings): Record<string, PropertyValue> {
  return {
    "process.roles": "broker,controller",
    "node.id": 1,
    "controller.quorum.voters": `1@${s.host}:${s.controllerPort}`,
    "listeners": `PLAINTEXT://${s.host}:${s.port},CONTROLLER://${s.host}:${s.controllerPort}`,
    "advertised.listeners": `PLAINTEXT://${s.host}:${s.port}`,
    "controller.listener.names": "CONTROLLER",
    "inter.broker.listener.name": "PLAINTEXT",
    "listener.security.protocol.map": "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
    "log.dirs": s.dataDir,
    "num.partitions": 1,
    "default.replication.factor": 1,
    "min.insync.replicas": 1,
    "offsets.topic.replication.factor": 1,
    // One broker: a few partitions for the internal topics start faster than the default 50 and suffice.
    "offsets.topic.num.partitions": 5,
    "transaction.state.log.replication.factor": 1,
    "transaction.state.log.min.isr": 1,
    "transaction.state.log.num.partitions": 5,
    // Tests create consumer groups constantly: no 3 s wait before the first rebalance.
    "group.initial.rebalance.delay.ms": 0,
    "auto.create.topics.enable": true,
    "delete.topic.enable": true,
  };
}

/** Settings of the Connect distributed worker. */
export interface ConnectSettings {
  host: string;
  port: number;
  /** Kafka bootstrap servers. */
  bootstrapServers: string;
  /** Absolute path of the folder holding the unpacked Debezium plugins. */
  pluginPath: string;
}

/** `connect-distributed.properties`: JsonConverter with schemas on, as the original system ran it. */
export function connectProperties(s: ConnectSettings): Record<string, PropertyValue> {
  return {
    "bootstrap.servers": s.bootstrapServers,
    "group.id": "lakestream-connect",
    "key.converter": "org.apache.kafka.connect.json.JsonConverter",
    "value.converter": "org.apache.kafka.connect.json.JsonConverter",
    "key.converter.schemas.enable": true,
    "value.converter.schemas.enable": true,
    "config.storage.topic": "connect-configs",
    "config.storage.replication.factor": 1,
    "offset.storage.topic": "connect-offsets",
    "offset.storage.replication.factor": 1,
    "offset.storage.partitions": 1,
    "status.storage.topic": "connect-status",
    "status.storage.replication.factor": 1,
    "status.storage.partitions": 1,
    "offset.flush.interval.ms": 1000,
    // One worker: after a crash its connectors should move to the restarted worker at once, not after the
    // default 5-minute wait for the lost worker to come back.
    "scheduled.rebalance.max.delay.ms": 0,
    "listeners": `http://${s.host}:${s.port}`,
    "rest.advertised.host.name": s.host,
    "rest.advertised.port": s.port,
    "plugin.path": s.pluginPath,
    // Debezium's plugins ship ServiceLoader manifests: skip the slow reflective classpath scan.
    "plugin.discovery": "service_load",
  };
}

/** log4j 1.2 configuration (reload4j) sending everything at INFO to stdout, which the stack writes to a log file. */
export function log4jProperties(): Record<string, PropertyValue> {
  return {
    "log4j.rootLogger": "INFO, stdout",
    "log4j.appender.stdout": "org.apache.log4j.ConsoleAppender",
    "log4j.appender.stdout.layout": "org.apache.log4j.PatternLayout",
    "log4j.appender.stdout.layout.ConversionPattern": "[%d] %p %m (%c)%n",
    // The Connect REST request log and the reflections scanner are noise at INFO.
    "log4j.logger.org.apache.kafka.connect.runtime.rest.RestServer": "WARN",
    "log4j.logger.org.reflections": "ERROR",
  };
}

/**
 * A new KRaft cluster id: 16 random bytes in URL-safe base64 without padding, the form
 * `kafka-storage random-uuid` prints (Kafka's `Uuid.toString`).
 */
export function newClusterId(): string {
  return randomToken(16);
}
