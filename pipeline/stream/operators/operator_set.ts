/**
 * All the stream's operators as one: the lake tables they write, one apply per batch, one state snapshot.
 *
 * @module
 */
import { ECOMMERCE_TABLES, type TableDef } from "../../catalog/mod.ts";
import type { ChangeEvent } from "../../cdc/change_event.ts";
import { EventChecker } from "./event_check.ts";
import { MirrorOperator } from "./mirror_operator.ts";
import {
  APPLY_CHECKED,
  type CheckedOperator,
  INPUT_DEFS,
  type Operator,
  type OutputTable,
  type TableChanges,
} from "./operator.ts";
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
 * Runs operators as one. `apply` checks every event of a table any operator reads, once, before any operator
 * changes state, so a bad event leaves all of them unchanged (the engine can quarantine the events `problems()`
 * names and apply the rest); each operator then gets only the events of the tables it reads. Events of other
 * tables are ignored. Runs this folder's operators (those from `createOperators()` or constructed from
 * `mod.ts`).
 */
export class OperatorSet {
  readonly operators: readonly Operator[];
  /** Every output table, with its schema and key. */
  readonly outputs: readonly OutputTable[];
  /** Input table → the checkers of the table definitions its readers use. */
  readonly #checkers = new Map<string, EventChecker[]>();
  /** Input table → the operators reading it. */
  readonly #readers = new Map<string, CheckedOperator[]>();

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
    const defs = new Set<TableDef>();
    for (const op of operators) {
      const checked = op as Partial<CheckedOperator>;
      if (!checked[INPUT_DEFS] || !checked[APPLY_CHECKED]) {
        throw new TypeError(
          `Cannot run operator "${op.name}" in an OperatorSet: it is not one of this folder's`,
        );
      }
      for (const t of op.inputs) this.#readers.set(t, [...this.#readers.get(t) ?? [], op as CheckedOperator]);
      for (const def of checked[INPUT_DEFS]) {
        if (defs.has(def)) continue;
        defs.add(def);
        this.#checkers.set(def.name, [...this.#checkers.get(def.name) ?? [], new EventChecker(def)]);
      }
    }
  }

  /** The events that cannot be applied (each with the reason), in input order. */
  problems(events: readonly ChangeEvent[]): EventProblem[] {
    const out: EventProblem[] = [];
    for (const event of events) {
      for (const c of this.#checkers.get(event.table) ?? []) {
        const problem = c.problem(event);
        if (problem !== null) {
          out.push({ event, problem });
          break;
        }
      }
    }
    return out;
  }

  /** Applies one batch to every operator (each gets the events of the tables it reads); the merged changes. */
  apply(events: readonly ChangeEvent[]): TableChanges {
    const byTable = new Map<string, ChangeEvent[]>();
    for (const e of events) {
      const list = byTable.get(e.table);
      if (list) list.push(e);
      else if (this.#readers.has(e.table)) byTable.set(e.table, [e]);
    }
    for (const [table, list] of byTable) for (const c of this.#checkers.get(table)!) c.assertAll(list);
    // An operator of one table gets that table's events; one of several gets the whole batch (it skips the
    // others itself, which is cheaper than gathering its tables' events into a new list).
    const inputs = new Map<CheckedOperator, readonly ChangeEvent[]>();
    for (const [table, list] of byTable) {
      for (const op of this.#readers.get(table)!) inputs.set(op, op.inputs.length === 1 ? list : events);
    }
    const changes: TableChanges = new Map();
    for (const [op, list] of inputs) {
      for (const [table, delta] of op[APPLY_CHECKED](list)) changes.set(table, delta);
    }
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
