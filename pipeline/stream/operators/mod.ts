/**
 * The stream processor's operators: pure, IO-free, exact. Each turns micro-batches of change events (any order,
 * duplicates, late arrivals) into per-table upserts and deletes for one atomic Delta commit per table, and
 * exports its state for checkpoints.
 *
 * Lake tables: a mirror of every catalog table except `customers` (source columns + `source_position`,
 * `source_commit_ts`), `customers_scd2` (SCD Type 2, AUTO CDC semantics), and the sales aggregates
 * `sales_per_minute`, `product_sales`, `inventory_levels`, `order_status_counts`, `customer_ltv`. Each
 * aggregate has a reference function computing it from final source contents, for consistency checks.
 *
 * @example
 * ```ts
 * import { OperatorSet } from "./mod.ts";
 *
 * const operators = new OperatorSet();
 * const changes = operators.apply([]); // one micro-batch of ChangeEvents
 * for (const [table, { upserts, deletes }] of changes) {
 *   // one Delta commit per table: upsert `upserts` and delete `deletes` by the table's key
 * }
 * // Checkpoint: mirrors and customers_scd2 are rebuilt from their own tables on restart.
 * const checkpoint = operators.snapshotState({ omit: operators.rebuildable });
 * const restarted = new OperatorSet();
 * restarted.restore(checkpoint, { rebuild: restarted.rebuildable });
 * for (const table of restarted.rebuildable) await restarted.rebuild(table, []); // rows of that lake table
 * ```
 *
 * @module
 */
export type { Operator, OutputTable, TableChanges, TableDelta } from "./operator.ts";
export {
  createOperators,
  type EventProblem,
  type OperatorOptions,
  OperatorSet,
  type RestoreOptions,
  type SnapshotOptions,
} from "./operator_set.ts";
export { MirrorOperator, mirrorTable } from "./mirror_operator.ts";
export { Scd2Operator, type Scd2Options, scd2Table } from "./scd2_operator.ts";
export { SalesAggregatesOperator, type SalesMetrics } from "./sales_aggregates_operator.ts";
export { DEFAULT_SALES_RULES, orderEventNs, type SalesRules, VELOCITY_DAYS } from "./sales_rules.ts";
export type { SalesSource } from "./sales_source.ts";
export { referenceSalesPerMinute, SALES_PER_MINUTE } from "./sales_per_minute.ts";
export { PRODUCT_SALES, referenceProductSales } from "./product_sales.ts";
export { INVENTORY_LEVELS, referenceInventoryLevels } from "./inventory_levels.ts";
export { ORDER_STATUS_COUNTS, referenceOrderStatusCounts } from "./order_status_counts.ts";
export { CUSTOMER_LTV, referenceCustomerLtv } from "./customer_ltv.ts";
