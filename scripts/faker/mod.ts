/**
 * The live activity generator: `runFaker` writes seeded, reproducible e-commerce operations into any source
 * dialect. Generation (`OperationGenerator`, pure) is separate from execution (`createExecutor`, per dialect).
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * const report = await runFaker({ dialect: "postgres", rate: 500, signal: controller.signal });
 * ```
 *
 * @module
 */
export { type ChangeCounts, type FakerOptions, type FakerReport, runFaker } from "./run_faker.ts";
export { generateOperations, type GeneratorOptions, OperationGenerator } from "./generate.ts";
export { DEFAULT_WEIGHTS, type Operation, type OperationKind, type OperationWeights } from "./operation.ts";
export { type FakerModel, loadModel, modelFromSeed } from "./model.ts";
export { type RowChange, rowChanges } from "./row_changes.ts";
export { type ChangeExecutor, createExecutor, StaleModelError } from "./executor.ts";
export { formatProgress } from "./progress.ts";
