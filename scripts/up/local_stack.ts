/**
 * `deno task up --stack local`: the real stack without Docker (`deno task stack up`: Kafka, Kafka Connect with
 * Debezium, PostgreSQL, MinIO), the faker writing into PostgreSQL, Debezium capturing its changes into Kafka,
 * the stream processor writing the lake on MinIO (`s3://datalake/lake`), and the dashboard. The stack keeps
 * running when `up` stops; `deno task stack down` stops it.
 *
 * @module
 */
import { runSetup } from "../setup/mod.ts";
import { stackEnv } from "../stack/env.ts";
import { SERVICES } from "../stack/paths.ts";
import { stackUp } from "../stack/stack.ts";
import { type PlatformReport, runPlatform } from "./platform.ts";
import type { UpContext } from "./up_context.ts";

/** Options of {@linkcode runLocalStack}. */
export interface LocalOptions {
  port: number;
  /** Faker transactions per second. */
  rate: number;
}

/** Debezium's topic prefix for the PostgreSQL connector setup registers (topics `lakestream.public.<table>`). */
const TOPIC_PREFIX = "lakestream";

/** Starts the local stack (or checks it), then runs the platform on it until the context stops it. */
export async function runLocalStack(ctx: UpContext, options: LocalOptions): Promise<PlatformReport> {
  ctx.io.line(
    "Starting the local stack (deno task stack up; the first run installs Kafka, Debezium, PostgreSQL, MinIO)",
  );
  await stackUp(SERVICES, { out: (line) => ctx.io.line(`stack: ${line}`) });
  const env = stackEnv();
  const lake = `s3://${env.minio.bucket}/lake`;
  ctx.io.line(
    `Lakestream, local stack: PostgreSQL → Debezium → Kafka → stream processor → Delta lake ${lake} (MinIO)`,
  );
  return await runPlatform(ctx, {
    lake,
    s3: {
      endpoint: env.minio.endpoint,
      region: env.minio.region,
      accessKeyId: env.minio.accessKeyId,
      secretAccessKey: env.minio.secretAccessKey,
    },
    port: options.port,
    async prepare() {
      const report = await runSetup({
        dialect: "postgres",
        lake,
        names: { topicPrefix: TOPIC_PREFIX },
        signal: ctx.stop,
      });
      const changed = report.steps.filter((s) => s.changed).map((s) => s.step);
      ctx.io.line(
        `Source ready: ${changed.length ? `set up (${changed.join(", ")})` : "already set up, resuming"}`,
      );
    },
    source: { kind: "kafka", brokers: env.kafka.brokers, topicPrefix: TOPIC_PREFIX },
    faker: { dialect: "postgres", rate: options.rate },
    // Debezium delivers a change about a second after its commit: a quiet Kafka for 5 s means all is through.
    drainIdleSeconds: 5,
  });
}
