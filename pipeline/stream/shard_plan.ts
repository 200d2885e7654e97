/**
 * How the operators split into shards that instances of one job can run apart, and which instance runs
 * which shard. Pure: no IO.
 *
 * A shard is a connected group of operators: two operators that read a common source table are in one shard
 * (`sales_aggregates` reads orders, order items, products, … so it and their mirrors form the `sales` shard;
 * `customers_scd2` alone reads customers). Every source table is read by exactly one shard, so a shard sees
 * every change of its tables and its operators produce exactly what they would in one process: the final
 * tables depend only on the set of events applied (see operators/README.md).
 *
 * @module
 */
import type { Operator } from "./operators/mod.ts";

/** One shard: its operators (by name) and the source tables they read. */
export interface Shard {
  /** Stable name: its non-mirror operator's (`sales_aggregates` → `sales`), else its only table's. */
  name: string;
  /** Names of its operators, in the order they were given. */
  operators: string[];
  /** Source tables (lake names) its operators read, sorted. */
  tables: string[];
  /** Relative cost, for balancing: the operator inputs it handles. */
  weight: number;
}

/** Splits `operators` into shards: the connected groups of operators over their input tables. */
export function planShards(operators: readonly Operator[]): Shard[] {
  const parent = operators.map((_, i) => i);
  const root = (i: number): number => parent[i] === i ? i : (parent[i] = root(parent[i]));
  const readerOf = new Map<string, number>();
  operators.forEach((op, i) => {
    for (const table of op.inputs) {
      const other = readerOf.get(table);
      if (other === undefined) readerOf.set(table, i);
      else parent[root(i)] = root(other);
    }
  });
  const groups = Map.groupBy(operators.map((op, i) => ({ op, i })), ({ i }) => root(i));
  const shards = [...groups.values()].map((members): Shard => {
    const ops = members.map(({ op }) => op);
    const tables = [...new Set(ops.flatMap((op) => op.inputs))].sort();
    // A mirror's name is its table's; any other operator names the shard (`customers_scd2`, `sales_aggregates`).
    const lead = ops.find((op) => !(op.inputs.length === 1 && op.name === op.inputs[0])) ?? ops[0];
    return {
      name: lead.name.replace(/_aggregates$/, ""),
      operators: ops.map((op) => op.name),
      tables,
      weight: ops.reduce((n, op) => n + op.inputs.length, 0),
    };
  });
  const names = new Set<string>();
  for (const s of shards) {
    if (names.has(s.name)) throw new RangeError(`Cannot plan shards: two shards are named "${s.name}"`);
    names.add(s.name);
  }
  return shards.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/** Orders shards heaviest first, then by name: the order every instance places them in. */
export function heaviestFirst(a: Pick<Shard, "name" | "weight">, b: Pick<Shard, "name" | "weight">): number {
  return b.weight - a.weight || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/**
 * Which instance runs each shard: heaviest shards first, each to the least loaded instance, so every instance
 * computes the same answer from the same member list. Ties go to an instance that runs the shard now
 * (`holds`), then to the first in sorted order: a shard moves only when the balance needs it, not because an
 * instance that sorts first joined (each move costs a recovery from the WAL and stalls the shard meanwhile).
 * A shard no listed instance can run (`canRun`) is left out.
 */
export function assignShards(
  shards: readonly Pick<Shard, "name" | "weight">[],
  instances: readonly string[],
  canRun: (instance: string, shard: string) => boolean = () => true,
  holds: (instance: string, shard: string) => boolean = () => false,
): Map<string, string> {
  const sorted = [...new Set(instances)].sort();
  const load = new Map(sorted.map((i) => [i, 0]));
  const owner = new Map<string, string>();
  const order = [...shards].sort(heaviestFirst);
  for (const shard of order) {
    let best: string | null = null;
    for (const i of sorted) {
      if (!canRun(i, shard.name)) continue;
      if (
        best === null || load.get(i)! < load.get(best)! ||
        (load.get(i) === load.get(best) && holds(i, shard.name) && !holds(best, shard.name))
      ) best = i;
    }
    if (best === null) continue;
    owner.set(shard.name, best);
    load.set(best, load.get(best)! + shard.weight);
  }
  return owner;
}
