/**
 * What "healthy" means for each service, as pure checks on what its probe observed (probes.ts does the IO).
 * Each check returns a short description for the report, or throws an Error saying what is wrong.
 *
 * @module
 */
import type { KafkaMetadata } from "./kafka_metadata.ts";

/** Checks a Metadata answer: the broker knows its cluster and lists itself. */
export function checkKafkaMetadata(meta: KafkaMetadata): string {
  if (meta.brokers.length === 0) throw new Error("The Metadata response lists no broker");
  if (!meta.clusterId) throw new Error("The Metadata response has no cluster id");
  const user = meta.topics.filter((t) => !t.internal).length;
  return `cluster ${meta.clusterId}, ${meta.brokers.length} broker, ${user} topics`;
}

/** Connector classes Kafka Connect must list: the Debezium PostgreSQL and SQL Server sources. */
export const DEBEZIUM_CONNECTORS = [
  "io.debezium.connector.postgresql.PostgresConnector",
  "io.debezium.connector.sqlserver.SqlServerConnector",
] as const;

/** Checks the body of Connect's `GET /connector-plugins` for both Debezium connectors. */
export function checkConnectorPlugins(body: unknown): string {
  if (!Array.isArray(body)) throw new Error("GET /connector-plugins did not return a JSON array");
  const listed = new Map<string, string>();
  for (const p of body) {
    if (typeof p?.class === "string") listed.set(p.class, typeof p.version === "string" ? p.version : "?");
  }
  const missing = DEBEZIUM_CONNECTORS.filter((c) => !listed.has(c));
  if (missing.length > 0) {
    throw new Error(
      `GET /connector-plugins lacks ${missing.join(", ")} (listed: ${
        [...listed.keys()].join(", ") || "none"
      })`,
    );
  }
  return DEBEZIUM_CONNECTORS.map((c) => `${c.slice(c.lastIndexOf(".") + 1)} ${listed.get(c)}`).join(", ");
}

/** Checks the body of Connect's `GET /health` (Kafka 3.9, KIP-1017): the worker finished starting. */
export function checkConnectHealth(status: number, body: unknown): void {
  const b = body as { status?: unknown; message?: unknown } | null;
  if (status !== 200 || b?.status !== "healthy") {
    throw new Error(
      `GET /health answered ${status}: ${typeof b?.message === "string" ? b.message : "not healthy"}`,
    );
  }
}

/** Checks the result of `SHOW wal_level`: Debezium's pgoutput decoding needs `logical`. */
export function checkWalLevel(walLevel: unknown, serverVersion: unknown): string {
  if (walLevel !== "logical") throw new Error(`SHOW wal_level returned "${walLevel}", expected "logical"`);
  return `PostgreSQL ${serverVersion}, wal_level=logical`;
}

/**
 * Checks the HTTP statuses of two PutObject calls with `If-None-Match: *` on one new key: the first must
 * succeed and the second must be refused with 412, or Delta commits on this store would not be atomic.
 */
export function checkConditionalPut(first: number, second: number): string {
  if (first !== 200) throw new Error(`A first conditional PutObject answered ${first}, expected 200`);
  if (second !== 412) {
    throw new Error(`A second conditional PutObject on the same key answered ${second}, expected 412`);
  }
  return "conditional put 200 then 412";
}
