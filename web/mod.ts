/**
 * The live dashboard: `startDashboard({ lake, port, signal })` serves it in-process (used by `deno task web`
 * and `deno task up`); `createApp` and `LakeDashboard` are its HTTP application and lake reader.
 *
 * @module
 */
export {
  type DashboardOptions,
  type DashboardServer,
  displayUri,
  startDashboard,
} from "./start_dashboard.ts";
export { type AppOptions, createApp } from "./server.ts";
export { LakeDashboard, type LakeDashboardOptions } from "./lake/lake_dashboard.ts";
export { type AuthConfig, authFromEnv } from "./auth.ts";
export type { DashboardData, HealthReport } from "./dashboard_data.ts";
