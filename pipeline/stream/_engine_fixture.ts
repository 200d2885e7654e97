/**
 * Fixtures for the engine's tests: a coherent e-commerce history as change events, the tables the operators
 * make of it, and checks of a lake against them.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { ChangeEvent } from "../cdc/change_event.ts";
import { MemoryLog, MemorySource } from "../cdc/source/memory_source.ts";
import { asStored, rowsDiffer, tableRows } from "./_lake_rows.ts";
import type { Lake } from "./lake.ts";
import { OperatorSet } from "./operators/mod.ts";
import { commerceHistory } from "./operators/_commerce_history.ts";
import { Prng } from "./operators/_prng.ts";
import { randomHistory, SourceSimulator, tableDef } from "./operators/_source_simulator.ts";
import { TableImage } from "./operators/_table_image.ts";
import type { EngineOptions, StreamEngine } from "./stream_engine.ts";

/** A coherent e-commerce history plus customer changes, as the change events of a source. */
export function history(seed: number, steps = 150): ChangeEvent[] {
  const sim = new SourceSimulator();
  const rng = new Prng(seed);
  commerceHistory(sim, rng, { products: 6, customers: 8, seededOrders: 4, steps });
  randomHistory(sim, tableDef("customers"), rng, 8, steps / 2);
  return sim.events;
}

export function logOf(events: readonly ChangeEvent[]): MemoryLog {
  const log = new MemoryLog();
  log.append(...events.map((event) => ({ kind: "change" as const, event })));
  return log;
}

/** The tables the operators make of all events at once: what every run must end with. */
export function expected(events: readonly ChangeEvent[]): TableImage {
  const ops = new OperatorSet();
  const image = new TableImage(ops.outputs);
  image.apply(ops.apply(events));
  return image;
}

export async function assertLakeEquals(lake: Lake, image: TableImage): Promise<void> {
  for (const t of new OperatorSet().outputs) {
    const rows = await tableRows(lake.open(t.name), t.key);
    const diff = rowsDiffer(rows, asStored(image.rows(t.name), t.schema), t.name);
    assert.equal(diff, null, diff ?? "");
  }
}

export function options(lake: Lake, log: MemoryLog, extra: Partial<EngineOptions> = {}): EngineOptions {
  return {
    job: "job",
    lake,
    openSource: (from) => new MemorySource(log, { from, pollIntervalMs: 1 }),
    maxBatchEvents: 40,
    maxBatchMs: 20,
    idleWaitMs: 5,
    stateEveryBatches: 3,
    ...extra,
  };
}

/** Runs batches until the source is drained and closes the engine (graceful stop). */
export async function drain(engine: StreamEngine): Promise<void> {
  while ((await engine.step()).kind === "batch") { /* next batch */ }
  await engine.close();
}
