/**
 * Cleanup of a test run's PostgreSQL database and its Debezium replication slot (both named after the run).
 *
 * @module
 */
import { openPostgres, type PostgresConfig } from "../../scripts/setup/mod.ts";

/**
 * Drops the replication slot `name` (once it is inactive: it stays active for a moment after its connector is
 * deleted, up to 20 s) and the database `name`, connected to `pg`'s server.
 */
export async function dropRunDatabase(pg: PostgresConfig, name: string): Promise<void> {
  const admin = openPostgres({ ...pg, database: "postgres" });
  try {
    for (let i = 0; i < 100; i++) {
      const [slot] = await admin.query<{ active: boolean }>(
        "SELECT active FROM pg_replication_slots WHERE slot_name = ?",
        [name],
      );
      if (!slot) break;
      if (!slot.active) {
        await admin.query("SELECT pg_drop_replication_slot(?)", [name]);
        break;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.close();
  }
}
