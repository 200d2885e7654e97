/**
 * Which change source a job reads, and how to open it at a checkpoint.
 *
 * @module
 */
import type { SourceCheckpoint } from "../cdc/source/change_source.ts";
import { KafkaSource } from "../cdc/source/kafka_source.ts";
import { SQLITE_STREAM, SqliteSource } from "../cdc/source/sqlite_source.ts";
import { sqlitePosition } from "../cdc/source_position.ts";
import { stackEnv } from "../../scripts/stack/env.ts";
import type { SourceFactory } from "./stream_engine.ts";

/** The embedded SQLite source (a database made by `deno task setup --dialect sqlite`). */
export interface SqliteSpec {
  kind: "sqlite";
  /** @default "./data/source.sqlite" */
  path?: string;
  /**
   * Where a job without a checkpoint starts: `snapshot` reads the tables as they are, then their changes;
   * `changes` replays the whole change table from its first entry instead (every change ever captured).
   * @default "snapshot"
   */
  start?: "snapshot" | "changes";
}

/** Debezium topics in Kafka. */
export interface KafkaSpec {
  kind: "kafka";
  /** Bootstrap servers. @default the local stack's broker */
  brokers?: string[];
  /** Topics `<prefix>.…` are read. @default "lakestream" */
  topicPrefix?: string;
  /** @default "lakestream-<job>" */
  groupId?: string;
  /** How long the group waits for a silent member before moving its partitions. @default 30000 */
  sessionTimeoutMs?: number;
}

/** A source given directly (tests, embedding). */
export interface CustomSpec {
  kind: "custom";
  name: string;
  open: SourceFactory;
}

/** A change source to read. */
export type SourceSpec = SqliteSpec | KafkaSpec | CustomSpec;

/** Default path of the SQLite source. */
export const DEFAULT_SQLITE_PATH = "./data/source.sqlite";

/** A short description for logs (`sqlite ./data/source.sqlite`, `kafka lakestream.* on 127.0.0.1:19092`). */
export function describeSource(spec: SourceSpec): string {
  switch (spec.kind) {
    case "sqlite":
      return `sqlite ${spec.path ?? DEFAULT_SQLITE_PATH}`;
    case "kafka":
      return `kafka ${spec.topicPrefix ?? "lakestream"}.*${
        spec.brokers ? ` on ${spec.brokers.join(",")}` : ""
      }`;
    case "custom":
      return spec.name;
  }
}

/**
 * The factory that opens `spec`'s source at a checkpoint. Checks what can be checked up front (the SQLite file
 * exists, the local stack runs when no brokers are given) and throws an Error saying what to do otherwise.
 */
export function sourceFactory(spec: SourceSpec, job: string): SourceFactory {
  switch (spec.kind) {
    case "sqlite": {
      const path = spec.path ?? DEFAULT_SQLITE_PATH;
      try {
        if (!Deno.statSync(path).isFile) {
          throw new Error(`Cannot read the SQLite source "${path}": not a file`);
        }
      } catch (e) {
        if (e instanceof Deno.errors.NotFound) {
          throw new Error(
            `Cannot read the SQLite source "${path}": no such file (create it with \`deno task setup --dialect sqlite\`)`,
          );
        }
        throw e;
      }
      const initial: SourceCheckpoint | null = spec.start === "changes"
        ? { [SQLITE_STREAM]: sqlitePosition(0) }
        : null;
      return (from) => new SqliteSource({ path, from: from ?? initial });
    }
    case "kafka": {
      const brokers = spec.brokers ?? stackEnv({ services: ["kafka"] }).kafka.brokers;
      return (from) =>
        new KafkaSource({
          brokers,
          groupId: spec.groupId ?? `lakestream-${job}`,
          topicPrefix: spec.topicPrefix ?? "lakestream",
          from,
          sessionTimeoutMs: spec.sessionTimeoutMs,
          clientId: `lakestream-${job}`,
        });
    }
    case "custom":
      return spec.open;
  }
}
