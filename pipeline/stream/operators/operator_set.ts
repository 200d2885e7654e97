/**
 * All the stream's operators as one: the lake tables they write, one apply per batch, one state snapshot.
 *
 * @module
 */
import { ECOMMERCE_TABLES } from "../../catalog/mod.ts";
import type { ChangeEvent } from "../../cdc/change_event.ts";
import { catalogTable } from "./catalog_table.ts";
import { EventChecker } from "./event_check.ts";
import { MirrorOperator } from "./mirror_operator.ts";
import type { Operator, OutputTable, TableChanges } from "./operator.ts";
import { SalesAggregatesOperator } from "./sales_aggregates_operator.ts";
import type { SalesRules } from "./sales_rules.ts";
import { Scd2Operator } from "./scd2_operator.ts";
import { beginState, openState } from "./state_format.ts";

const STATE_KIND = "operators/1";

/** Options of {@linkcode createOperators}. */
export interface OperatorOptions {
  /** Columns of `customers` whose changes open a new `customers_scd2` version. @default name, email, phone_number */
  trackHistoryOn?: readonly string[];
  /** @default DEFAULT_SALES_RULES */
  salesRules?: SalesRules;
}

/**
 * The product's operators: a mirror of every catalog table except `customers`, `customers_scd2`, and the sales
 * aggregates.
 */
export function createOperators(options: OperatorOptions = {}): Operator[] {
  return [
    ...ECOMMERCE_TABLES.filter((t) => t.name !== "customers").map((t) => new MirrorOperator(t)),
    new Scd2Operator({ trackHistoryOn: options.trackHistoryOn }),
    new SalesAggregatesOperator(options.salesRules),
  ];
}

/** An event that cannot be applied, and why. */
export interface EventProblem {
  event: ChangeEvent;
  problem: string;
}

/**
 * Runs operators as one. `apply` checks every event of a table any operator reads before any operator
 * changes state, so a bad event leaves all of them unchanged (the engine can quarantine the events
 * `problems()` names and apply the rest). Events of other tables are ignored.
 */
export class OperatorSet {
  readonly operators: readonly Operator[];
  /** Every output table, with its schema and key. */
  readonly outputs: readonly OutputTable[];
  readonly #checkers: Map<string, EventChecker>;

  constructor(operators: readonly Operator[] = createOperators()) {
    this.operators = operators;
    this.outputs = operators.flatMap((o) => o.outputs);
    const names = new Set<string>();
    for (
      const x of [
        ...operators.map((o) => `operator ${o.name}`),
        ...this.outputs.map((t) => `table ${t.name}`),
      ]
    ) {
      if (names.has(x)) throw new RangeError(`Cannot combine operators: ${x} appears twice`);
      names.add(x);
    }
    const inputs = new Set(operators.flatMap((o) => o.inputs));
    this.#checkers = new Map([...inputs].map((t) => [t, new EventChecker(catalogTable(t))]));
  }

  /** The events that cannot be applied (each with the reason), in input order. */
  problems(events: readonly ChangeEvent[]): EventProblem[] {
    const out: EventProblem[] = [];
    for (const event of events) {
      const problem = this.#checkers.get(event.table)?.problem(event) ?? null;
      if (problem !== null) out.push({ event, problem });
    }
    return out;
  }

  /** Applies one batch to every operator; the merged changes of all output tables. */
  apply(events: readonly ChangeEvent[]): TableChanges {
    for (const c of this.#checkers.values()) c.assertAll(events);
    const changes: TableChanges = new Map();
    for (const op of this.operators) for (const [table, delta] of op.apply(events)) changes.set(table, delta);
    return changes;
  }

  /** Every operator's state, keyed by operator name. */
  snapshotState(): Uint8Array {
    const w = beginState(STATE_KIND, "operators").u32(this.operators.length);
    for (const op of this.operators) w.string(op.name).bytes(op.snapshotState());
    return w.finish();
  }

  /**
   * Restores every operator from a snapshot taken of the same operators; a RangeError when it is of other
   * operators. If an operator's own state is unreadable, the error names it and the set must not be used.
   */
  restore(state: Uint8Array): void {
    const r = openState(state, STATE_KIND, "operators");
    const parts = new Map<string, Uint8Array>();
    for (let n = r.u32(); n > 0; n--) parts.set(r.string(), r.bytes());
    r.end();
    const want = this.operators.map((o) => o.name).sort().join(", ");
    const got = [...parts.keys()].sort().join(", ");
    if (want !== got) throw new RangeError(`Cannot restore operators ${want}: the snapshot holds ${got}`);
    for (const op of this.operators) op.restore(parts.get(op.name)!);
  }
}
