/**
 * Where a process's time went, by pipeline stage, from a V8 `.cpuprofile` (`deno run --cpu-prof`): each
 * sample is given to the stage of the innermost frame whose script is recognised (a builtin such as
 * `JSON.parse` counts toward the code that called it). Samples are wall-clock intervals of the main thread,
 * so on a shared machine the shares are the meaningful figures.
 *
 * @module
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/**
 * Stages by the innermost frame of our own code or of a client library; library frames without their own stage
 * (parquet-wasm, apache-arrow, builtins) count toward the code that called them.
 */
const STAGES: [string, RegExp][] = [
  [
    "copy-on-write: read old data files",
    /pipeline\/delta\/write\/(rewrite_files|file_rows|row_cache)\.ts|pipeline\/delta\/read\//,
  ],
  [
    "Parquet encode, new files",
    /pipeline\/delta\/write\/(parquet_file|parquet_writer|primitive_columns|batch_columns|column_batch|arrow_columns|file_stats|data_files|snappy|rle_hybrid|thrift_compact)\.ts/,
  ],
  ["MERGE: matching keys", /pipeline\/delta\/write\/(merge_rows|key_index)\.ts/],
  ["decode (Debezium JSON → events)", /pipeline\/cdc\/(?!source\/)/],
  ["Kafka client (kafkajs, fetch + source)", /kafkajs|pipeline\/cdc\/source\//],
  ["operators (SCD2, mirrors, aggregates)", /pipeline\/stream\/operators\//],
  ["S3 client (SigV4 signing, HTTP)", /@aws-sdk|@smithy|pipeline\/delta\/storage\//],
  ["Delta log and commit", /pipeline\/delta\//],
  ["engine (batching, WAL, state)", /pipeline\/stream\//],
];

/** Milliseconds of CPU per stage, plus garbage collection and the rest, sorted by time. */
export function profileStages(profile: CpuProfile): { stage: string; ms: number; share: number }[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stageOf = new Map<number, string>();
  const resolve = (id: number): string => {
    const known = stageOf.get(id);
    if (known !== undefined) return known;
    const frame = byId.get(id)!.callFrame;
    let stage: string | undefined;
    if (frame.functionName === "(garbage collector)") stage = "garbage collection";
    else if (frame.functionName === "(idle)" || frame.functionName === "(program)") stage = "idle / runtime";
    else stage = STAGES.find(([, re]) => re.test(frame.url))?.[0];
    if (stage === undefined) {
      const p = parent.get(id);
      stage = p === undefined ? "other" : resolve(p);
    }
    stageOf.set(id, stage);
    return stage;
  };
  const totals = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    totals.set(resolve(id), (totals.get(resolve(id)) ?? 0) + us);
    all += us;
  });
  return [...totals].map(([stage, us]) => ({ stage, ms: us / 1000, share: all > 0 ? us / all : 0 }))
    .sort((a, b) => b.ms - a.ms);
}

/** Reads the newest `.cpuprofile` in `dir`. */
export async function readNewestProfile(dir: string): Promise<CpuProfile> {
  let newest: { name: string; mtime: number } | null = null;
  for await (const e of Deno.readDir(dir)) {
    if (!e.name.endsWith(".cpuprofile")) continue;
    const mtime = (await Deno.stat(`${dir}/${e.name}`)).mtime?.getTime() ?? 0;
    if (!newest || mtime > newest.mtime) newest = { name: e.name, mtime };
  }
  if (!newest) throw new Error(`Cannot read a CPU profile: none in "${dir}"`);
  return JSON.parse(await Deno.readTextFile(`${dir}/${newest.name}`));
}
