/**
 * All the stream's operators as one: the lake tables they write, one apply per batch, one state snapshot.
 *
 * @module
 */
import { ECOMMERCE_TABLES, type TableDef } from "../../catalog/mod.ts";
import type { ChangeEvent } from "../../cdc/change_event.ts";
import type { Row } from "../../value/mod.ts";
import { EventChecker } from "./event_check.ts";
import { MirrorOperator } from "./mirror_operator.ts";
import {
  APPLY_CHECKED,
  type CheckedOperator,
  INPUT_DEFS,
  type Operator,
  type OutputTable,
  READ_REBUILD_STATE,
  READ_STATE,
  type RebuildableOperator,
  type TableChanges,
  WRITE_REBUILD_STATE,
  WRITE_STATE,
} from "./operator.ts";
import { SalesAggregatesOperator } from "./sales_aggregates_operator.ts";
import type { SalesRules } from "./sales_rules.ts";
import { Scd2Operator } from "./scd2_operator.ts";
import { ByteReader, ByteWriter } from "./byte_buffer.ts";
import { readHeader, writeHeader } from "./state_format.ts";

const STATE_KIND = "operators/1";

/** Options of {@linkcode createOperators}. */
export interface OperatorOptions {
  /** Columns of `customers` whose changes open a new `customers_scd2` version. @default name, email, phone_number */
  trackHistoryOn?: readonly string[];
  /** How late a `customers_scd2` change may be and still be placed exactly (see `Scd2Options`). @default one day */
  exactLatenessMs?: number;
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
    new Scd2Operator({ trackHistoryOn: options.trackHistoryOn, exactLatenessMs: options.exactLatenessMs }),
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

  /**
   * Every operator's state in one blob, keyed by operator name. The operators in `omit` (see
   * {@linkcode rebuildable}) keep only what their table cannot give back (mirror tombstones): the engine rebuilds
   * the rest from their tables on restore, which keeps checkpoints small.
   */
  snapshotState(options: SnapshotOptions = {}): Uint8Array {
    const omit = this.#rebuildSet(options.omit ?? [], "omit");
    const w = writeHeader(new ByteWriter(), STATE_KIND, "operators").u32(this.operators.length);
    for (const op of this.operators as CheckedOperator[]) {
      w.string(op.name);
      if (omit.has(op.name)) (op as RebuildableOperator)[WRITE_REBUILD_STATE](w.u8(1));
      else op[WRITE_STATE](w.u8(0));
    }
    return w.finish();
  }

  /**
   * Restores the operators from a snapshot of this set. The operators in `rebuild` must be the ones the snapshot
   * left out; the caller rebuilds each with `rebuildFromRows` from its table before the next apply. A RangeError
   * when the snapshot holds other operators or left out others. If an operator's own state is unreadable, the
   * error names it and the set must not be used.
   */
  restore(state: Uint8Array, options: RestoreOptions = {}): void {
    const rebuild = this.#rebuildSet(options.rebuild ?? [], "rebuild");
    const r = new ByteReader(state, "operator checkpoint");
    readHeader(r, STATE_KIND, "operators");
    const want = this.operators.map((o) => o.name);
    const names: string[] = [];
    for (let n = r.u32(); n > 0; n--) {
      const name = r.string();
      const op = this.operators.find((o) => o.name === name) as RebuildableOperator | undefined;
      const omitted = r.u8() === 1;
      if (!op || omitted !== rebuild.has(name)) {
        throw new RangeError(
          `Cannot restore operators ${want.join(", ")} (rebuilding ${[...rebuild].join(", ") || "none"}): ` +
            `the snapshot ${op ? (omitted ? "left out" : "holds") : "holds"} "${name}"`,
        );
      }
      if (omitted) op[READ_REBUILD_STATE](r);
      else op[READ_STATE](r);
      names.push(name);
    }
    r.end();
    if (names.length !== want.length) {
      throw new RangeError(
        `Cannot restore operators ${want.join(", ")}: the snapshot holds ${names.join(", ")}`,
      );
    }
  }

  /**
   * Names of the operators that can rebuild their state from their own table (mirrors and customers_scd2); each
   * is also the name of the table it writes.
   */
  get rebuildable(): string[] {
    return this.operators.filter(isRebuildable).map((op) => op.name);
  }

  /**
   * Rebuilds operator `name`'s state from the rows of its own table, streamed in any order (after `restore` with
   * `rebuild`, or to start from existing tables). The operator's state changes only if all rows are valid.
   */
  async rebuild(name: string, rows: Iterable<Row> | AsyncIterable<Row>): Promise<void> {
    this.#rebuildSet([name], "rebuild");
    await (this.operators.find((o) => o.name === name) as RebuildableOperator).rebuildFromRows(rows);
  }

  #rebuildSet(names: readonly string[], what: string): Set<string> {
    for (const name of names) {
      const op = this.operators.find((o) => o.name === name);
      if (!op || !isRebuildable(op)) {
        throw new RangeError(
          `Cannot ${what} "${name}": it is not an operator of this set that can rebuild its state`,
        );
      }
    }
    return new Set(names);
  }
}

function isRebuildable(op: Operator): op is RebuildableOperator {
  return typeof (op as Partial<RebuildableOperator>)[WRITE_REBUILD_STATE] === "function";
}

/** Options of {@linkcode OperatorSet.snapshotState}. */
export interface SnapshotOptions {
  /** Operators to leave out of the snapshot (they rebuild from their tables; see `OperatorSet.rebuildable`). */
  omit?: readonly string[];
}

/** Options of {@linkcode OperatorSet.restore}. */
export interface RestoreOptions {
  /** Operators the snapshot left out; the caller rebuilds them with `rebuildFromRows` before the next apply. */
  rebuild?: readonly string[];
}
